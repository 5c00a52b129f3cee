// What became of a proposed edit once someone decided on it: applied (on disk or in the editor),
// rejected in review, or failed / refused when applied. Outcomes reach the trace only as an 'edits'
// event through the reducer, built here, so the CLI, the review and the history record them alike.
import type { TraceEdit, TraceEvent } from './types';

export interface EditOutcome {
  path: string;
  status: 'applied' | 'rejected' | 'failed' | 'refused';
  reason: string | null;
}

/** The 'edits' event that folds `outcomes` into the trace's edit list (files without one keep theirs). */
export function outcomesEvent(edits: readonly TraceEdit[], outcomes: readonly EditOutcome[]): Extract<TraceEvent, { type: 'edits' }> {
  const byPath = new Map(outcomes.map((o) => [o.path, o]));
  return {
    type: 'edits',
    edits: edits.map((e) => {
      const o = byPath.get(e.path);
      return o ? { ...e, status: o.status, reason: o.reason } : { ...e };
    }),
  };
}
