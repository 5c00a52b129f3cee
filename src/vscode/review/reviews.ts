import * as vscode from 'vscode';
import type { EditOutcome } from '../../core/trace/editOutcomes';
import type { ReviewSession } from './reviewSession';

/** One decision in one review: the outcomes it made, for the trace of the session's run. */
export interface ReviewDecision {
  session: ReviewSession;
  outcomes: EditOutcome[];
}

/** Open review sessions; the newest with pending files is the one the commands act on. */
export class Reviews implements vscode.Disposable {
  private readonly sessions: ReviewSession[] = [];
  private readonly changed = new vscode.EventEmitter<ReviewDecision>();
  /** Every decision of every session, once: the extension records it in the trace from here. */
  readonly onDidChange = this.changed.event;

  add(session: ReviewSession): void {
    this.sessions.push(session);
    session.onDidChange((outcomes) => {
      this.changed.fire({ session, outcomes });
      void this.updateContext();
    });
    void this.updateContext();
  }

  get(id: string): ReviewSession | undefined {
    return this.sessions.find((s) => s.id === id);
  }

  byRun(runId: string): ReviewSession | undefined {
    return [...this.sessions].reverse().find((s) => s.runId === runId);
  }

  /** The newest session that still has files to decide on. */
  current(): ReviewSession | undefined {
    return [...this.sessions].reverse().find((s) => s.pending().length > 0);
  }

  /**
   * A newer run proposes edits to `paths`: older reviews still waiting on those files are closed for
   * them (rejected, with the reason in their trace), so two diffs with the same title never compete
   * and an outdated proposal cannot be accepted over the newer one.
   */
  async supersede(paths: string[]): Promise<void> {
    for (const s of this.sessions) {
      const stale = s.pending().filter((p) => paths.includes(p));
      if (stale.length) await s.reject(stale, 'Replaced by the edits of a newer Fugu run.');
    }
  }

  private async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'fugu.reviewPending', this.current() !== undefined);
  }

  dispose(): void {
    for (const s of this.sessions) s.dispose();
    this.sessions.length = 0;
    this.changed.dispose();
  }
}
