import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createScratchCopy, sweepStaleCopies } from '../../../../src/core/check/scratchCopy';
import { checkCopies, sampleWorkspace, type Sample } from '../../../support/sampleWorkspace';

const exists = (p: string) => fs.lstat(p).then(() => true, () => false);

async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string) => {
    for (const e of await fs.readdir(path.join(root, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) await walk(r);
      else if (e.isFile()) out[r] = (await fs.readFile(path.join(root, r))).toString('base64');
    }
  };
  await walk('');
  return out;
}

describe('scratch copy', () => {
  let ws: Sample | undefined;
  afterEach(async () => {
    await ws?.cleanup();
    ws = undefined;
  });

  it('in a git repository: a worktree at HEAD plus uncommitted, deleted and untracked files, without ignored ones', async () => {
    ws = await sampleWorkspace({ '.gitignore': 'secret.log\nnode_modules/\n', 'a.txt': 'committed a\n', 'gone.txt': 'to delete\n', 'sub/b.txt': 'committed b\n' }, { git: true });
    await ws.write('a.txt', 'changed a, not committed\n');
    await ws.write('sub/new.txt', 'untracked\n');
    await ws.write('secret.log', 'ignored\n');
    await ws.write('node_modules/dep/index.js', 'module.exports = 1;\n');
    await fs.rm(path.join(ws.root, 'gone.txt'));
    await ws.write('staged.txt', 'staged\n');
    ws.git('add', 'staged.txt');
    const before = await snapshot(ws.root);

    const copy = await createScratchCopy(ws.root);
    try {
      assert.equal(copy.kind, 'worktree');
      assert.ok(copy.root.startsWith(os.tmpdir()) && path.basename(path.dirname(copy.root)).startsWith('fugu-check-'));
      const read = (rel: string) => fs.readFile(path.join(copy.root, rel), 'utf8').catch(() => null);
      assert.equal(await read('a.txt'), 'changed a, not committed\n');
      assert.equal(await read('sub/b.txt'), 'committed b\n');
      assert.equal(await read('sub/new.txt'), 'untracked\n');
      assert.equal(await read('staged.txt'), 'staged\n');
      assert.equal(await read('gone.txt'), null, 'a deletion is a deletion in the copy too');
      assert.equal(await read('secret.log'), null, 'ignored files stay out');
      assert.ok((await fs.lstat(path.join(copy.root, 'node_modules'))).isSymbolicLink(), 'node_modules is linked');
      assert.equal(await read('node_modules/dep/index.js'), 'module.exports = 1;\n');
      // git in the copy sees the same uncommitted changes as the user's tree.
      const changed = execFileSync('git', ['diff', '--name-only', 'HEAD'], { cwd: copy.root, encoding: 'utf8' }).trim().split('\n').sort();
      assert.deepEqual(changed, ['a.txt', 'gone.txt', 'staged.txt']);
      // The check may scribble in its copy; the user's tree does not move.
      await fs.writeFile(path.join(copy.root, 'a.txt'), 'scribbled\n');
    } finally {
      await copy.dispose();
    }
    assert.deepEqual(await snapshot(ws.root), before, 'user files are byte-identical');
    assert.equal(await exists(path.dirname(copy.root)), false, 'the copy is gone');
    assert.equal(ws.git('worktree', 'list').trim().split('\n').length, 1, 'the worktree is unregistered');
  });

  it('the copy of a sub-folder of a repository is rooted at that sub-folder', async () => {
    ws = await sampleWorkspace({ 'pkg/x.txt': 'x\n', 'top.txt': 't\n' }, { git: true });
    const copy = await createScratchCopy(path.join(ws.root, 'pkg'));
    try {
      assert.equal(await fs.readFile(path.join(copy.root, 'x.txt'), 'utf8'), 'x\n');
    } finally {
      await copy.dispose();
    }
  });

  it('elsewhere: a copy that honours .gitignore and links dependency folders', async () => {
    ws = await sampleWorkspace({ '.gitignore': '*.log\nbuild/\n', 'src/a.py': 'a = 1\n', 'debug.log': 'x', 'build/out.bin': 'y', '.venv/lib/site.py': 'z' });
    const before = await snapshot(ws.root);
    const copy = await createScratchCopy(ws.root);
    try {
      assert.equal(copy.kind, 'copy');
      assert.equal(await fs.readFile(path.join(copy.root, 'src/a.py'), 'utf8'), 'a = 1\n');
      assert.equal(await exists(path.join(copy.root, 'debug.log')), false);
      assert.equal(await exists(path.join(copy.root, 'build')), false);
      assert.ok((await fs.lstat(path.join(copy.root, '.venv'))).isSymbolicLink());
    } finally {
      await copy.dispose();
    }
    assert.deepEqual(await snapshot(ws.root), before);
    assert.equal(await exists(copy.root), false);
  });

  it('many files in many new folders are all copied (both paths)', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++) files[`d${i % 40}/e${i % 7}/f${i}.txt`] = `file ${i}\n`;
    for (const git of [false, true]) {
      ws = await sampleWorkspace(git ? { 'seed.txt': 's' } : files, { git });
      if (git) for (const [rel, text] of Object.entries(files)) await ws.write(rel, text); // untracked: copied one by one
      const copy = await createScratchCopy(ws.root);
      try {
        for (const [rel, text] of Object.entries(files)) assert.equal(await fs.readFile(path.join(copy.root, rel), 'utf8'), text, rel);
      } finally {
        await copy.dispose();
        await ws.cleanup();
        ws = undefined;
      }
    }
  });

  it('a copy left by a crashed run is removed at the next start, and its worktree pruned', async () => {
    ws = await sampleWorkspace({ 'a.txt': 'a\n' }, { git: true });
    const copy = await createScratchCopy(ws.root);
    const base = path.dirname(copy.root);
    // A process that has exited stands in for the crashed owner.
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const ownerFile = path.join(base, 'owner.json');
    const owner = JSON.parse(await fs.readFile(ownerFile, 'utf8'));
    await fs.writeFile(ownerFile, JSON.stringify({ ...owner, pid: Number(dead.stdout.trim()) }));
    const live = await createScratchCopy(ws.root);
    try {
      const removed = await sweepStaleCopies();
      assert.ok(removed.includes(base));
      assert.equal(await exists(base), false);
      assert.ok(await exists(live.root), "a live run's copy is left alone");
      assert.equal(ws.git('worktree', 'list').trim().split('\n').length, 2, 'only the live worktree is still registered');
    } finally {
      await live.dispose();
      await copy.dispose();
    }
    assert.ok(!(await checkCopies()).some((c) => c === base || c === path.dirname(live.root)));
  });
});
