import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCheckCommand } from '../../../../src/core/check/runCheckCommand';
import { sandboxEngine } from '../../../../src/core/check/sandbox';
import { createScratchCopy, ramCandidate, RAM_ROOT, sweepStaleCopies } from '../../../../src/core/check/scratchCopy';
import { toCommand } from '../../../../src/core/check/types';
import { checkCopies, sampleWorkspace, type Sample } from '../../../support/sampleWorkspace';
import { tempDir } from '../../../support/tempDir';

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


/** Everything a check could observe of a tree: kind, mode, bytes and mtime (whole seconds, as tar keeps it) of each file, each link's target. */
async function fullSnapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string) => {
    for (const name of await fs.readdir(path.join(root, rel))) {
      if (!rel && name === '.git') continue;
      const r = rel ? `${rel}/${name}` : name;
      const st = await fs.lstat(path.join(root, r));
      if (st.isSymbolicLink()) out[r] = `link -> ${await fs.readlink(path.join(root, r))}`;
      else if (st.isDirectory()) await walk(r);
      else out[r] = `file ${(st.mode & 0o7777).toString(8)} ${Math.floor(st.mtimeMs / 1000)} ${(await fs.readFile(path.join(root, r))).toString('base64')}`;
    }
  };
  await walk('');
  return out;
}

/**
 * A PATH on which `tar` is not GNU tar: `bsd` puts a tar first that refuses GNU's long options
 * the way bsdtar and busybox tar do (and logs its calls); `none` has git and no tar at all.
 */
async function pathWithout(kind: 'bsd' | 'none'): Promise<{ path: string; tarCalls: () => Promise<string[]> }> {
  const bin = tempDir('fugu-bin-');
  const log = path.join(bin, 'calls.log');
  if (kind === 'bsd') {
    await fs.writeFile(
      path.join(bin, 'tar'),
      [
        '#!/bin/sh',
        `echo "$*" >> '${log}'`,
        'for a in "$@"; do',
        '  case "$a" in --null|--verbatim-files-from|--ignore-failed-read) echo "tar: Option $a is not supported" >&2; exit 1;; esac',
        'done',
        'cat > /dev/null',
        'echo "tar: Error opening archive: Unrecognized archive format" >&2',
        'exit 1',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    return { path: `${bin}:${process.env.PATH ?? ''}`, tarCalls: () => fs.readFile(log, 'utf8').then((t) => t.trim().split('\n'), () => []) };
  }
  const gitPath = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  await fs.symlink(gitPath, path.join(bin, 'git'));
  return { path: bin, tarCalls: async () => [] };
}

/** Runs `fn` with process.env.PATH set to `p` (the copy spawns tar and git through PATH). */
async function withPath<T>(p: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.PATH;
  process.env.PATH = p;
  try {
    return await fn();
  } finally {
    process.env.PATH = saved;
  }
}

describe('scratch copy', () => {
  let ws: Sample | undefined;
  afterEach(async () => {
    await ws?.cleanup();
    ws = undefined;
  });

  it('in a git repository: a repository of its own at HEAD plus uncommitted, deleted and untracked files, without ignored ones', async () => {
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
      assert.equal(copy.kind, 'git');
      assert.ok(copy.root.startsWith(os.tmpdir()) && path.basename(path.dirname(copy.root)).startsWith('fugu-check-'));
      const read = (rel: string) => fs.readFile(path.join(copy.root, rel), 'utf8').catch(() => null);
      assert.equal(await read('a.txt'), 'changed a, not committed\n');
      assert.equal(await read('sub/b.txt'), 'committed b\n');
      assert.equal(await read('sub/new.txt'), 'untracked\n');
      assert.equal(await read('staged.txt'), 'staged\n');
      assert.equal(await read('gone.txt'), null, 'a deletion is a deletion in the copy too');
      assert.equal(await read('secret.log'), null, 'ignored files stay out');
      assert.ok((await fs.lstat(path.join(copy.root, 'node_modules'))).isDirectory() && !(await fs.lstat(path.join(copy.root, 'node_modules'))).isSymbolicLink(), 'node_modules is a full copy (no sandbox asked for)');
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
    assert.equal(ws.git('worktree', 'list').trim().split('\n').length, 1, 'no worktree was ever registered');
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

  it('elsewhere: a copy that honours .gitignore; dependency folders linked entry by entry (for a sandbox) or copied whole', async () => {
    ws = await sampleWorkspace({ '.gitignore': '*.log\nbuild/\n', 'src/a.py': 'a = 1\n', 'debug.log': 'x', 'build/out.bin': 'y', '.venv/lib/site.py': 'z' });
    await ws.write('.venv/.cache/c', 'cache');
    const before = await snapshot(ws.root);
    const copy = await createScratchCopy(ws.root, { dependencies: 'link' });
    const whole = await createScratchCopy(ws.root, { dependencies: 'copy' });
    try {
      assert.equal(copy.kind, 'copy');
      assert.equal(await fs.readFile(path.join(copy.root, 'src/a.py'), 'utf8'), 'a = 1\n');
      assert.equal(await exists(path.join(copy.root, 'debug.log')), false);
      assert.equal(await exists(path.join(copy.root, 'build')), false);
      assert.ok((await fs.lstat(path.join(copy.root, '.venv/lib'))).isSymbolicLink(), 'each entry is a link');
      assert.equal(await exists(path.join(copy.root, '.venv/.cache')), false, 'a cache folder is the copy\'s own');
      assert.equal(await fs.readFile(path.join(copy.root, '.venv/lib/site.py'), 'utf8'), 'z');
      assert.equal(copy.dependencies, 'linked');
      assert.equal(whole.dependencies, 'copied');
      assert.ok(!(await fs.lstat(path.join(whole.root, '.venv/lib'))).isSymbolicLink());
      assert.equal(await fs.readFile(path.join(whole.root, '.venv/.cache/c'), 'utf8'), 'cache');
    } finally {
      await copy.dispose();
      await whole.dispose();
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

  describe('without GNU tar (bsdtar, busybox or no tar at all), the Node copy makes the same copy', () => {
    // Should a copy never end (the bug this guards against), the tests after it still get the usual PATH.
    const usualPath = process.env.PATH;
    afterEach(() => {
      process.env.PATH = usualPath;
    });
    // Files of every kind the copy handles: an executable, bytes that are not text, a name with a
    // space and an accent, links to a file, to a folder and to nothing, ignored files, a dependency folder.
    const tree = {
      '.gitignore': '*.log\nbuild/\nnode_modules/\n',
      'run.sh': '#!/bin/sh\necho ok\n',
      'src/main.js': 'module.exports = 1;\n',
      'src/deep/er/name with space é.txt': 'spaced\n',
      'debug.log': 'ignored\n',
      'build/out.js': 'ignored too\n',
      'node_modules/dep/index.js': 'module.exports = 2;\n',
    };
    // An mtime a second-granular copy keeps exactly, in the past so a copy made now cannot match by chance.
    const age = (root: string, rel: string) => fs.utimes(path.join(root, rel), new Date('2024-01-02T03:04:05Z'), new Date('2024-01-02T03:04:05Z'));
    const dress = async (root: string) => {
      await fs.chmod(path.join(root, 'run.sh'), 0o755);
      await fs.writeFile(path.join(root, 'src/data.bin'), Buffer.from([0, 255, 1, 254, 10, 13]));
      await fs.symlink('src/main.js', path.join(root, 'main-link.js'));
      await fs.symlink('src/deep', path.join(root, 'deep-link'));
      await fs.symlink('missing.txt', path.join(root, 'dangling'));
      await age(root, 'src/main.js');
      // 0.9996 s past a second: a millisecond Date rounds it up to the next second, which tar never does.
      await fs.writeFile(path.join(root, 'src/edge-time.txt'), 'edge\n');
      await fs.utimes(path.join(root, 'src/edge-time.txt'), 1704164645.9996, 1704164645.9996);
    };
    /** What the copy must hold: the user's tree less ignored files, node_modules copied whole. */
    const expected = async (root: string) => {
      const want = await fullSnapshot(root);
      for (const k of Object.keys(want)) if (/\.log$|^(build|node_modules)\//.test(k)) delete want[k];
      want['node_modules/dep/index.js'] = (await fullSnapshot(path.join(root, 'node_modules')))['dep/index.js'];
      return want;
    };

    async function copyUnder(tarPath: string | null, root: string): Promise<{ snap: Record<string, string>; kind: string; tmpLeft: string[] }> {
      const tmpRoot = tempDir('fugu-copytmp-');
      const make = () => createScratchCopy(root, { tmpRoot });
      const copy = tarPath === null ? await make() : await withPath(tarPath, make);
      let snap: Record<string, string>;
      try {
        snap = await fullSnapshot(copy.root);
      } finally {
        await copy.dispose();
      }
      return { snap, kind: copy.kind, tmpLeft: await fs.readdir(tmpRoot) };
    }

    for (const git of [false, true]) {
      for (const without of ['bsd', 'none'] as const) {
        it(`${git ? 'in a git repository (uncommitted and untracked files laid over HEAD)' : 'outside git'}, with ${without === 'bsd' ? 'a tar that is not GNU tar' : 'no tar on PATH'}`, async function () {
          this.timeout(20_000);
          ws = await sampleWorkspace(tree, { git });
          await dress(ws.root);
          if (git) {
            ws.git('add', '-A');
            ws.git('commit', '-q', '-m', 'more');
            // Uncommitted: an edit, a new executable bit, a deletion; untracked: a file, a link, an ignored file.
            await ws.write('src/main.js', 'module.exports = 3;\n');
            await fs.chmod(path.join(ws.root, 'src/data.bin'), 0o700);
            await fs.rm(path.join(ws.root, 'src/deep/er/name with space é.txt'));
            await ws.write('src/new/untracked.js', 'new\n');
            await fs.symlink('untracked.js', path.join(ws.root, 'src/new/link.js'));
            await ws.write('src/new/trace.log', 'ignored\n');
            await age(ws.root, 'src/new/untracked.js');
            await age(ws.root, 'run.sh');
          }
          const want = await expected(ws.root);
          const viaGnu = await copyUnder(null, ws.root);
          const env = await pathWithout(without);
          const viaNode = await copyUnder(env.path, ws.root);
          if (without === 'bsd') assert.ok((await env.tarCalls()).some((c) => c.includes('--verbatim-files-from')), 'the tar on PATH was tried first');
          assert.equal(viaNode.kind, git ? 'git' : 'copy');
          assert.deepEqual(viaGnu.snap, want, 'the GNU tar copy is the user`s tree less ignored files');
          assert.deepEqual(viaNode.snap, want, 'the Node copy is the same');
          assert.deepEqual([viaGnu.tmpLeft, viaNode.tmpLeft], [[], []], 'nothing is left in the temp folder');
          if (git) assert.equal(ws.git('worktree', 'list').trim().split('\n').length, 1, 'no worktree is registered');
        });
      }
    }
  });

  it('a copy left by a crashed run is removed at the next start', async () => {
    ws = await sampleWorkspace({ 'a.txt': 'a\n' }, { git: true });
    const tmpRoot = tempDir('fugu-sweep-');
    const copy = await createScratchCopy(ws.root, { tmpRoot });
    const base = copy.base;
    // A process that has exited stands in for the crashed owner.
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const ownerFile = path.join(base, 'owner.json');
    const owner = JSON.parse(await fs.readFile(ownerFile, 'utf8'));
    await fs.writeFile(ownerFile, JSON.stringify({ ...owner, pid: Number(dead.stdout.trim()) }));
    const live = await createScratchCopy(ws.root, { tmpRoot });
    try {
      const removed = await sweepStaleCopies(tmpRoot);
      assert.deepEqual(removed, [base]);
      assert.equal(await exists(base), false);
      assert.ok(await exists(live.root), "a live run's copy is left alone");
    } finally {
      await live.dispose();
      await copy.dispose();
    }
    assert.deepEqual(await checkCopies(tmpRoot), []);
  });

  it('the RAM folder is tried only on Linux with TMPDIR unset', () => {
    assert.equal(ramCandidate({}, 'linux'), true);
    assert.equal(ramCandidate({ TMPDIR: '/var/tmp/mine' }, 'linux'), false);
    assert.equal(ramCandidate({}, 'darwin'), false);
  });

  describe('with TMPDIR unset (where a user\'s copies go)', () => {
    let saved: string | undefined;
    beforeEach(() => {
      saved = process.env.TMPDIR;
      delete process.env.TMPDIR;
    });
    afterEach(() => {
      if (saved !== undefined) process.env.TMPDIR = saved;
    });
    const onTmpfs = async (dir: string) => typeof fs.statfs === 'function' && (await fs.statfs(dir)).type === 0x01021994;

    it('a source-only copy goes to /dev/shm when the temp folder is on a disk; a sandboxed check writes the copy and nothing else there', async function () {
      this.timeout(30_000);
      ws = await sampleWorkspace({ 'a.txt': 'a\n', 'node_modules/dep/index.js': 'module.exports = 1;\n', '.gitignore': 'node_modules/\n' }, { git: true });
      const ram = process.platform === 'linux' && !(await onTmpfs(os.tmpdir())) && (await onTmpfs(RAM_ROOT).catch(() => false));
      const copy = await createScratchCopy(ws.root, { dependencies: 'link' });
      const escape = path.join(RAM_ROOT, `fugu-escape-probe-${process.pid}`);
      try {
        assert.equal(path.dirname(copy.base), ram ? RAM_ROOT : await fs.realpath(os.tmpdir()));
        assert.equal(await fs.readFile(path.join(copy.root, 'a.txt'), 'utf8'), 'a\n');
        assert.equal(await sandboxEngine(), 'bubblewrap', 'bubblewrap can start on this machine');
        const r = await runCheckCommand(toCommand(`echo b > a.txt && git status --porcelain && { touch '${escape}' 2>/dev/null; true; } && { echo x > node_modules/dep/index.js || echo refused; }`), {
          cwd: copy.root, env: process.env, timeoutMs: 20_000, maxOutputBytes: 65536,
          sandbox: { engine: 'bubblewrap', policy: { writable: copy.base, readable: copy.reads, network: true } },
        });
        assert.equal(r.outcome, 'passed', r.outputTail);
        assert.match(r.outputTail, /^ M a\.txt$/m, 'git in the copy sees the edit');
        assert.match(r.outputTail, /^refused$/m, 'a linked dependency is read-only');
        assert.equal(await fs.readFile(path.join(copy.root, 'a.txt'), 'utf8'), 'b\n');
        assert.equal(await exists(escape), false, 'the rest of /dev/shm is out of reach');
        assert.equal(await ws.read('a.txt'), 'a\n');
        assert.equal(await ws.read('node_modules/dep/index.js'), 'module.exports = 1;\n');
      } finally {
        await copy.dispose();
        await fs.rm(escape, { force: true });
      }
      assert.equal(await exists(copy.base), false);
    });

    it('a copy that takes dependency folders whole stays in the temp folder', async () => {
      ws = await sampleWorkspace({ 'a.txt': 'a\n', 'node_modules/dep/index.js': 'module.exports = 1;\n', '.gitignore': 'node_modules/\n' }, { git: true });
      const copy = await createScratchCopy(ws.root, { dependencies: 'copy' });
      try {
        assert.equal(path.dirname(copy.base), await fs.realpath(os.tmpdir()));
        assert.equal(await fs.readFile(path.join(copy.root, 'node_modules/dep/index.js'), 'utf8'), 'module.exports = 1;\n');
      } finally {
        await copy.dispose();
      }
    });
  });
});
