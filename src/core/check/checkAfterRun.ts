// A check asked for after the run ended (the question was answered once the edits were already in
// review): the same scratch copy, baseline and command as during a run, on the edits still proposed,
// recorded as a check step of the last round. No corrective round follows: the user decides.
import type { FileEditPlan, WorkspaceFiles } from '../edits/types';
import type { TraceCheck, TraceDocument, TraceListener } from '../trace/types';
import { CheckSession, type CheckSetup } from './checkSession';
import { checkStep, editsStep, traceCheck } from './verifyRun';

export interface CheckAfterRunInput {
  /** The finished run (read for the last round and its steps; changed only through `emit`). */
  trace: TraceDocument;
  setup: CheckSetup;
  /** The edits to check, against the user's files. */
  plans: FileEditPlan[];
  user: WorkspaceFiles;
  emit: TraceListener;
  signal?: AbortSignal;
}

/** Null when there is nothing to check (no round, or no edit still proposed). Never throws for a failing command. */
export async function checkAfterRun(input: CheckAfterRunInput): Promise<TraceCheck | null> {
  const { trace, emit } = input;
  const round = trace.rounds.length - 1;
  const plans = input.plans.filter((p) => p.status === 'proposed');
  if (round < 0 || !trace.rounds[round] || plans.length === 0) return null;
  const started = Date.parse(trace.createdAt);
  const clock = () => (Number.isFinite(started) ? Math.max(0, Date.now() - started) : 0);
  const steps = trace.rounds[round].steps;
  const index = steps.length;
  const session = new CheckSession(input.user.root, input.setup, input.signal ?? new AbortController().signal);
  try {
    emit({ type: 'check-started', round, step: checkStep(index, session.command, clock(), editsStep(steps)) });
    const run = await session.checkEdits(plans, input.user);
    const check = traceCheck(run, await session.baseline);
    emit({ type: 'check-finished', round, index, check, endMs: clock(), rounds: 0 });
    return check;
  } finally {
    await session.dispose();
  }
}
