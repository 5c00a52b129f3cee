// What the view shows, as plain data: the trace document (built by the core reducer from live events)
// plus view state (selection, collapsed cards) and a record of what changed since the last paint,
// so the renderer touches only those parts. No DOM here: it runs in plain Node for tests.
import { applyEvent, emptyTrace } from '../../src/core/trace/reduce';
import type { TraceDocument, TraceEvent, TraceStep } from '../../src/core/trace/types';
import type { LoadedRun, RunSummary, State } from '../../src/protocol/traceView';

export function stepKey(round: number, index: number): string {
  return `${round}:${index}`;
}

/** What changed since the renderer last asked. */
export interface Changes {
  /** The run or its shape changed (new run, new round, load): repaint everything about the run. */
  run: boolean;
  /** Steps whose status, output or numbers changed. */
  steps: Set<string>;
  totals: boolean;
  final: boolean;
  history: boolean;
  view: boolean;
}

function noChanges(): Changes {
  return { run: false, steps: new Set(), totals: false, final: false, history: false, view: false };
}

export type BatchOutcome = 'applied' | 'ignored' | 'gap';

export class TraceViewModel {
  history: RunSummary[] = [];
  doc: TraceDocument | null = null;
  /** Id of the run on screen (known from `didStart` before its first event arrives). */
  runId: string | null = null;
  /** Live events already folded into `doc`. */
  seq = 0;
  live = false;
  reviewable: string[] = [];
  /** The demo's sample task, offered when there is no run. */
  demoTask: string | null = null;
  /** The host's state has arrived (before that, "no run" is not yet known). */
  loaded = false;
  selected: string | null = null;
  readonly collapsed = new Set<string>();
  private changes = noChanges();

  loadState(state: State): void {
    this.loaded = true;
    this.demoTask = state.demoTask;
    this.setHistory(state.history);
    if (state.run) this.load(state.run);
  }

  /** A live run began: show it and fold its events from the start. */
  start(runId: string): void {
    this.doc = emptyTrace();
    this.doc.id = runId;
    this.runId = runId;
    this.seq = 0;
    this.live = true;
    this.reviewable = [];
    this.selected = null;
    this.collapsed.clear();
    this.changes.run = true;
  }

  load(run: LoadedRun): void {
    const sameRun = run.doc.id === this.runId;
    this.doc = run.doc;
    this.runId = run.doc.id;
    this.seq = run.seq;
    this.live = run.live;
    this.reviewable = [...run.reviewable];
    if (!sameRun) {
      this.selected = null;
      this.collapsed.clear();
    }
    this.changes.run = true;
  }

  /**
   * Folds a batch of live events through the core reducer. Batches for another run are ignored;
   * events already folded (a snapshot overlapping the batch) are skipped; a missing stretch is a gap,
   * and the caller should ask the host for a fresh snapshot.
   */
  applyBatch(runId: string, seq: number, events: TraceEvent[]): BatchOutcome {
    if (runId !== this.runId || !this.doc) return 'ignored';
    if (seq > this.seq) return 'gap';
    const fresh = events.slice(this.seq - seq);
    if (fresh.length === 0) return 'ignored';
    for (const e of fresh) {
      applyEvent(this.doc, e);
      this.note(e);
    }
    this.seq += fresh.length;
    return 'applied';
  }

  setHistory(history: RunSummary[]): void {
    this.history = history;
    this.changes.history = true;
  }

  setReview(runId: string, reviewable: string[]): void {
    if (runId !== this.runId) return;
    this.reviewable = [...reviewable];
    this.changes.final = true;
  }

  toggle(key: string): void {
    if (this.collapsed.has(key)) this.collapsed.delete(key);
    else this.collapsed.add(key);
    this.changes.steps.add(key);
  }

  select(key: string | null): void {
    this.selected = key;
    this.changes.view = true;
  }

  step(key: string): TraceStep | undefined {
    const [r, i] = key.split(':').map(Number);
    return this.doc?.rounds[r]?.steps[i];
  }

  /** Hands the renderer what changed and starts a fresh record. */
  takeChanges(): Changes {
    const c = this.changes;
    this.changes = noChanges();
    return c;
  }

  private note(e: TraceEvent): void {
    const c = this.changes;
    switch (e.type) {
      case 'run-started':
      case 'round-started':
        c.run = true;
        break;
      case 'run-continued':
        c.run = true;
        c.totals = true;
        c.final = true;
        break;
      case 'step-delta':
      case 'step-tool-call-delta':
      case 'step-tool-call':
      case 'step-tool-result':
        c.steps.add(stepKey(e.round, e.index));
        break;
      case 'step-started':
      case 'step-retry':
      case 'step-finished':
        c.steps.add(stepKey(e.round, e.index));
        c.totals = true;
        break;
      case 'round-note':
        c.run = true;
        break;
      case 'edits':
      case 'check-asked':
      case 'check-answered':
        c.final = true;
        break;
      // A check step joins its round (also after the run, when it was asked for in the review).
      case 'check-started':
      case 'check-finished':
        c.run = true;
        break;
      case 'run-finished':
        this.live = false;
        c.totals = true;
        c.final = true;
        c.run = true;
        break;
    }
  }
}
