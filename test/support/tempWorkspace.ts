// Temporary workspaces on disk for edit tests, removed after each test.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TempWorkspace {
  root: string;
  /** A sibling folder outside the workspace, for symlink escapes. */
  outside: string;
  read(rel: string): Promise<string | null>;
  cleanup(): Promise<void>;
}

export async function makeWorkspace(files: Record<string, string> = {}): Promise<TempWorkspace> {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'fugu-edits-'));
  const root = path.join(base, 'ws');
  const outside = path.join(base, 'outside');
  await fs.mkdir(root);
  await fs.mkdir(outside);
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(root, rel);
    await fs.mkdir(path.dirname(abs), { recursive: true });
    await fs.writeFile(abs, text);
  }
  return {
    root,
    outside,
    read: (rel) => fs.readFile(path.join(root, rel), 'utf8').catch(() => null),
    cleanup: () => fs.rm(base, { recursive: true, force: true }),
  };
}
