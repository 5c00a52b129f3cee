import type { CheckSetup } from './check/checkSession';
import type { FuguConfig, WorkerConfig } from './config';
import type { FileEditPlan, WorkspaceFiles } from './edits/types';
import type { Policy } from './policies/types';
import type { TraceDocument, TraceListener } from './trace/types';

/** A file sent as context with the task. */
export interface ContextFile {
  path: string; // workspace-relative
  text: string;
  /** Set when only a part of the file was sent (the selection, or a capped prefix). */
  note?: string;
}

/** Where a worker's key comes from: SecretStorage in the editor, the environment in the CLI. */
export type KeyResolver = (worker: WorkerConfig) => Promise<string | undefined>;

export interface RunOptions {
  task: string;
  config: FuguConfig;
  keys: KeyResolver;
  context?: ContextFile[];
  signal?: AbortSignal;
  onEvent?: TraceListener;
  /** When given, the final answer is parsed for edits and planned against this workspace (nothing is written). */
  workspace?: WorkspaceFiles;
  /** Ask the coder once more for blocks that failed to match (default true). */
  repair?: boolean;
  /** Trace id; generated when absent. */
  id?: string;
  /** Replaces the configured policy (inline generation brings its own fixed workflow). */
  policy?: Policy;
  /**
   * [verify] Check the edits with the workspace's own command in a scratch copy of `workspace`
   * (issue 11). `{ skipped }` says why no check runs (a round note); absent: checks are not asked for.
   */
  check?: CheckSetup | { skipped: string };
}

export interface RunResult {
  trace: TraceDocument;
  /** Matched edit plans (nothing written yet); empty without a workspace. */
  plans: FileEditPlan[];
}
