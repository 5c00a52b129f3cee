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
  /**
   * Records the check about to run in the copy (its marker, before it starts) and then its process
   * group, so a later start can end it if this process dies while it runs.
   */
  recordCheck(check: { pgid: number | null; marker: string } | null): Promise<void>;
  /** Removes the copy; safe to call twice. */
  dispose(): Promise<void>;
}

interface Owner {
  pid: number;
  /** Set by earlier versions, whose copies were worktrees of this repository. */
  repo?: string | null;
  /**
   * The check running in the copy: the variable its processes carry (recorded before it starts), and
   * its process group once known.
   */
  check?: { pgid: number | null; marker: string } | null;
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
  const deps = opts.dependencies ?? 'copy';
  const dependencies = deps === 'link' ? 'linked' : 'copied';
  const top = (await git(['rev-parse', '--show-toplevel'], root))?.toString('utf8').trim();
  const hasHead = top ? (await git(['rev-parse', '--verify', '-q', 'HEAD'], root)) !== null : false;
  const from = top && hasHead ? top : root;
  // What will be copied, listed before the copy's place is chosen (a RAM folder when it fits).
  const files = top && hasHead ? await gitFiles(top) : await plainFiles(root);
  const tmpRoot = opts.tmpRoot ?? (await copyRootFor(from, files, await wholeCopies(root, deps)));
  const base = await fs.realpath(await fs.mkdtemp(path.join(tmpRoot, COPY_PREFIX)));
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
  try {
    await writeOwner(base, owner);
    if (top && hasHead) {
      const prefix = path.relative(top, root);
      await gitCopy(top, dir, files);
      const copyRoot = path.join(dir, prefix);
      await copyIgnored(root, copyRoot, opts.copyIgnored ?? []);
      await addDependencies(root, copyRoot, deps);
      return { root: copyRoot, base, kind: 'git', dependencies, reads: [...new Set([root, top])], recordCheck, dispose };
    }
    await fs.mkdir(dir);
    await copyPaths(root, dir, files, false);
    await copyIgnored(root, dir, opts.copyIgnored ?? []);
    await addDependencies(root, dir, deps);
    return { root: dir, base, kind: 'copy', dependencies, reads: [root], recordCheck, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

/** tmpfs's `f_type` (statfs). */
const TMPFS_MAGIC = 0x01021994;
/** The RAM folder a copy may go to on Linux when TMPDIR names no folder of the user's choosing. */
export const RAM_ROOT = '/dev/shm';
/** A copy goes to RAM only when the folder's free space is this many times the copy's bytes ... */
const RAM_HEADROOM = 8;
/** ... and at least this much is free (a check's own outputs land in the copy too). */
const RAM_MIN_FREE = 2 ** 31;

/**
 * Where a copy goes when the caller names no folder: the OS temp folder, unless it is on a disk and
 * TMPDIR is unset, the platform is Linux, and /dev/shm is a tmpfs with room to spare; there,
 * creating thousands of files costs a fraction of what a journaling file system takes. Copies that
 * take whole folders (dependency folders on the fallback, build folders) stay on the disk.
 */
async function copyRootFor(from: string, files: string[], whole: boolean, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Promise<string> {
  const disk = os.tmpdir();
  if (whole || !ramCandidate(env, platform)) return disk;
  if (await isTmpfs(disk)) return disk;
  const ram = await statfs(RAM_ROOT);
  if (!ram || ram.type !== TMPFS_MAGIC) return disk;
  const free = ram.bavail * ram.bsize;
  if (free < RAM_MIN_FREE) return disk;
  const bytes = await totalBytes(from, files, Math.floor(free / RAM_HEADROOM));
  return bytes === null ? disk : RAM_ROOT;
}

/** Whether the RAM folder is worth trying here: Linux, and no TMPDIR set by the user (or a test). */
export function ramCandidate(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): boolean {
  return platform === 'linux' && !env.TMPDIR;
}

async function isTmpfs(dir: string): Promise<boolean> {
  return (await statfs(dir))?.type === TMPFS_MAGIC;
}

/** statfs, or null where it fails or Node lacks it (before 18.15). */
function statfs(dir: string): Promise<{ type: number; bavail: number; bsize: number } | null> {
  if (typeof fs.statfs !== 'function') return Promise.resolve(null);
  return fs.statfs(dir).catch(() => null);
}

/** The bytes of `rels` under `from`; null as soon as they pass `limit`. */
async function totalBytes(from: string, rels: string[], limit: number): Promise<number | null> {
  let total = 0;
  let next = 0;
  const lanes = Array.from({ length: Math.min(32, rels.length) }, async () => {
    while (next < rels.length && total <= limit) {
      const st = await fs.lstat(path.join(from, rels[next++])).catch(() => null);
      total += st?.size ?? 0;
    }
  });
  await Promise.all(lanes);
  return total <= limit ? total : null;
}

/** Whether the copy will take a whole folder (a build folder; dependency folders when not linked). */
async function wholeCopies(root: string, deps: 'link' | 'copy'): Promise<boolean> {
  const names = deps === 'copy' ? [...DEPENDENCY_DIRS, ...BUILD_DIRS] : BUILD_DIRS;
  for (const name of names) if ((await fs.lstat(path.join(root, name)).catch(() => null))?.isDirectory()) return true;
  return false;
}

async function writeOwner(base: string, owner: Owner): Promise<void> {
  // Written whole, then renamed: a sweep never reads half a file.
  const tmp = path.join(base, `${OWNER_FILE}.tmp`);
  await fs.writeFile(tmp, JSON.stringify(owner));
  await fs.rename(tmp, path.join(base, OWNER_FILE));
}

/** The files of the user's tree a git copy takes: tracked ones as they stand now and untracked ones git does not ignore. */
async function gitFiles(top: string): Promise<string[]> {
  const [tracked, untracked] = await Promise.all([git(['ls-files', '-z'], top), git(['ls-files', '--others', '--exclude-standard', '-z'], top)]);
  return [...zList(tracked), ...zList(untracked)];
}

async function gitCopy(top: string, dir: string, files: string[]): Promise<void> {
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
  await copyPaths(top, dir, files, false);
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

/** The files of a folder outside git: what its .gitignore files leave in, dependency, build and .git folders out. */
async function plainFiles(root: string): Promise<string[]> {
  const excludes = [...DEPENDENCY_DIRS, ...BUILD_DIRS, '.git'].flatMap((d) => ['-x', `${d}/`]);
  // git honours every .gitignore in the tree; a throwaway git directory lets it list a folder that is
  // no repository (named like a copy, so a sweep removes it if we crash before we do).
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), COPY_PREFIX));
  try {
    const gitDir = path.join(scratch, 'list.git');
    const listed = (await git(['init', '--bare', '-q', gitDir], scratch)) !== null
      ? await git([`--git-dir=${gitDir}`, `--work-tree=${root}`, 'ls-files', '--others', '--exclude-standard', ...excludes, '-z'], root)
      : null;
    return listed ? zList(listed) : await walk(root, '');
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
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
export async function sweepStaleCopies(tmpRoot?: string): Promise<string[]> {
  const removed: string[] = [];
  // Without a folder named, both places a copy may be (the RAM folder only where copies go there).
  const roots = tmpRoot ? [tmpRoot] : [os.tmpdir(), ...(ramCandidate(process.env, process.platform) ? [RAM_ROOT] : [])];
  const bases: string[] = [];
  for (const dir of roots) for (const name of await fs.readdir(dir).catch(() => [] as string[])) if (name.startsWith(COPY_PREFIX)) bases.push(path.join(dir, name));
  for (const base of bases) {
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
