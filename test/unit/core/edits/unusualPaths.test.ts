// Real workspaces have paths with spaces and non-ASCII names, big files, binary files, many files.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeWorkspaceFiles, parseEditBlocks, planEdits } from '../../../../src/core/edits';
import { tempDir } from '../../../support/tempDir';

const block = (pathLine: string, search: string, replace: string) =>
  `${pathLine}\n\`\`\`ts\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n\`\`\`\n`;

describe('edits on unusual paths and files', () => {
  it('reads non-ASCII paths, and paths with spaces when marked out with backticks or bold', () => {
    const text =
      block('ünïcode/文档.ts', 'a', 'b') + block('`my dir/a b.ts`', 'a', 'b') + block('**other dir/c d.ts**', 'a', 'b') + block('File: `e f.ts`', 'a', 'b');
    const { blocks, errors } = parseEditBlocks(text);
    assert.deepEqual(errors, []);
    assert.deepEqual(blocks.map((b) => b.path), ['ünïcode/文档.ts', 'my dir/a b.ts', 'other dir/c d.ts', 'e f.ts']);
  });

  it('does not read a sentence before a fence as a path', () => {
    const { blocks, errors } = parseEditBlocks(`Here is the change to greet.ts:\n${block('', 'a', 'b').slice(1)}`);
    assert.deepEqual(blocks, []);
    assert.match(errors[0], /does not name a file/);
  });

  it('plans 30 new files, a 5 MB file, a binary file and create-then-modify of one file in one answer', async () => {
    const dir = tempDir('fugu-paths-');
    mkdirSync(join(dir, 'my dir'));
    writeFileSync(join(dir, 'my dir', 'a b.ts'), 'const x = 1;\n');
    writeFileSync(join(dir, 'bin.dat'), Buffer.from([0, 1, 2, 255, 254, 10]));
    writeFileSync(join(dir, 'big.ts'), `${'const line = 1;\n'.repeat(330_000)}const last = 1;\n`);
    let text = block('`my dir/a b.ts`', 'const x = 1;', 'const x = 2;') + block('bin.dat', 'x', 'y') + block('big.ts', 'const last = 1;', 'const last = 2;');
    for (let i = 0; i < 30; i++) text += block(`gen/f${i}.ts`, '', `export const f${i} = ${i};`);
    text += block('same.ts', '', 'line1\nline2') + block('same.ts', 'line2', 'line2b');
    const plans = await planEdits(parseEditBlocks(text).blocks, nodeWorkspaceFiles(dir));
    const by = Object.fromEntries(plans.map((p) => [p.path, p]));
    assert.equal(plans.length, 34);
    assert.equal(by['my dir/a b.ts'].proposed, 'const x = 2;\n');
    assert.equal(by['bin.dat'].status, 'failed');
    assert.match(by['bin.dat'].reason!, /binary/);
    assert.ok(by['big.ts'].proposed!.endsWith('const last = 2;\n'));
    assert.equal(by['gen/f29.ts'].action, 'create');
    assert.equal(by['same.ts'].proposed, 'line1\nline2b\n');
  });
});
