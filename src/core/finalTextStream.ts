// Decides which streamed text is the final answer while the run is still going.
//
// A round whose last step is not the conductor is always the run's last round, and its last
// step's output is the answer, so that step's deltas go to the client live. A round that ends
// with the conductor may be followed by a corrective round, and the accepted answer may be an
// earlier step's: its text is held back and sent whole once the run has finished. This way the
// client never sees text it would have to unsee, and the common light workflow streams live.
import type { TraceEvent, TraceRound, TraceStep } from './trace/types';
import { isConductorTraceStep } from './workflow/conductorStep';

export class FinalTextStream {
  private live: { round: number; index: number } | null = null;
  private sent = '';

  constructor(private readonly write: (text: string) => void) {}

  /** Feed every trace event of the run, in order. */
  onEvent(e: TraceEvent): void {
    if (e.type === 'round-started') {
      this.liveIn(e.round, e.kind, e.steps);
    } else if (e.type === 'run-continued') {
      // The round a continued run resumes is not started again; it comes with the earlier trace.
      const r = e.trace.rounds[e.round];
      if (r) this.liveIn(e.round, r.kind, r.steps);
    } else if (e.type === 'step-delta' && this.live && e.round === this.live.round && e.index === this.live.index && e.text) {
      this.sent += e.text;
      this.write(e.text);
    }
  }

  private liveIn(round: number, kind: TraceRound['kind'], steps: TraceStep[]): void {
    const last = steps.length - 1;
    const conductorLast = last >= 0 && isConductorTraceStep(steps[last]);
    this.live = !conductorLast && kind !== 'repair' && last >= 0 ? { round, index: last } : null;
  }

  /**
   * After the run: sends whatever of the final text has not been streamed yet. Returns false if
   * what was streamed is not the start of the final text (the client then has a wrong answer).
   */
  finish(finalText: string): boolean {
    if (!finalText.startsWith(this.sent)) return false;
    const rest = finalText.slice(this.sent.length);
    if (rest) {
      this.sent += rest;
      this.write(rest);
    }
    return true;
  }

  get streamed(): string {
    return this.sent;
  }
}
