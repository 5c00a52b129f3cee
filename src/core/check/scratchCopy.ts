// The scratch copy a check runs in: never the user's files. In a git repository it is a repository
// of its own (a clone sharing the user's objects read-only, so no ref, config, stash or object the
// check writes reaches the user's) at HEAD plus the uncommitted changes (modified, deleted,
// untracked-not-ignored), so it is what the user sees; elsewhere a .gitignore-aware copy.
// Dependency folders: under a sandbox, each entry is linked (read-only there) and cache folders are
// the copy's own; without one, the folders are copied whole.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { git, zList } from './git';
import { endCheckProcesses } from './endProcesses';

export const COPY_PREFIX = 'fugu-check-';
/** Dependency folders: linked entry by entry under a sandbox, copied whole without one. */
export const DEPENDENCY_DIRS = ['node_modules', '.venv', 'venv', 'vendor'];
/** Build folders a check writes into (cargo test): always copied whole. */
export const BUILD_DIRS = ['target'];
/** Cache folders inside a dependency folder: never linked, so a check writes them in the copy. */
export const CACHE_DIRS = ['.cache', '.vite', '.vitest', '.pytest_cache', '__pycache__'];
const OWNER_FILE = 'owner.json';

export interface ScratchCopy {
  /** The workspace root inside the copy (the check's working directory). */
  readonly root: string;
  /** The copy's folder (owner file, the copy itself): what a sandbox lets the check write. */
  readonly base: string;
  /** 'git': a repository of its own; 'copy': a plain copy outside git. */
  readonly kind: 'git' | 'copy';
  /** 'linked': dependency entries link to the user's (read-only only under a sandbox); 'copied': full copies. */
  readonly dependencies: 'linked' | 'copied';
  /** Folders outside the copy its links and its repository read (the user's workspace and repository). */
  readonly reads: string[];
  /** Records the process group (and marker) of a running check, so a later start can end an orphan. */
  recordCheck(check: { pgid: number; marker: string } | null): Promise<void>;
  /** Removes the copy; safe to call twice. */
  dispose(): Promise<void>;
}

interface Owner {
  pid: number;
  /** Set by earlier versions, whose copies were worktrees of this repository. */
  repo?: string | null;
  /** The check running in the copy: its process group, and the variable its processes carry. */
  check?: { pgid: number; marker: string } | null;
}

export interface ScratchCopyOptions {
  tmpRoot?: string;
  /** 'link' only under a sandbox (the links are read-only there); 'copy' (default) copies them whole. */
  dependencies?: 'link' | 'copy';
  /** Git-ignored paths (relative to the workspace) copied anyway (verify.copyIgnored). */
  copyIgnored?: string[];
}

export async function createScratchCopy(workspaceRoot: string, opts: ScratchCopyOptions = {}): Promise<ScratchCopy> {
  const root = await fs.realpath(workspaceRoot);
  const base = await fs.realpath(await fs.mkdtemp(path.join(opts.tmpRoot ?? os.tmpdir(), COPY_PREFIX)));
  const dir = path.join(base, 'ws');
  let owner: Owner = { pid: process.pid };
  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    await removeCopy(base, null);
  };
  const recordCheck = async (check: Owner['check']) => {
    owner = { ...owner, check };
    if (!disposed) await writeOwner(base, owner).catch(() => undefined);
  };
  const deps = opts.dependencies ?? 'copy';
  const dependencies = deps === 'link' ? 'linked' : 'copied';
  try {
    await writeOwner(base, owner);
    const top = (await git(['rev-parse', '--show-toplevel'], root))?.toString('utf8').trim();
    const hasHead = top ? (await git(['rev-parse', '--verify', '-q', 'HEAD'], root)) !== null : false;
    if (top && hasHead) {
      const prefix = path.relative(top, root);
      await gitCopy(top, dir);
      const copyRoot = path.join(dir, prefix);
      await copyIgnored(root, copyRoot, opts.copyIgnored ?? []);
      await addDependencies(root, copyRoot, deps);
      return { root: copyRoot, base, kind: 'git', dependencies, reads: [...new Set([root, top])], recordCheck, dispose };
    }
    await plainCopy(root, dir, base);
    await copyIgnored(root, dir, opts.copyIgnored ?? []);
    await addDependencies(root, dir, deps);
    return { root: dir, base, kind: 'copy', dependencies, reads: [root], recordCheck, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

async function writeOwner(base: string, owner: Owner): Promise<void> {
  // Written whole, then renamed: a sweep never reads half a file.
  const tmp = path.join(base, `${OWNER_FILE}.tmp`);
  await fs.writeFile(tmp, JSON.stringify(owner));
  await fs.rename(tmp, path.join(base, OWNER_FILE));
}

async function gitCopy(top: string, dir: string): Promise<void> {
  // A clone that borrows the user's objects (read through objects/info/alternates, never written):
  // refs, config, stash, index and new objects are its own. No checkout (git's checkout of
  // thousands of files is the slow part); the files are copied from the user's tree: tracked ones
  // as they stand now (uncommitted edits included, deleted ones absent) and untracked ones git does not ignore.
  if ((await git(['clone', '--shared', '--no-checkout', '-q', top, dir], path.dirname(dir))) === null) {
    throw new Error('git could not make a repository for the check');
  }
  // A push from the copy must not land in the user's repository.
  await git(['config', 'remote.origin.pushurl', 'fugu-check-copy-has-no-push-remote'], dir);
  // The user's index, so git in the copy sees what is staged as the user does (HEAD's tree if it cannot be copied).
  const from = (await git(['rev-parse', '--git-path', 'index'], top))?.toString('utf8').trim();
  const copied = from ? await fs.copyFile(path.resolve(top, from), path.join(dir, '.git', 'index')).then(() => true, () => false) : false;
  if (!copied) await git(['read-tree', 'HEAD'], dir);
  const [tracked, untracked] = await Promise.all([git(['ls-files', '-z'], top), git(['ls-files', '--others', '--exclude-standard', '-z'], top)]);
  await copyPaths(top, dir, [...zList(tracked), ...zList(untracked)], false);
}

/** The listed git-ignored paths (files or folders), where they exist; a path out of the workspace is skipped. */
async function copyIgnored(root: string, copyRoot: string, rels: string[]): Promise<void> {
  for (const rel of rels) {
    const src = path.resolve(root, rel);
    const r = path.relative(root, src);
    if (!r || r.startsWith('..') || path.isAbsolute(r)) continue;
    const st = await fs.lstat(src).catch(() => null);
    if (!st) continue;
    await fs.mkdir(path.dirname(path.join(copyRoot, r)), { recursive: true });
    await fs.cp(src, path.join(copyRoot, r), { recursive: true, verbatimSymlinks: true, force: true });
  }
}

async function plainCopy(root: string, dir: string, base: string): Promise<void> {
  await fs.mkdir(dir);
  const excludes = [...DEPENDENCY_DIRS, ...BUILD_DIRS, '.git'].flatMap((d) => ['-x', `${d}/`]);
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
      if (!DEPENDENCY_DIRS.includes(e.name) && !BUILD_DIRS.includes(e.name) && e.name !== '.git') out.push(...(await walk(abs, r)));
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

async function addDependencies(userRoot: string, copyRoot: string, mode: 'link' | 'copy'): Promise<void> {
  for (const name of [...DEPENDENCY_DIRS, ...BUILD_DIRS]) {
    const src = path.join(userRoot, name);
    const st = await fs.lstat(src).catch(() => null);
    if (!st?.isDirectory()) continue;
    const dst = path.join(copyRoot, name);
    if (await fs.lstat(dst).catch(() => null)) continue;
    await fs.mkdir(copyRoot, { recursive: true });
    if (mode === 'copy' || BUILD_DIRS.includes(name)) {
      await copyTree(src, dst);
      continue;
    }
    // One link per entry: the sandbox makes them read-only, and a cache folder (node_modules/.cache)
    // is not linked, so jest, babel or eslint write it into the copy, thrown away with it.
    await fs.mkdir(dst);
    const entries = (await fs.readdir(src)).filter((e) => !CACHE_DIRS.includes(e));
    await Promise.all(entries.map((e) => fs.symlink(path.join(src, e), path.join(dst, e))));
  }
}

/** A whole folder, links kept as links: cp (copy-on-write where the file system can), else Node. */
async function copyTree(src: string, dst: string): Promise<void> {
  const cp = await new Promise<boolean>((resolve) => execFile('cp', ['-a', '--reflink=auto', src, dst], (err) => resolve(!err)));
  if (!cp) {
    await fs.rm(dst, { recursive: true, force: true });
    await fs.cp(src, dst, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
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
 * Removes copies a crashed run left behind (their owner process is gone): first the check it was
 * running, if that outlived it (its process group, and on Linux every process carrying its marker),
 * then the copy (and, for copies of earlier versions, their worktree registration). Copies of live
 * runs, in this process or another, are left alone.
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
    if (owner?.check) await endCheckProcesses(owner.check.pgid, owner.check.marker);
    await removeCopy(base, owner?.repo ?? null);
    removed.push(base);
  }
  return removed;
}
