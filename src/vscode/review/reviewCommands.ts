import * as vscode from 'vscode';
import { log } from '../log';
import { notify } from '../notify';
import type { ApplyOutcome } from './applyPlans';
import { parseReviewUri } from './reviewDocs';
import type { Reviews } from './reviews';
import type { ReviewSession } from './reviewSession';

// Accept / Reject per file (editor title buttons on a Fugu diff, or the palette), Accept All,
// Reject All, and a checklist of files. All of them end in ReviewSession.accept / reject.

/** The session and file an editor-title button or the active diff refers to. */
function target(reviews: Reviews, arg: unknown): { session: ReviewSession; path: string } | undefined {
  const uri =
    arg instanceof vscode.Uri
      ? arg
      : vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputTextDiff
        ? (vscode.window.tabGroups.activeTabGroup.activeTab.input as vscode.TabInputTextDiff).modified
        : undefined;
  const parsed = uri ? parseReviewUri(uri) : null;
  if (parsed) {
    const session = reviews.get(parsed.sessionId);
    if (session) return { session, path: parsed.path };
  }
  const session = reviews.current();
  const path = session?.pending()[0];
  return session && path ? { session, path } : undefined;
}

/** `arg` may name a session id or run id (trace panel, tests); otherwise the newest pending review. */
function sessionOf(reviews: Reviews, arg: unknown): ReviewSession | undefined {
  if (typeof arg === 'string') return reviews.get(arg) ?? reviews.byRun(arg);
  if (arg instanceof vscode.Uri) {
    const parsed = parseReviewUri(arg);
    if (parsed) return reviews.get(parsed.sessionId);
  }
  return reviews.current();
}

export function reportApply(out: ApplyOutcome): void {
  for (const f of out.failed) log().warn(`Edit not applied: ${f.reason}`);
  if (out.rematched.length) log().info(`Matched again against the current text: ${out.rematched.join(', ')}`);
  if (out.failed.length) {
    const first = out.failed[0].reason;
    const more = out.failed.length > 1 ? ` (and ${out.failed.length - 1} more; see the Fugu output)` : '';
    void notify('warning', `${first}${more}`, 'Show Trace').then((b) => b && vscode.commands.executeCommand('fugu.showTrace'));
  } else if (out.applied.length) {
    vscode.window.setStatusBarMessage(`Fugu applied ${out.applied.length} file${out.applied.length === 1 ? '' : 's'} (one undo restores them).`, 5000);
  }
}

function nothing(): undefined {
  void notify('info', 'There are no Fugu edits waiting for review.');
  return undefined;
}

export async function reviewChecklist(session: ReviewSession): Promise<ApplyOutcome | undefined> {
  const items = session.pending().map((path) => {
    const plan = session.plan(path);
    return { label: path, description: plan?.action === 'create' ? 'new file' : plan?.action === 'delete' ? 'delete' : 'modify', picked: true };
  });
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: 'Fugu: accept the checked files, reject the others',
    placeHolder: 'Enter applies the checked files as one edit; Escape decides nothing',
  });
  if (!picked) return undefined;
  const accept = picked.map((p) => p.label);
  const reject = session.pending().filter((p) => !accept.includes(p));
  await session.reject(reject);
  const out = await session.accept(accept);
  reportApply(out);
  return out;
}

/**
 * After a per-file decision the decided diff closes; the next pending diff gets the focus, so the
 * keys (Ctrl+Alt+Y / N, whose `when` needs a focused Fugu diff) keep working file after file.
 */
async function focusNext(session: ReviewSession): Promise<void> {
  const next = session.pending()[0];
  if (next) await session.preview(next);
}

export function registerReviewCommands(reviews: Reviews): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('fugu.acceptFile', async (arg?: unknown) => {
      const t = target(reviews, arg);
      if (!t) return nothing();
      const out = await t.session.accept([t.path]);
      reportApply(out);
      await focusNext(t.session);
      return out;
    }),
    vscode.commands.registerCommand('fugu.rejectFile', async (arg?: unknown) => {
      const t = target(reviews, arg);
      if (!t) return nothing();
      const rejected = await t.session.reject([t.path]);
      await focusNext(t.session);
      return rejected;
    }),
    vscode.commands.registerCommand('fugu.acceptAll', async (arg?: unknown) => {
      const s = sessionOf(reviews, arg);
      if (!s) return nothing();
      const out = await s.accept();
      reportApply(out);
      return out;
    }),
    vscode.commands.registerCommand('fugu.rejectAll', async (arg?: unknown) => {
      const s = sessionOf(reviews, arg);
      if (!s) return nothing();
      return s.reject();
    }),
    // One file's diff of a review (the @fugu chat lists them with this as the button).
    vscode.commands.registerCommand('fugu.previewEdit', async (sessionId?: string, path?: string) => {
      const s = sessionOf(reviews, sessionId);
      if (!s || !path || !s.plan(path)) return nothing();
      return s.preview(path);
    }),
    vscode.commands.registerCommand('fugu.reviewEdits', async (arg?: unknown) => {
      const s = sessionOf(reviews, arg);
      if (!s) return nothing();
      return reviewChecklist(s);
    }),
  );
}

/** Opens the diffs and offers the decisions; the notification is not awaited by the run. */
export async function openReview(session: ReviewSession, failedCount: number, checkLine?: string, offerCheck?: () => void): Promise<void> {
  const pending = session.pending();
  const MAX_TABS = 8;
  for (const [i, path] of pending.entries()) {
    if (i >= MAX_TABS) break;
    await session.preview(path, { preserveFocus: i > 0 });
  }
  if (pending.length > 0) await session.preview(pending[0]);
  const failed = failedCount ? ` ${failedCount} could not be matched (see the trace).` : '';
  const checked = checkLine ? ` ${checkLine.replace(/[.:]?$/, '.')}` : ''; // [verify] the check's verdict
  // [verify] A check question still open: "Run checks" beside Accept (the answer runs it on these edits).
  const unchecked = offerCheck ? ' They are not checked yet.' : '';
  const msg = `Fugu proposes changes to ${pending.length} file${pending.length === 1 ? '' : 's'}.${failed}${checked}${unchecked} Nothing is written until you accept.`;
  const buttons = offerCheck ? ['Accept All', 'Run checks', 'Choose Files…', 'Reject All'] : ['Accept All', 'Choose Files…', 'Reject All'];
  void notify('info', msg, ...buttons).then(async (choice) => {
    if (choice === 'Run checks') {
      offerCheck?.();
      return;
    }
    // The toast outlives decisions made in the diffs or the trace panel; say so instead of doing nothing.
    if (choice && session.pending().length === 0) {
      void notify('info', 'Every file of that Fugu run is already decided; the outcome is in the trace.', 'Show Trace').then((b) => b && vscode.commands.executeCommand('fugu.showTrace'));
    } else if (choice === 'Accept All') reportApply(await session.accept());
    else if (choice === 'Reject All') await session.reject();
    else if (choice === 'Choose Files…') await reviewChecklist(session);
  });
}
