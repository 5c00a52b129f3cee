// The extension's side of the learned policy: the user's outcome log in the extension's global
// storage (never in a workspace, so a repository cannot teach it, Restricted Mode or not), the
// editor's rewards (accepting or rejecting a run's edits), and the commands that reset, export and
// import the log. The model's code is loaded on first use, never at activation.
import * as vscode from 'vscode';
import type { OutcomeStore } from '../core/policies/learned/outcomeLog';
import { reviewCounts, UndoWatch } from '../core/policies/learned/undoWatch';
import type { EditOutcome } from '../core/trace/editOutcomes';
import type { TraceDocument } from '../core/trace/types';
import { log } from './log';
import { notify } from './notify';

let store: Promise<OutcomeStore> | null = null;

/** The user's outcome log (created on first use). */
export function outcomeStore(context: vscode.ExtensionContext): Promise<OutcomeStore> {
  store ??= import('../core/policies/learned/outcomeLog.js').then(
    (m) => new m.OutcomeStore(vscode.Uri.joinPath(context.globalStorageUri, 'outcomes.jsonl').fsPath, (message) => log().warn(message)),
  );
  return store;
}

/** Runs whose review outcome is in the log (a later Undo corrects it). */
const recorded = new Set<string>();
const undoWatch = new UndoWatch();
/** The learned runs with accepted edits an Undo may still revert, by run id. */
const watched = new Map<string, TraceDocument>();
let listening: vscode.Disposable | null = null;
let disposeRegistered = false;

/**
 * Once every edit of a run is accepted or rejected: the accepted fraction is the learned pick's
 * reward (an edit already undone in time counts as rejected), unless the run's check already gave
 * one (a verified run is recorded by the run itself).
 */
export async function learnFromReview(context: vscode.ExtensionContext, trace: TraceDocument, pending: number): Promise<void> {
  if (pending > 0 || recorded.has(trace.id)) return;
  recorded.add(trace.id);
  await inOrder(async () => {
    const outcome = await reviewOutcome(trace);
    if (!outcome) return;
    const { readConfig } = await import('./settings.js');
    await (await outcomeStore(context)).record(outcome, readConfig());
  });
}

let writes: Promise<void> = Promise.resolve();

/** The review's line and its corrections reach the log in the order they happened (the last one counts). */
function inOrder(write: () => Promise<void>): Promise<void> {
  const next = writes.then(write);
  writes = next.catch(() => {});
  return next;
}

/** The outcome of a run's review, with the run's id so a later Undo replaces it; null when it teaches nothing. */
async function reviewOutcome(trace: TraceDocument) {
  const { checkReward, editReward, outcomeOf } = await import('../core/policies/learned/rewards.js');
  if (checkReward(trace) !== null) return null;
  const { accepted, rejected } = reviewCounts(trace.final.edits, undoWatch.undonePaths(trace.id));
  const reward = editReward(accepted, rejected);
  const outcome = reward === null ? null : outcomeOf(trace, reward);
  return outcome && { ...outcome, id: trace.id };
}

/**
 * After a learned run's edits are accepted: an Undo in one of those documents within two minutes
 * that restores its text from before the edit counts as rejecting that file's edit.
 */
export function watchAcceptedEdits(context: vscode.ExtensionContext, trace: TraceDocument, outcomes: EditOutcome[], before: (path: string) => { key: string; text: string } | undefined): void {
  if (!trace.rounds[0]?.policy.learned) return;
  const files = outcomes.flatMap((o) => {
    const b = o.status === 'applied' ? before(o.path) : undefined;
    return b ? [{ path: o.path, key: b.key, before: b.text }] : [];
  });
  if (files.length === 0) return;
  undoWatch.accepted(trace.id, files, Date.now());
  watched.set(trace.id, trace);
  if (!listening) {
    listening = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.reason !== vscode.TextDocumentChangeReason.Undo) return;
      const now = Date.now();
      const hit = undoWatch.undo(e.document.uri.toString(), e.document.getText(), now);
      const run = hit ? watched.get(hit.runId) : undefined;
      if (run) void learnFromUndo(context, run).catch((err) => log().warn(`The learned policy could not record an undo: ${err instanceof Error ? err.message : String(err)}`));
      if (!undoWatch.watching(now)) stopListening();
    });
    if (!disposeRegistered) context.subscriptions.push({ dispose: stopListening });
    disposeRegistered = true;
  }
}

function stopListening(): void {
  listening?.dispose();
  listening = null;
  watched.clear();
}

/** An accepted edit undone in time: the run's recorded review outcome is replaced (one outcome per run, never two). */
async function learnFromUndo(context: vscode.ExtensionContext, trace: TraceDocument): Promise<void> {
  // Before the review is decided there is nothing to correct: learnFromReview counts the undo then.
  if (!recorded.has(trace.id)) return;
  await inOrder(async () => {
    const outcome = await reviewOutcome(trace);
    if (!outcome) return;
    const store = await outcomeStore(context);
    if (await store.correct(outcome)) log().info(`Fugu: an accepted edit of run ${trace.id} was undone within two minutes; the learned policy counts it as rejected.`);
  });
}

export async function resetLearnedPolicy(context: vscode.ExtensionContext): Promise<void> {
  const ok = await vscode.window.showWarningMessage('Forget every outcome the learned policy has learned from? It then picks what the builtin policy picks until new outcomes arrive.', { modal: true }, 'Reset');
  if (ok !== 'Reset') return;
  await (await outcomeStore(context)).reset();
  void notify('info', 'Fugu: the learned policy was reset.');
}

export async function exportLearnedLog(context: vscode.ExtensionContext, to?: vscode.Uri): Promise<void> {
  const s = await outcomeStore(context);
  const target = to ?? await vscode.window.showSaveDialog({ title: 'Export the learned policy’s outcomes', defaultUri: vscode.Uri.file('fugu-outcomes.jsonl'), filters: { 'JSON lines': ['jsonl'] } });
  if (!target) return;
  const { readOutcomeLog } = await import('../core/policies/learned/outcomeLog.js');
  const { outcomes } = await readOutcomeLog(s.path);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(outcomes.map((o) => `${JSON.stringify(o)}\n`).join('')));
  void notify('info', `Fugu: exported ${outcomes.length} outcome${outcomes.length === 1 ? '' : 's'}.`);
}

export async function importLearnedLog(context: vscode.ExtensionContext, from?: vscode.Uri): Promise<void> {
  const [source] = from ? [from] : (await vscode.window.showOpenDialog({ title: 'Import outcomes (a log exported by Fugu or written by fugu learn)', canSelectMany: false, filters: { 'JSON lines': ['jsonl'] } })) ?? [];
  if (!source) return;
  const { readOutcomeLog, skippedMessage } = await import('../core/policies/learned/outcomeLog.js');
  const { outcomes, skipped } = await readOutcomeLog(source.fsPath);
  if (skipped.length) log().warn(skippedMessage(skipped, source.fsPath));
  await (await outcomeStore(context)).import(outcomes);
  void notify('info', `Fugu: imported ${outcomes.length} outcome${outcomes.length === 1 ? '' : 's'}${skipped.length ? ` (${skipped.length} line${skipped.length === 1 ? '' : 's'} skipped; see the log)` : ''}.`);
}
