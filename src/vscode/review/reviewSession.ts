import * as vscode from 'vscode';
import type { FileEditPlan, WorkspaceFiles } from '../../core/edits/types';
import type { EditOutcome } from '../../core/trace/editOutcomes';
import { applyPlans, type ApplyOutcome } from './applyPlans';
import { ORIGINAL_SCHEME, PROPOSED_SCHEME, ReviewDocuments, reviewUri } from './reviewDocs';

export type FileDecision = 'pending' | 'applied' | 'rejected' | 'failed';

interface FileState {
  plan: FileEditPlan;
  decision: FileDecision;
  reason: string | null;
}

/**
 * The review of one run's proposed edits: a diff per file between two virtual documents, and
 * accept / reject per file or for all. Failed and refused plans are kept (with their reasons) so
 * the trace shows them, but they are never offered for acceptance.
 */
export class ReviewSession {
  private readonly files = new Map<string, FileState>();
  private readonly changed = new vscode.EventEmitter<EditOutcome[]>();
  /** Accepted files changed in place: their document and text before the edit (see appliedBefore). */
  private readonly before = new Map<string, { key: string; text: string }>();
  /**
   * Fires once per decision with the outcomes it made (each file once): the one way outcomes leave
   * the review, to the trace and from there to history. The context key follows it too.
   */
  readonly onDidChange = this.changed.event;

  constructor(
    readonly id: string,
    readonly runId: string,
    plans: FileEditPlan[],
    private readonly root: vscode.Uri,
    private readonly ws: WorkspaceFiles,
    private readonly docs: ReviewDocuments,
    /** Title prefix of the diff editors. */
    private readonly label = 'Fugu',
  ) {
    for (const plan of plans) {
      const decision: FileDecision = plan.status === 'proposed' ? 'pending' : 'failed';
      this.files.set(plan.path, { plan, decision, reason: plan.reason });
      if (plan.status === 'proposed') this.setTexts(plan);
    }
  }

  private setTexts(plan: FileEditPlan): void {
    this.docs.set(reviewUri(ORIGINAL_SCHEME, this.id, plan.path), plan.original ?? '');
    this.docs.set(reviewUri(PROPOSED_SCHEME, this.id, plan.path), plan.proposed ?? '');
  }

  /** Replaces a pending plan's proposal (streaming inline generation updates the open diff). */
  update(plan: FileEditPlan): void {
    this.files.set(plan.path, { plan, decision: plan.status === 'proposed' ? 'pending' : 'failed', reason: plan.reason });
    if (plan.status === 'proposed') this.setTexts(plan);
  }

  pending(): string[] {
    return [...this.files.values()].filter((f) => f.decision === 'pending').map((f) => f.plan.path);
  }

  /** Plans still waiting for a decision. */
  pendingPlans(): FileEditPlan[] {
    return [...this.files.values()].filter((f) => f.decision === 'pending').map((f) => f.plan);
  }

  /** An accepted file's document (URI) and its text before the edit; undefined for a created or deleted file. */
  appliedBefore(path: string): { key: string; text: string } | undefined {
    return this.before.get(path);
  }

  decision(path: string): FileDecision | undefined {
    return this.files.get(path)?.decision;
  }

  plan(path: string): FileEditPlan | undefined {
    return this.files.get(path)?.plan;
  }

  /** Opens the diff of one pending file; false when there is nothing to show. */
  async preview(path: string, opts: { preview?: boolean; preserveFocus?: boolean } = {}): Promise<boolean> {
    const f = this.files.get(path);
    if (!f || f.decision !== 'pending') return false;
    const verb = f.plan.action === 'create' ? 'new file' : f.plan.action === 'delete' ? 'deleted' : 'proposed';
    await vscode.commands.executeCommand(
      'vscode.diff',
      reviewUri(ORIGINAL_SCHEME, this.id, path),
      reviewUri(PROPOSED_SCHEME, this.id, path),
      `${path} (${this.label}: ${verb})`,
      { preview: opts.preview ?? false, preserveFocus: opts.preserveFocus ?? false },
    );
    return true;
  }

  /** Applies the given pending files (all when omitted) as one WorkspaceEdit. */
  async accept(paths?: string[]): Promise<ApplyOutcome> {
    const chosen = (paths ?? this.pending()).map((p) => this.files.get(p)).filter((f): f is FileState => f?.decision === 'pending');
    const out = await applyPlans(chosen.map((f) => f.plan), this.root, this.ws);
    for (const b of out.before) this.before.set(b.path, { key: b.key, text: b.text });
    const outcomes: EditOutcome[] = [
      ...out.applied.map((path) => ({ path, status: 'applied' as const, reason: null })),
      ...out.failed.map(({ path, reason }) => ({ path, status: 'failed' as const, reason })),
    ];
    for (const o of outcomes) this.mark(o.path, o.status === 'applied' ? 'applied' : 'failed', o.reason);
    await this.closeDiffs(outcomes.map((o) => o.path));
    this.changed.fire(outcomes);
    return out;
  }

  /** Rejects the given pending files (all when omitted); nothing is written. */
  async reject(paths?: string[], reason = 'Rejected in review.'): Promise<string[]> {
    const chosen = (paths ?? this.pending()).filter((p) => this.files.get(p)?.decision === 'pending');
    for (const p of chosen) this.mark(p, 'rejected', reason);
    await this.closeDiffs(chosen);
    this.changed.fire(chosen.map((path) => ({ path, status: 'rejected', reason })));
    return chosen;
  }

  private mark(path: string, decision: FileDecision, reason: string | null): void {
    const f = this.files.get(path);
    if (f) {
      f.decision = decision;
      f.reason = reason;
    }
  }

  private async closeDiffs(paths: string[]): Promise<void> {
    const targets = new Set(paths.map((p) => reviewUri(PROPOSED_SCHEME, this.id, p).toString()));
    const tabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputTextDiff && targets.has(t.input.modified.toString()));
    if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
  }

  dispose(): void {
    this.docs.forget(this.id);
    this.changed.dispose();
  }
}
