import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEvent, emptyTrace } from '../../../../src/core/trace/reduce';
import type { TraceDocument } from '../../../../src/core/trace/types';
import { RunHistory } from '../../../../src/vscode/trace/runHistory';
import { checkRun, wholeRun } from '../../../support/traceEvents';

function run(id: string, task = `task ${id}`): TraceDocument {
  const d = wholeRun().reduce((doc, e) => applyEvent(doc, e), emptyTrace());
  return { ...d, id, task };
}

describe('run history', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fugu-history-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps runs newest first, capped, and drops the oldest files', async () => {
    let cap = 2;
    const h = new RunHistory(dir, () => cap);
    await h.save(run('a'));
    await h.save(run('b'));
    const list = await h.save(run('c'));
    assert.deepEqual(list.map((r) => r.id), ['c', 'b']);
    assert.equal(await h.get('a'), null);
    assert.deepEqual((await readdir(join(dir, 'runs'))).sort(), ['b.json', 'c.json', 'index.json']);
    assert.deepEqual(await h.get('b'), run('b'));
    cap = 5;
    await h.save(run('b', 'renamed'));
    assert.deepEqual((await h.list()).map((r) => [r.id, r.task]), [['b', 'renamed'], ['c', 'task c']]);
  });

  it("lists an inline run by the user's words, and keeps its whole task in the saved trace", async () => {
    const h = new RunHistory(dir, () => 10);
    const inline = { ...run('i', 'Instruction: clear the cart\n\nWrite the code to insert at <<<FUGU_CURSOR>>>…'), title: 'clear the cart' };
    const [summary] = await h.save(inline);
    assert.equal(summary.task, 'clear the cart');
    assert.equal((await h.get('i'))?.task, inline.task);
    assert.equal((await h.save(run('old')))[0].task, 'task old', 'a run without a title is listed by its task');
  });

  it("lists the last check's verdict: failed, passed, unverified when it timed out, none when no check ran", async () => {
    const h = new RunHistory(dir, () => 10);
    const checked = { ...checkRun().reduce((doc, e) => applyEvent(doc, e), emptyTrace()), id: 'k' };
    const verdictOf = async (doc: TraceDocument) => (await h.save(doc)).find((r) => r.id === doc.id)?.check;
    assert.deepEqual(await verdictOf(checked), { verdict: 'failed', command: 'npm test --silent' });
    const passed = { ...checked, id: 'p', final: { ...checked.final, check: { ...checked.final.check!, outcome: 'passed' as const, passed: true } } };
    assert.deepEqual(await verdictOf(passed), { verdict: 'passed', command: 'npm test --silent' });
    const timedOut = { ...checked, id: 't', final: { ...checked.final, check: { ...checked.final.check!, outcome: 'timeout' as const } } };
    assert.deepEqual(await verdictOf(timedOut), { verdict: 'unverified', command: 'npm test --silent' });
    assert.equal(await verdictOf(run('n')), undefined);
  });

  it('deletes one run and leaves the others', async () => {
    const h = new RunHistory(dir, () => 10);
    await Promise.all([h.save(run('a')), h.save(run('b')), h.save(run('c'))]);
    assert.equal((await h.list()).length, 3, 'concurrent saves lose nothing');
    assert.deepEqual((await h.delete('b')).map((r) => r.id).sort(), ['a', 'c']);
    assert.equal(await h.get('b'), null);
    assert.deepEqual((await h.delete('missing')).map((r) => r.id).sort(), ['a', 'c']);
  });

  it('stores odd ids under a hashed file name inside the runs folder', async () => {
    const h = new RunHistory(dir, () => 10);
    await h.save(run('../../etc/passwd'));
    const files = await readdir(join(dir, 'runs'));
    assert.ok(files.every((f) => /^[a-f0-9]{32}\.json$|^index\.json$/.test(f)), files.join());
    assert.equal((await h.get('../../etc/passwd'))?.id, '../../etc/passwd');
  });

  it('reads a damaged index as empty instead of failing', async () => {
    const h = new RunHistory(dir, () => 10);
    await h.save(run('a'));
    await writeFile(join(dir, 'runs', 'index.json'), '{not json');
    assert.deepEqual(await h.list(), []);
    assert.deepEqual((await h.save(run('b'))).map((r) => r.id), ['b']);
  });
});
