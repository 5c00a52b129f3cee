import type { AnswerOptions } from './agent/conversation';
import type { CheckSetup } from './check/checkSession';
import type { PendingCheck } from './check/pendingCheck';
import type { FuguConfig, WorkerConfig } from './config';
import type { WorkspaceIndex } from './context/workspaceIndex';
import type { FileEditPlan, WorkspaceFiles } from './edits/types';
import type { ClientRequest } from './policies/directRequest';
import type { Policy } from './policies/types';
import type { OutcomeStore } from './policies/learned/outcomeLog';
import type { TraceDocument, TraceListener } from './trace/types';
import type { WorkerFactories } from './workers/types';
import type { WorkerPool } from './workers/workerPool';
import type { ChatMessage, ImagePart, ToolCall, Usage } from './workers/types';
import type { Workflow } from './workflow/types';

/** A file sent as context with the task. */
export interface ContextFile {
  path: string; // workspace-relative
  text: string;
  /** Why it was sent (named in the task, open, defines `x`, imported by y, map); shown in the trace. */
  reason?: string;
  /** Set when only a part of the file was sent (the selection, or a capped prefix). */
  note?: string;
  /** The 1-based line ranges sent, when only parts of the file were (excerpts, a capped prefix). */
  lines?: [number, number][];
}

/** Where a worker's key comes from: SecretStorage in the editor, the environment in the CLI. */
export type KeyResolver = (worker: WorkerConfig) => Promise<string | undefined>;

export interface RunOptions {
  task: string;
  config: FuguConfig;
  keys: KeyResolver;
  context?: ContextFile[];
  /** The user's own words when `task` was built around them (inline generation): the run's title in the trace. */
  title?: string;
  /** Context already written into `task` (inline: the lines around the cursor), as the trace lists it. */
  contextInTask?: string[];
  /** What the user asked to send that is not sent, with why (an attachment outside the workspace): listed last. */
  contextNotSent?: string[];
  signal?: AbortSignal;
  onEvent?: TraceListener;
  /** When given, the final answer is parsed for edits and planned against this workspace (nothing is written). */
  workspace?: WorkspaceFiles;
  /** The workspace's index: with `workspace`, planners may read the workspace through read-only tools (`tools.maxCalls`). */
  index?: WorkspaceIndex;
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
  /** Workers kept across runs (a server's): each worker's SDK client is built once, not once per run. */
  workerPool?: WorkerPool;
  /** For a client's conversation: the answering step gets its tools and format, and continues its tool loop. */
  answer?: { options: AnswerOptions; continuation: ChatMessage[]; seenCallIds?: string[] };
  /** Images of the task, given to every step whose provider takes them. */
  images?: ImagePart[];
  /**
   * A long conversation's bounded view: the task the policy and every step but the answering one see
   * instead of `task`, and the trace's note saying so (see agent/planningView.ts).
   */
  planning?: { task: string; note: string };
  /** A client's conversation: what it asks beyond the task (the policy may answer it with one call). */
  request?: ClientRequest;
  /** Continue an earlier run: its workflow, and the outputs of the steps before its answer, instead of planning. */
  resume?: ResumePoint;
  /**
   * [verify] Check the edits with the workspace's own command in a scratch copy of `workspace`
   * (issue 11). `{ skipped }` says why no check runs (a round note); absent: checks are not asked for.
   * A `PendingCheck` is a question still open: the run does not wait for it (issue 24).
   */
  check?: CheckSetup | { skipped: string } | PendingCheck;
  /** The user's outcome log: the learned policy learns from it, and a verified run's check verdict is recorded in it. */
  outcomes?: OutcomeStore;
}

/** Where a run stopped for the client's tools: enough to continue without planning again. */
export interface ResumePoint {
  /** The run this continues (its trace goes on under the same id). */
  traceId: string;
  /** The round of the answering step. */
  round: number;
  workflow: Workflow;
  /** Outputs of the round, by step; those before `answerIndex` are reused. */
  outputs: string[];
  answerIndex: number;
  extraWorkers?: WorkerConfig[];
  /** The run's trace as it stopped; the continuation extends it. */
  trace: TraceDocument;
}

export interface RunResult {
  trace: TraceDocument;
  /** Matched edit plans (nothing written yet); empty without a workspace. */
  plans: FileEditPlan[];
  /** The answer's calls of the client's tools (empty when it answered in text). */
  toolCalls: ToolCall[];
  /** Set when the run stopped for tool calls: how to continue it when the results come. */
  resumable?: ResumePoint;
  /** What this call of runTask spent (the trace's totals also count a continued run's earlier turns). */
  spent: { usage: Usage; costUsd: number; calls: number };
}
