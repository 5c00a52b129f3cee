// A folder of whole JSON files shared by several processes: written under a temporary name then
// renamed, bounded, and a temporary file left by a process that died mid-write is cleared later.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonFolder } from '../../../src/core/jsonFolder';
import { tempDir } from '../../support/tempDir';

describe('core: a bounded folder of JSON files', () => {
  it('a temporary file abandoned by a dead writer is removed at a later write; one being written now is left alone', async () => {
    const dir = tempDir('fugu-json-');
    const folder = new JsonFolder(dir, 10);
    await folder.open();
    writeFileSync(join(dir, '.a.dead.tmp'), '{"half":');
    utimesSync(join(dir, '.a.dead.tmp'), 1, 1);
    writeFileSync(join(dir, '.b.live.tmp'), '{"half":');
    await folder.write('c', { whole: true });
    assert.deepEqual(readdirSync(dir).sort(), ['.b.live.tmp', 'c.json']);
    assert.deepEqual(await folder.read('c'), { whole: true });
    assert.equal(await folder.read('b'), undefined, 'a file not yet renamed is not there');
  });

  it('a write whose rename fails rejects and leaves no temporary file behind', async () => {
    const dir = tempDir('fugu-json-');
    const folder = new JsonFolder(dir, 10);
    await folder.open();
    // A folder where the file should go: the temporary file is written, the rename refused.
    mkdirSync(join(dir, 'x.json'));
    writeFileSync(join(dir, 'x.json', 'inside'), '');
    await assert.rejects(folder.write('x', { a: 1 }));
    assert.deepEqual(readdirSync(dir), ['x.json']);
  });
});
