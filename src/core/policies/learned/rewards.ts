// What counts as an outcome for the learned policy, from each source. A reward is in [0, 1]; null
// means the run teaches nothing (no check verdict, no edit decided, a timeout, an answer with no edits).
import type { LearnedRecord, TraceDocument } from '../../trace/types';
import type { Outcome } from './model';

/** A verified run: 1 when the final check passed, 0 when it failed; a timeout or could-not-run is no verdict. */
export function checkReward(trace: Pick<TraceDocument, 'final'>): number | null {
  const outcome = trace.final.check?.outcome;
  return outcome === 'passed' ? 1 : outcome === 'failed' ? 0 : null;
}

/** Undoing accepted edits within this long counts as rejecting them. */
export const UNDO_WINDOW_MS = 2 * 60_000;

/** The editor: all edits accepted 1, all rejected 0, a mix the accepted fraction; none decided, null. */
export function editReward(accepted: number, rejected: number): number | null {
  const total = accepted + rejected;
  return total > 0 ? accepted / total : null;
}

/** Accepted edits undone: within UNDO_WINDOW_MS of accepting they were a reject (0); later the accept stands. */
export function undoReward(acceptedAtMs: number, undoneAtMs: number): 0 | null {
  return undoneAtMs - acceptedAtMs <= UNDO_WINDOW_MS ? 0 : null;
}

/** The learned choice behind a run (its first round's), or null when another policy planned it. */
export function learnedChoiceOf(trace: Pick<TraceDocument, 'rounds'>): LearnedRecord | null {
  return trace.rounds[0]?.policy.learned ?? null;
}

/** The outcome to record for a run with this reward: the features and pick the trace kept, its cost and time. */
export function outcomeOf(trace: Pick<TraceDocument, 'rounds' | 'costUsd' | 'wallMs'>, reward: number): Outcome | null {
  const choice = learnedChoiceOf(trace);
  if (!choice || !(reward >= 0 && reward <= 1)) return null;
  return { f: choice.features, c: choice.pick, r: reward, cost: trace.costUsd, ms: trace.wallMs };
}
