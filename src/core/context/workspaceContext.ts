// The context a run without an editor sends (fugu solve, fugu eval): ranked files from an index built
// for that run, and the index itself for the planners' read-only tools.
import type { FuguConfig } from '../config';
import type { ContextFile } from '../runTypes';
import { gatherRepoContext } from './gatherRepoContext';
import { WorkspaceIndex } from './workspaceIndex';

/** Throws when the workspace cannot be indexed; the caller decides whether to go on without context. */
export async function workspaceContext(task: string, root: string, config: Pick<FuguConfig, 'context'>): Promise<{ context: ContextFile[]; index: WorkspaceIndex }> {
  const c = config.context;
  const index = await WorkspaceIndex.build({ root, exclude: c.exclude, maxFileBytes: c.maxFileBytes });
  return { context: (await gatherRepoContext({ task, index, maxChars: c.maxChars })).files, index };
}
