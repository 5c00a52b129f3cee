// What a check did to its copy: the copy's files before and after, compared by size, inode and
// change time (ctime moves on every write, rename or utimes; a check cannot set it back).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Workspace-relative path → a signature of the file as it stands. */
export type CopyState = Map<string, string>;

/** The files under `root`, but for `.git` and the top-level folders in `skip` (dependency folders). */
export async function copyState(root: string, skip: string[]): Promise<CopyState> {
  const state: CopyState = new Map();
  const walk = async (rel: string): Promise<void> => {
    const entries = await fs.readdir(path.join(root, rel), { withFileTypes: true }).catch(() => []);
    await Promise.all(
      entries.map(async (e) => {
        if (e.name === '.git' || (rel === '' && skip.includes(e.name))) return;
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) return walk(r);
        const st = await fs.lstat(path.join(root, r), { bigint: true }).catch(() => null);
        if (st) state.set(r, signature(st));
      }),
    );
  };
  await walk('');
  return state;
}

/** The paths created, changed or deleted between two states, sorted. */
export function changedPaths(before: CopyState, after: CopyState): string[] {
  const out: string[] = [];
  for (const [p, sig] of after) if (before.get(p) !== sig) out.push(p);
  for (const p of before.keys()) if (!after.has(p)) out.push(p);
  return out.sort();
}

function signature(st: import('node:fs').BigIntStats): string {
  return `${st.size}:${st.ino}:${st.ctimeNs}:${st.mode}`;
}

/** Brings the entries of `rels` up to date after we wrote them ourselves (edits, restores), without walking the copy again. */
export async function refreshPaths(state: CopyState, root: string, rels: Iterable<string>): Promise<void> {
  for (const r of rels) {
    const st = await fs.lstat(path.join(root, r), { bigint: true }).catch(() => null);
    if (st && !st.isDirectory()) state.set(r, signature(st));
    else state.delete(r);
  }
}
