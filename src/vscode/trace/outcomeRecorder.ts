// The trace's end of the one road for edit outcomes (review → trace → history). Plain Node, so the
// rule "each outcome is recorded once" is tested without an editor.
import type { EditOutcome } from '../../core/trace/editOutcomes';
import { outcomesEvent } from '../../core/trace/editOutcomes';
import { applyEvent } from '../../core/trace/reduce';
import type { TraceDocument, TraceEdit, TraceEvent } from '../../core/trace/types';
import type { RunSummary } from '../../protocol/traceView';

/** The run the trace view is showing live (or showed last): its document and how to feed it an event. */
export interface RecorderRun {
  doc: TraceDocument;
  /** Still running: the history is written when it finishes, not now. */
  live: boolean;
  /** Folds the event into `doc` and forwards it to the open views. */
  emit(event: TraceEvent): void;
}

export interface RecorderHistory {
  get(id: string): Promise<TraceDocument | null>;
  save(doc: TraceDocument): Promise<RunSummary[]>;
}

export class OutcomeRecorder {
  constructor(
    private readonly history: RecorderHistory,
    private readonly current: () => RecorderRun | null,
    /** Told the new history list after a save. */
    private readonly saved: (history: RunSummary[]) => void,
  ) {}

  /**
   * Writes outcomes into the run's trace as one 'edits' event through the reducer, then into history.
   * Returns false (and records nothing) when the run is unknown or nothing would change.
   */
  async record(runId: string, outcomes: EditOutcome[]): Promise<boolean> {
    const cur = this.current();
    const live = cur && cur.doc.id === runId ? cur : null;
    const doc = live ? live.doc : await this.history.get(runId);
    if (!doc) return false;
    const event = outcomesEvent(doc.final.edits, outcomes);
    if (sameEdits(doc.final.edits, event.edits)) return false;
    if (live) live.emit(event);
    else applyEvent(doc, event);
    if (!live?.live) this.saved(await this.history.save(doc));
    return true;
  }
}

/**
 * Events that reach a run after it finished (a check asked for in the review): folded into its
 * trace through the reducer like live ones, then the history is written.
 */
export async function appendToRun(history: RecorderHistory, current: RecorderRun | null, runId: string, events: TraceEvent[]): Promise<RunSummary[] | null> {
  const live = current && current.doc.id === runId ? current : null;
  const doc = live ? live.doc : await history.get(runId);
  if (!doc) return null;
  for (const e of events) {
    if (live) live.emit(e);
    else applyEvent(doc, e);
  }
  return live?.live ? null : history.save(doc);
}

function sameEdits(a: TraceEdit[], b: TraceEdit[]): boolean {
  return a.length === b.length && a.every((e, i) => e.status === b[i].status && e.reason === b[i].reason);
}
