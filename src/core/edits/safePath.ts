// Decides whether a path the coder wrote may be touched: inside the workspace, not in .git/, and
// not reached through a symlink that leads outside.
import * as path from 'node:path';
import type { WorkspaceFiles } from './types';

export type PathCheck = { ok: true; rel: string; abs: string } | { ok: false; reason: string };

/** Checks the shape of the path alone (no file system). */
export function checkPathShape(rel: string): PathCheck | null {
  if (rel.trim() === '') return { ok: false, reason: 'The path is empty.' };
  if (rel.includes('\0')) return { ok: false, reason: 'The path contains a NUL character.' };
  const p = rel.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.startsWith('//')) {
    return { ok: false, reason: `"${rel}" is an absolute path; only workspace-relative paths can be edited.` };
  }
  if (p === '~' || p.startsWith('~/')) return { ok: false, reason: `"${rel}" points into the home directory, outside the workspace.` };
  const norm = path.posix.normalize(p);
  if (norm === '..' || norm.startsWith('../')) return { ok: false, reason: `"${rel}" leaves the workspace.` };
  if (norm === '.' || norm === '') return { ok: false, reason: `"${rel}" names the workspace itself, not a file.` };
  // Case-insensitive: on macOS and Windows ".GIT" is the same folder.
  if (norm.split('/').some((seg) => seg.toLowerCase() === '.git')) {
    return { ok: false, reason: `"${rel}" is inside a .git folder, which is never edited.` };
  }
  return null;
}

export async function checkPath(ws: WorkspaceFiles, rel: string): Promise<PathCheck> {
  const shape = checkPathShape(rel);
  if (shape) return shape;
  const norm = path.posix.normalize(rel.replace(/\\/g, '/'));
  const abs = path.resolve(ws.root, ...norm.split('/'));
  let realRoot: string;
  let real: string;
  try {
    realRoot = await ws.realpath(ws.root);
    real = await ws.realpath(abs);
  } catch (e) {
    return { ok: false, reason: `"${rel}" could not be resolved: ${(e as Error).message}` };
  }
  if (real !== realRoot && !real.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep)) {
    return { ok: false, reason: `"${rel}" goes through a symbolic link that leads outside the workspace.` };
  }
  const realRel = path.relative(realRoot, real).split(path.sep);
  if (realRel.some((seg) => seg.toLowerCase() === '.git')) {
    return { ok: false, reason: `"${rel}" resolves into a .git folder, which is never edited.` };
  }
  return { ok: true, rel: norm, abs };
}
