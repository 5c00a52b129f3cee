// The scratch copy a check runs in: never the user's files. In a git repository it is a detached
// worktree at HEAD plus the uncommitted changes (modified, deleted, untracked-not-ignored), so it
// is what the user sees; elsewhere a .gitignore-aware copy. Dependency folders are linked.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { git, zList } from './git';

export const COPY_PREFIX = 'fugu-check-';
/** Linked into the copy instead of copied: large, and read-only for a test run. */
export const LINKED_DIRS = ['node_modules', '.venv', 'venv', 'target', 'vendor'];
const OWNER_FILE = 'owner.json';

export interface ScratchCopy {
  /** The workspace root inside the copy (the check's working directory). */
  readonly root: string;
  readonly kind: 'worktree' | 'copy';
  /** Removes the copy (and its worktree registration); safe to call twice. */
  dispose(): Promise<void>;
}

interface Owner {
  pid: number;
  /** The repository the worktree is registered in, if any. */
  repo: string | null;
}

export async function createScratchCopy(workspaceRoot: string, opts: { tmpRoot?: string } = {}): Promise<ScratchCopy> {
  const root = await fs.realpath(workspaceRoot);
  const base = await fs.mkdtemp(path.join(opts.tmpRoot ?? os.tmpdir(), COPY_PREFIX));
  const dir = path.join(base, 'ws');
  let repo: string | null = null;
  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    await removeCopy(base, repo);
  };
  try {
    const top = (await git(['rev-parse', '--show-toplevel'], root))?.toString('utf8').trim();
    const hasHead = top ? (await git(['rev-parse', '--verify', '-q', 'HEAD'], root)) !== null : false;
    if (top && hasHead) {
      repo = top;
      await writeOwner(base, { pid: process.pid, repo });
      const prefix = path.relative(top, root);
      await worktreeCopy(top, dir);
      const copyRoot = path.join(dir, prefix);
      await linkDependencies(root, copyRoot);
      return { root: copyRoot, kind: 'worktree', dispose };
    }
    await writeOwner(base, { pid: process.pid, repo: null });
    await plainCopy(root, dir, base);
    await linkDependencies(root, dir);
    return { root: dir, kind: 'copy', dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

async function writeOwner(base: string, owner: Owner): Promise<void> {
  await fs.writeFile(path.join(base, OWNER_FILE), JSON.stringify(owner));
}

async function worktreeCopy(top: string, dir: string): Promise<void> {
  // Registered at HEAD without a checkout (git's checkout of thousands of files is the slow part),
  // then the files copied from the user's tree: tracked ones as they stand
  // now (uncommitted edits included, deleted ones absent) and untracked ones git does not ignore.
  if ((await git(['worktree', 'add', '--detach', '--no-checkout', '-q', dir, 'HEAD'], top)) === null) {
    throw new Error('git could not add a worktree for the check');
  }
  // The user's index, so git in the copy sees what is staged as the user does (HEAD's tree if it cannot be copied).
  const indexPath = async (cwd: string) => {
    const p = (await git(['rev-parse', '--git-path', 'index'], cwd))?.toString('utf8').trim();
    return p ? path.resolve(cwd, p) : null;
  };
  const [from, to] = [await indexPath(top), await indexPath(dir)];
  const copied = from && to ? await fs.copyFile(from, to).then(() => true, () => false) : false;
  if (!copied) await git(['read-tree', 'HEAD'], dir);
  const tracked = zList(await git(['ls-files', '-z'], top));
  const untracked = zList(await git(['ls-files', '--others', '--exclude-standard', '-z'], top));
  await copyPaths(top, dir, [...tracked, ...untracked], false);
}

async function plainCopy(root: string, dir: string, base: string): Promise<void> {
  await fs.mkdir(dir);
  const excludes = [...LINKED_DIRS, '.git'].flatMap((d) => ['-x', `${d}/`]);
  // git honours every .gitignore in the tree; a throwaway git directory lets it list a folder that is no repository.
  const gitDir = path.join(base, 'list.git');
  const listed = (await git(['init', '--bare', '-q', gitDir], base)) !== null
    ? await git([`--git-dir=${gitDir}`, `--work-tree=${root}`, 'ls-files', '--others', '--exclude-standard', ...excludes, '-z'], root)
    : null;
  await fs.rm(gitDir, { recursive: true, force: true });
  const files = listed ? zList(listed) : await walk(root, '');
  await copyPaths(root, dir, files, false);
}

async function walk(abs: string, rel: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(path.join(abs, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!LINKED_DIRS.includes(e.name) && e.name !== '.git') out.push(...(await walk(abs, r)));
    } else out.push(r);
  }
  return out;
}

/** Copies `rels` from `from` to `to` (a path missing in `from` is removed from `to` when `deletions`). */
async function copyPaths(from: string, to: string, rels: string[], deletions: boolean): Promise<void> {
  // Two tar processes copy thousands of files in a fraction of the time Node takes a file at a time;
  // where GNU tar is missing or fails, the copy below does it (it overwrites what tar wrote).
  if (!deletions && rels.length > 0 && (await tarCopy(from, to, rels))) return;
  // One mkdir per folder, shared by every file in it (a lane must wait for another lane's mkdir).
  const made = new Map<string, Promise<unknown>>();
  const one = async (rel: string) => {
    const src = path.join(from, rel);
    const dst = path.join(to, rel);
    const st = await fs.lstat(src).catch(() => null);
    if (!st) {
      if (deletions) await fs.rm(dst, { recursive: true, force: true });
      return;
    }
    const parent = path.dirname(dst);
    let mkdir = made.get(parent);
    if (!mkdir) {
      mkdir = fs.mkdir(parent, { recursive: true });
      made.set(parent, mkdir);
    }
    await mkdir;
    if (st.isSymbolicLink()) {
      await fs.rm(dst, { force: true });
      await fs.symlink(await fs.readlink(src), dst);
    } else if (st.isFile()) {
      // A clone where the file system can (copy-on-write), a plain copy elsewhere; never a hard link.
      await fs.copyFile(src, dst, constants.COPYFILE_FICLONE);
      // tar keeps modification times (make and other tools compare them); so does this copy. From the
      // numbers, not the Dates: a Date is rounded to the millisecond, and .9996 s would become the next second.
      await fs.utimes(dst, st.atimeMs / 1000, st.mtimeMs / 1000);
    }
  };
  // Bounded parallelism: thousands of files, without running out of file handles.
  let next = 0;
  const lanes = Array.from({ length: Math.min(32, rels.length) }, async () => {
    while (next < rels.length) await one(rels[next++]);
  });
  await Promise.all(lanes);
}

/**
 * `tar -c` of the listed paths piped into `tar -x`: symlinks stay links, modes are kept, a listed
 * path that no longer exists is skipped. GNU tar's flags: elsewhere it fails and false is returned.
 */
function tarCopy(from: string, to: string, rels: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const pack = spawn('tar', ['-C', from, '--null', '--verbatim-files-from', '--ignore-failed-read', '-T', '-', '-cf', '-'], { stdio: ['pipe', 'pipe', 'ignore'] });
    // The archive goes from one tar to the other through the pipe itself, not through Node.
    const unpack = spawn('tar', ['-C', to, '-xf', '-'], { stdio: [pack.stdout, 'ignore', 'ignore'] });
    pack.stdout.destroy();
    let pending = 2;
    let ok = true;
    const fail = () => {
      if (!ok) return;
      ok = false;
      pack.kill();
      unpack.kill();
    };
    // Each process ends once: by 'exit', or by 'error' alone when it could not start (no tar on PATH).
    const ended = (child: ChildProcess) => {
      let done = false;
      const end = (code: number | null) => {
        if (done) return;
        done = true;
        if (code !== 0) fail();
        if (--pending === 0) resolve(ok);
      };
      // 'exit', not 'close': pack's stdout belongs to unpack now, so Node never sees it close.
      child.on('exit', end);
      child.on('error', () => (child.pid === undefined ? end(null) : fail()));
    };
    ended(pack);
    ended(unpack);
    pack.stdin.on('error', fail);
    pack.stdin.end(rels.join('\0'));
  });
}

async function linkDependencies(userRoot: string, copyRoot: string): Promise<void> {
  for (const name of LINKED_DIRS) {
    const src = path.join(userRoot, name);
    const st = await fs.lstat(src).catch(() => null);
    if (!st?.isDirectory()) continue;
    const dst = path.join(copyRoot, name);
    if (await fs.lstat(dst).catch(() => null)) continue;
    await fs.mkdir(copyRoot, { recursive: true });
    await fs.symlink(src, dst, 'dir');
  }
}

async function removeCopy(base: string, repo: string | null): Promise<void> {
  if (repo) await git(['worktree', 'remove', '--force', path.join(base, 'ws')], repo);
  await fs.rm(base, { recursive: true, force: true });
  if (repo) await git(['worktree', 'prune'], repo);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes copies a crashed run left behind (their owner process is gone) and prunes their
 * worktrees from git. Copies of live runs, in this process or another, are left alone.
 */
export async function sweepStaleCopies(tmpRoot = os.tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  const names = await fs.readdir(tmpRoot).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(COPY_PREFIX))) {
    const base = path.join(tmpRoot, name);
    const owner = await fs.readFile(path.join(base, OWNER_FILE), 'utf8').then((t) => JSON.parse(t) as Owner, () => null);
    if (owner && alive(owner.pid)) continue;
    if (!owner) {
      // Between mkdtemp and writing the owner file, a live run's copy has no owner yet: give it a minute.
      const st = await fs.stat(base).catch(() => null);
      if (!st || Date.now() - st.mtimeMs < 60_000) continue;
    }
    await removeCopy(base, owner?.repo ?? null);
    removed.push(base);
  }
  return removed;
}
