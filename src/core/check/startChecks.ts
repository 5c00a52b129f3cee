import type { RunOptions } from '../runTypes';
import type { TraceListener } from '../trace/types';
import { CheckSession } from './checkSession';
import { skippedBecause } from './decideCheck';
import { sweepStaleCopies } from './scratchCopy';

/**
 * The run's checks: the scratch copy and the baseline start with the run, in parallel with the
 * models; or, when the user is still being asked, as soon as the answer is 'run' (the run never
 * waits for it). `skipped` says why there are none, for a round note.
 */
export class RunChecks {
  session: CheckSession | null = null;
  skipped: string | null = null;
  /** The command of a question still open when the run reached its edits (set by `close`). */
  unanswered: string | null = null;
  private asked = '';
  private open = false;
  private closed = false;

  constructor(opts: RunOptions, signal: AbortSignal, emit: TraceListener) {
    const req = opts.check;
    if (!req) return;
    if ('skipped' in req) {
      this.skipped = req.skipped;
      return;
    }
    if (!opts.workspace) {
      this.skipped = 'the run has no workspace.';
      return;
    }
    const root = opts.workspace.root;
    if (!('ask' in req)) {
      this.start(root, req, signal);
      return;
    }
    this.open = true;
    this.asked = req.ask.command.display;
    emit({ type: 'check-asked', command: req.ask.command.display, detected: req.ask.detected });
    req.answer.then(
      (answer) => {
        // After the run reached its edits the answer is the editor's to act on (a check of the review).
        if (this.closed) return;
        this.open = false;
        emit({ type: 'check-answered', answer });
        if (answer === 'run') {
          if (!signal.aborted) this.start(root, req.ask, signal);
        } else this.skipped = skippedBecause(answer);
      },
      () => undefined,
    );
  }

  /** The run reached its edits: what is decided now stands; an open question stays open, for the editor. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.open) this.unanswered = this.asked;
  }

  async dispose(): Promise<void> {
    this.close();
    await this.session?.dispose();
  }

  private start(root: string, setup: NonNullable<ConstructorParameters<typeof CheckSession>[1]>, signal: AbortSignal): void {
    // Copies a crashed run left behind go first; it never holds up this run.
    void sweepStaleCopies(setup.tmpRoot).catch(() => undefined);
    this.session = new CheckSession(root, setup, signal);
  }
}

export function startChecks(opts: RunOptions, signal: AbortSignal, emit: TraceListener): RunChecks {
  return new RunChecks(opts, signal, emit);
}
