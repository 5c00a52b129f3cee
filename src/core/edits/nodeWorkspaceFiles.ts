// WorkspaceFiles over the real file system, for the CLI and tests.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { WorkspaceFiles } from './types';

export function nodeWorkspaceFiles(root: string): WorkspaceFiles {
  const absRoot = path.resolve(root);
  return {
    root: absRoot,
    async read(relPath: string): Promise<string | null> {
      try {
        return await fs.readFile(path.resolve(absRoot, relPath), 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return null;
        throw e;
      }
    },
    realpath: resolveReal,
  };
}

/** Real path of `abs`, or of its nearest existing parent joined with the rest; dangling links are followed by hand. */
export async function resolveReal(abs: string, depth = 0): Promise<string> {
  if (depth > 40) throw new Error('too many levels of symbolic links');
  try {
    return await fs.realpath(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
  }
  const link = await fs.lstat(abs).catch(() => null);
  if (link?.isSymbolicLink()) {
    // A link to a missing target: judge it by where it points, since writing would create that target.
    const target = await fs.readlink(abs);
    return resolveReal(path.resolve(path.dirname(abs), target), depth + 1);
  }
  const parent = path.dirname(abs);
  if (parent === abs) return abs;
  return path.join(await resolveReal(parent, depth + 1), path.basename(abs));
}
