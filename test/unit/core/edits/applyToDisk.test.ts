import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { applyPlansToDisk, nodeWorkspaceFiles, parseEditBlocks, planEdits, type FileEditPlan } from '../../../../src/core/edits';
import { blk } from '../../../support/editCases';
import { makeWorkspace, type TempWorkspace } from '../../../support/tempWorkspace';

async function plan(ws: TempWorkspace, answer: string): Promise<FileEditPlan[]> {
  return planEdits(parseEditBlocks(answer).blocks, nodeWorkspaceFiles(ws.root));
}

async function leftovers(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((n) => n.includes('.fugu-'));
}

describe('applyPlansToDisk', () => {
  let ws: TempWorkspace;
  afterEach(async () => ws?.cleanup());

  it('writes modifications, creations and deletions, leaving no temp files', async () => {
    ws = await makeWorkspace({ 'src/a.ts': 'let a = 1;\n', 'old.js': 'x\n' });
    const plans = await plan(ws, blk('src/a.ts', 'let a = 1;\n', 'let a = 2;\n') + blk('src/new/b.ts', '', 'export {};\n') + 'old.js\n```\nDELETE FILE\n```\n');
    const results = await applyPlansToDisk(ws.root, plans);
    assert.deepEqual(results.map((r) => [r.path, r.status]), [['src/a.ts', 'applied'], ['src/new/b.ts', 'applied'], ['old.js', 'applied']]);
    assert.equal(await ws.read('src/a.ts'), 'let a = 2;\n');
    assert.equal(await ws.read('src/new/b.ts'), 'export {};\n');
    assert.equal(await ws.read('old.js'), null);
    assert.deepEqual(await leftovers(path.join(ws.root, 'src')), []);
    assert.deepEqual(await leftovers(path.join(ws.root, 'src/new')), []);
  });

  it('keeps the file mode of an executable script', async () => {
    ws = await makeWorkspace({ 'run.sh': '#!/bin/sh\necho hi\n' });
    await fs.chmod(path.join(ws.root, 'run.sh'), 0o755);
    const results = await applyPlansToDisk(ws.root, await plan(ws, blk('run.sh', 'echo hi\n', 'echo hello\n', 'sh')));
    assert.equal(results[0].status, 'applied');
    assert.equal((await fs.stat(path.join(ws.root, 'run.sh'))).mode & 0o777, 0o755);
    assert.equal(await ws.read('run.sh'), '#!/bin/sh\necho hello\n');
  });

  it('does not touch a file whose plan failed, nor a refused path', async () => {
    ws = await makeWorkspace({ 'p.txt': 'one\ntwo\n' });
    const plans = await plan(ws, blk('p.txt', 'one\n', 'ONE\n', 'text') + blk('p.txt', 'absent\n', 'x\n', 'text') + blk('../escape.txt', '', 'x\n', 'text'));
    const results = await applyPlansToDisk(ws.root, plans);
    assert.deepEqual(results.map((r) => r.status), ['failed', 'refused']);
    assert.match(results[0].reason!, /Block #2 for p\.txt/);
    assert.equal(await ws.read('p.txt'), 'one\ntwo\n');
    assert.equal(await fs.readFile(path.join(ws.root, '..', 'escape.txt'), 'utf8').catch(() => null), null);
  });

  it('re-matches the blocks when the file changed since the run began, keeping the other change', async () => {
    ws = await makeWorkspace({ 'c.ts': 'function f() {\n  return 1;\n}\n' });
    const plans = await plan(ws, blk('c.ts', '  return 1;\n', '  return 2;\n'));
    await fs.writeFile(path.join(ws.root, 'c.ts'), '// added by the user\nfunction f() {\n  return 1;\n}\n');
    const [r] = await applyPlansToDisk(ws.root, plans);
    assert.equal(r.status, 'applied');
    assert.equal(r.replanned, true);
    assert.equal(await ws.read('c.ts'), '// added by the user\nfunction f() {\n  return 2;\n}\n');
  });

  it('fails (and writes nothing) when the file changed so that a block no longer applies', async () => {
    ws = await makeWorkspace({ 'c.ts': 'function f() {\n  return 1;\n}\n' });
    const plans = await plan(ws, blk('c.ts', '  return 1;\n', '  return 2;\n'));
    const changed = 'function f() {\n  throw new Error("rewritten by hand");\n}\n';
    await fs.writeFile(path.join(ws.root, 'c.ts'), changed);
    const [r] = await applyPlansToDisk(ws.root, plans);
    assert.equal(r.status, 'failed');
    assert.match(r.reason!, /changed since the run began/);
    assert.equal(await ws.read('c.ts'), changed);
  });

  it('writes through a symlink inside the workspace and keeps the link', async () => {
    ws = await makeWorkspace({ 'real/conf.txt': 'a\n' });
    await fs.symlink(path.join(ws.root, 'real/conf.txt'), path.join(ws.root, 'conf.txt'));
    const [r] = await applyPlansToDisk(ws.root, await plan(ws, blk('conf.txt', 'a\n', 'b\n', 'text')));
    assert.equal(r.status, 'applied');
    assert.ok((await fs.lstat(path.join(ws.root, 'conf.txt'))).isSymbolicLink());
    assert.equal(await ws.read('real/conf.txt'), 'b\n');
  });

  it('refuses at apply time a path that became a symlink out of the workspace after planning', async () => {
    ws = await makeWorkspace({ 'dir/x.txt': 'x\n' });
    const plans = await plan(ws, blk('dir/x.txt', 'x\n', 'y\n', 'text'));
    await fs.writeFile(path.join(ws.outside, 'x.txt'), 'x\n');
    await fs.rm(path.join(ws.root, 'dir'), { recursive: true });
    await fs.symlink(ws.outside, path.join(ws.root, 'dir'), 'dir');
    const [r] = await applyPlansToDisk(ws.root, plans);
    assert.equal(r.status, 'refused');
    assert.equal(await fs.readFile(path.join(ws.outside, 'x.txt'), 'utf8'), 'x\n');
  });

  it('reports a write error as a failure and leaves no temp file', async () => {
    ws = await makeWorkspace({ blocker: 'i am a file\n' });
    const plans = await plan(ws, blk('blocker/inner.txt', '', 'x\n', 'text'));
    assert.equal(plans[0].status, 'proposed');
    const [r] = await applyPlansToDisk(ws.root, plans);
    assert.equal(r.status, 'failed');
    assert.match(r.reason!, /could not be written/);
    assert.equal(await ws.read('blocker'), 'i am a file\n');
    assert.deepEqual(await leftovers(ws.root), []);
  });

  it('never writes a plan that would empty a file, even if handed one', async () => {
    ws = await makeWorkspace({ 'k.txt': 'keep\n' });
    const forged: FileEditPlan = { path: 'k.txt', action: 'modify', original: 'keep\n', proposed: '', status: 'proposed', reason: null, blocks: [], failures: [] };
    const [r] = await applyPlansToDisk(ws.root, [forged]);
    assert.equal(r.status, 'failed');
    assert.equal(await ws.read('k.txt'), 'keep\n');
  });
});
