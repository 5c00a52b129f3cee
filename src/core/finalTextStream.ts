// Decides which streamed output is the final answer while the run is still going, and owns what
// has been sent to the client: the answer's text and its tool calls.
//
// A round whose last step is not the conductor is always the run's last round, and its last
// step's output is the answer, so that step's text and tool-call pieces go to the client live. A
// round that ends with the conductor may be followed by a corrective round, and the accepted answer
// may be an earlier step's: its output is held back and sent whole once the run has finished. This
// way the client never sees output it would have to unsee, and the common light workflow streams live.
//
// Calls are written one after another: once call i+1 has begun, call i is complete on the wire (an
// Anthropic content block cannot be reopened), and text that arrives after a call began is held
// until the end, when it follows the calls.
import type { TraceEvent, TraceRound, TraceStep } from './trace/types';
import type { ToolCall } from './workers/types';
import { isConductorTraceStep } from './workflow/conductorStep';

/** Where the answer goes, in the order the client must see it. */
export interface AnswerWriter {
  text(delta: string): void;
  /** Call `index` begins (0, 1, … in order); the ones before it are complete. */
  callStart?(index: number, id: string, name: string): void;
  /** More of the arguments of the call that began last. */
  callDelta?(index: number, delta: string): void;
}

interface CallState {
  id: string;
  name: string;
  /** Arguments received so far. */
  arguments: string;
  /** How much of them the client has. */
  sent: number;
}

export class FinalTextStream {
  private live: { round: number; index: number } | null = null;
  private sent = '';
  private held = '';
  private calls: CallState[] = [];
  /** Calls begun on the wire (0..begun-1); the last of them is the open one. */
  private begun = 0;
  /** How much text was written when the first call began. */
  private beforeCalls: number | null = null;
  private readonly writer: AnswerWriter;

  /** A bare function takes the text only; the calls are then the caller's to send at the end. */
  constructor(writer: AnswerWriter | ((text: string) => void)) {
    this.writer = typeof writer === 'function' ? { text: writer } : writer;
  }

  /** Feed every trace event of the run, in order. */
  onEvent(e: TraceEvent): void {
    if (e.type === 'round-started') {
      this.liveIn(e.round, e.kind, e.steps);
      return;
    }
    if (e.type === 'run-continued') {
      // The round a continued run resumes is not started again; it comes with the earlier trace.
      const r = e.trace.rounds[e.round];
      this.live = null;
      if (r) this.liveIn(e.round, r.kind, r.steps);
      return;
    }
    if (!this.live || !('index' in e) || e.round !== this.live.round || e.index !== this.live.index) return;
    if (e.type === 'step-delta' && e.text) {
      if (this.begun > 0) this.held += e.text;
      else this.writeText(e.text);
    } else if (e.type === 'step-tool-call-delta' && this.takesCalls && e.call <= this.calls.length) {
      const c = (this.calls[e.call] ??= { id: '', name: '', arguments: '', sent: 0 });
      if (e.id && !c.id) c.id = e.id;
      if (e.name && !c.name) c.name = e.name;
      c.arguments += e.arguments;
      this.pump();
    }
  }

  private liveIn(round: number, kind: TraceRound['kind'], steps: TraceStep[]): void {
    const last = steps.length - 1;
    const conductorLast = last >= 0 && isConductorTraceStep(steps[last]);
    this.live = !conductorLast && kind !== 'repair' && last >= 0 ? { round, index: last } : null;
  }

  /**
   * After the run: sends whatever of the final answer has not been streamed yet (the rest of the
   * open call, the calls not begun, then the rest of the text). Returns false, sending nothing, if
   * what was streamed is not the start of the final answer (the client then has a wrong answer).
   */
  finish(finalText: string, finalCalls: ToolCall[] = []): boolean {
    if (!finalText.startsWith(this.sent)) return false;
    if (this.takesCalls) {
      if (this.begun > finalCalls.length) return false;
      for (let i = 0; i < this.begun; i++) {
        const c = this.calls[i];
        const f = finalCalls[i];
        const sent = c.arguments.slice(0, c.sent);
        if (f.id !== c.id || f.name !== c.name || !f.arguments.startsWith(sent)) return false;
        // A call closed on the wire cannot take more arguments.
        if (i < this.begun - 1 && f.arguments !== sent) return false;
      }
      finalCalls.forEach((f, i) => {
        if (i >= this.begun) {
          this.calls[i] = { id: f.id, name: f.name, arguments: '', sent: 0 };
          this.begin(i);
        }
        const c = this.calls[i];
        c.arguments = f.arguments;
        this.flush(i);
      });
    }
    const rest = finalText.slice(this.sent.length);
    if (rest) this.writeText(rest);
    return true;
  }

  get streamed(): string {
    return this.sent;
  }

  /** How much of the text went out before the first call began (all of it when none did); the rest followed the calls. */
  get textBeforeCalls(): number {
    return this.beforeCalls ?? this.sent.length;
  }

  private get takesCalls(): boolean {
    return !!this.writer.callStart && !!this.writer.callDelta;
  }

  /** Begins every call that is next in line and named, and sends the open call's new arguments. */
  private pump(): void {
    for (let next = this.calls[this.begun]; next?.id && next.name; next = this.calls[this.begun]) this.begin(this.begun);
    if (this.begun > 0) this.flush(this.begun - 1);
  }

  private begin(i: number): void {
    this.beforeCalls ??= this.sent.length;
    this.begun = i + 1;
    this.writer.callStart!(i, this.calls[i].id, this.calls[i].name);
    this.flush(i);
  }

  private flush(i: number): void {
    const c = this.calls[i];
    if (i !== this.begun - 1 || c.sent >= c.arguments.length) return;
    const piece = c.arguments.slice(c.sent);
    c.sent = c.arguments.length;
    this.writer.callDelta!(i, piece);
  }

  private writeText(text: string): void {
    this.sent += text;
    this.writer.text(text);
  }
}
