// The extension's side of the learned policy: the user's outcome log in the extension's global
// storage (never in a workspace, so a repository cannot teach it, Restricted Mode or not), the
// editor's rewards (accepting or rejecting a run's edits), and the commands that reset, export and
// import the log. The model's code is loaded on first use, never at activation.
import * as vscode from 'vscode';
import type { OutcomeStore } from '../core/policies/learned/outcomeLog';
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

const recorded = new Set<string>();

/**
 * Once every edit of a run is accepted or rejected: the accepted fraction is the learned pick's
 * reward, unless the run's check already gave one (a verified run is recorded by the run itself).
 */
export async function learnFromReview(context: vscode.ExtensionContext, trace: TraceDocument, pending: number): Promise<void> {
  if (pending > 0 || recorded.has(trace.id)) return;
  const { checkReward, editReward, outcomeOf } = await import('../core/policies/learned/rewards.js');
  if (checkReward(trace) !== null) return;
  const accepted = trace.final.edits.filter((e) => e.status === 'applied').length;
  const rejected = trace.final.edits.filter((e) => e.status === 'rejected').length;
  const reward = editReward(accepted, rejected);
  const outcome = reward === null ? null : outcomeOf(trace, reward);
  if (!outcome) return;
  recorded.add(trace.id);
  const { readConfig } = await import('./settings.js');
  await (await outcomeStore(context)).record(outcome, readConfig());
}

export async function resetLearnedPolicy(context: vscode.ExtensionContext): Promise<void> {
  const ok = await vscode.window.showWarningMessage('Forget every outcome the learned policy has learned from? It then picks what the builtin policy picks until new outcomes arrive.', { modal: true }, 'Reset');
  if (ok !== 'Reset') return;
  await (await outcomeStore(context)).reset();
  void notify('info', 'Fugu: the learned policy was reset.');
}

export async function exportLearnedLog(context: vscode.ExtensionContext): Promise<void> {
  const s = await outcomeStore(context);
  const target = await vscode.window.showSaveDialog({ title: 'Export the learned policy’s outcomes', defaultUri: vscode.Uri.file('fugu-outcomes.jsonl'), filters: { 'JSON lines': ['jsonl'] } });
  if (!target) return;
  const { readOutcomeLog } = await import('../core/policies/learned/outcomeLog.js');
  const { outcomes } = await readOutcomeLog(s.path);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(outcomes.map((o) => `${JSON.stringify(o)}\n`).join('')));
  void notify('info', `Fugu: exported ${outcomes.length} outcome${outcomes.length === 1 ? '' : 's'}.`);
}

export async function importLearnedLog(context: vscode.ExtensionContext): Promise<void> {
  const [source] = (await vscode.window.showOpenDialog({ title: 'Import outcomes (a log exported by Fugu or written by fugu learn)', canSelectMany: false, filters: { 'JSON lines': ['jsonl'] } })) ?? [];
  if (!source) return;
  const { readOutcomeLog, skippedMessage } = await import('../core/policies/learned/outcomeLog.js');
  const { outcomes, skipped } = await readOutcomeLog(source.fsPath);
  if (skipped.length) log().warn(skippedMessage(skipped, source.fsPath));
  await (await outcomeStore(context)).import(outcomes);
  void notify('info', `Fugu: imported ${outcomes.length} outcome${outcomes.length === 1 ? '' : 's'}${skipped.length ? ` (${skipped.length} line${skipped.length === 1 ? '' : 's'} skipped; see the log)` : ''}.`);
}
