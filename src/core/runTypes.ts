import type { FuguConfig, WorkerConfig } from './config';
import type { FileEditPlan, WorkspaceFiles } from './edits/types';
import type { Policy } from './policies/types';
import type { TraceDocument, TraceListener } from './trace/types';
import type { WorkerFactories } from './workers/types';

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
  /** The caller asks for edits (Solve with Fugu, Generate Inline, `fugu solve --apply`/`--diff`): a coding task whatever its wording. */
  wantsEdits?: boolean;
  /** Ask the coder once more for blocks that failed to match (default true). */
  repair?: boolean;
  /** Trace id; generated when absent. */
  id?: string;
  /** Replaces the configured policy (inline generation brings its own fixed workflow). */
  policy?: Policy;
  /** Workers of providers only the host can create (the extension's vscode-lm); they need no key. */
  workerFactories?: WorkerFactories;
}

export interface RunResult {
  trace: TraceDocument;
  /** Matched edit plans (nothing written yet); empty without a workspace. */
  plans: FileEditPlan[];
}
