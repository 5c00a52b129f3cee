// The context a run without an editor sends (fugu solve, fugu eval): ranked files from an index built
// for that run, and the index itself for the planners' read-only tools.
import type { FuguConfig } from '../config';
import type { ContextFile, KeyResolver } from '../runTypes';
import { startEmbeddings } from './embeddings/startEmbeddings';
import { gatherRepoContext } from './gatherRepoContext';
import { WorkspaceIndex } from './workspaceIndex';

/** What embeddings need when `context.embeddings` is on; the signal stops their background work. */
export interface ContextEmbeddings {
  keys: KeyResolver;
  cacheDir: string;
  signal: AbortSignal;
}

/** Throws when the workspace cannot be indexed; the caller decides whether to go on without context. */
export async function workspaceContext(
  task: string,
  root: string,
  config: Pick<FuguConfig, 'context' | 'workers'>,
  embed?: ContextEmbeddings,
): Promise<{ context: ContextFile[]; index: WorkspaceIndex; notes: string[] }> {
  const c = config.context;
  const index = await WorkspaceIndex.build({ root, exclude: c.exclude, maxFileBytes: c.maxFileBytes });
  const embeddings = embed ? await startEmbeddings({ config, keys: embed.keys, index, cacheDir: embed.cacheDir, signal: embed.signal }) : undefined;
  const gathered = await gatherRepoContext({ task, index, maxChars: c.maxChars, embeddings });
  return { context: gathered.files, index, notes: gathered.notes ?? [] };
}
