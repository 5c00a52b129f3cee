// What every part of one run shares: runTask makes it once; the executor and the edit planning take it.
import type { BudgetTracker } from './budget';
import type { WorkerConfig } from './config';
import type { ToolWorkspace } from './context/readOnlyTools';
import type { TraceListener } from './trace/types';
import type { Usage, Worker } from './workers/types';

export interface RunContext {
  /** Calls, tokens and cost of the whole run (every round, every policy call). */
  budget: BudgetTracker;
  /** Aborted when the user cancels the run. */
  signal: AbortSignal;
  /** Every trace event of the run goes through here (folded into the run's trace, then to listeners). */
  emit: TraceListener;
  /** Milliseconds since the run started. */
  clock(): number;
  /** The worker for a config, created once per run with its key, timeout and retries. */
  getWorker(cfg: WorkerConfig): Promise<Worker>;
  /** What a call with this usage cost on this worker, in USD. */
  costOf(cfg: WorkerConfig, usage: Usage): number;
  /** The read-only workspace tools planners may call, and how many calls a step may make; absent: no tools. */
  readTools?: { workspace: ToolWorkspace; maxCalls: number };
}
