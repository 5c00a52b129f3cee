import type { FuguConfig, WorkerConfig } from '../config';
import type { PolicyRecord } from '../trace/types';
import type { Worker } from '../workers/types';
import type { Workflow } from '../workflow/types';
import type { ClientRequest } from './directRequest';
import type { OutcomeStore } from './learned/outcomeLog';

export interface PolicyInput {
  task: string;
  config: FuguConfig;
  /**
   * True when the run allows correction rounds (maxRecursion > 0), so a workflow may end with the
   * conductor's own review step (model id = workers.length; see conductorStep).
   */
  conductorMayReview: boolean;
  signal: AbortSignal;
  /** The caller asked for edits (Solve with Fugu, Generate Inline, `fugu solve --apply`): plan a coding task whatever the wording. */
  coding?: boolean;
  /** A client's conversation (fugu serve, the editor's chat models): what it asks beyond the task, for `directRequest`. */
  request?: ClientRequest;
  /** Creates (lazily) a pool worker by id, for a policy that prompts a worker as its conductor. */
  getWorker(id: string): Promise<Worker>;
  /**
   * Creates a worker for a config outside the pool (the conductor endpoint), with its key,
   * timeout and retries resolved like the pool's. Without it the policy reads the key from
   * the environment variable `policy.apiKeyEnv`.
   */
  createWorker?(cfg: WorkerConfig): Promise<Worker>;
  /** What the learned policy reads of the run beyond the task (absent: no context, no check). */
  signals?: RunSignals;
  /** The user's outcome log the learned policy learns from (absent: it knows nothing, and picks what builtin picks). */
  outcomes?: OutcomeStore;
}

/** What a run knows before any model call, besides the task's words. */
export interface RunSignals {
  /** Workspace-relative paths of the context files sent. */
  contextPaths: string[];
  contextChars: number;
  /** Whether a check will run on the edits. */
  check: boolean;
}

export interface RecursionInput extends PolicyInput {
  /** Workflows of every earlier round, oldest first. */
  previous: Workflow[];
  /** Output of the step before the conductor's own step. */
  lastResponse: string;
  /** Outputs of the round that called the conductor, by step index. */
  outputs: string[];
}

export interface PolicyPlan {
  workflow: Workflow;
  record: PolicyRecord;
  /**
   * Extra workers this plan uses (hosted Fugu's single opaque step); appended after the pool, so
   * their model ids are workers.length + i and the conductor's own id becomes the pool's new length.
   */
  extraWorkers?: WorkerConfig[];
  /**
   * Only on an accept (empty workflow) from `recurse`: the step of the round that called the
   * conductor whose output is the result (e.g. the coder's, when the step before the conductor
   * was a review). Absent: the step just before the conductor's.
   */
  resultStep?: number;
}

export interface Policy {
  readonly name: string;
  plan(input: PolicyInput): Promise<PolicyPlan>;
  /** Called when a step names the conductor itself. An empty workflow means "accept". */
  recurse(input: RecursionInput): Promise<PolicyPlan>;
}
