import * as vscode from 'vscode';
import type { TraceDocument } from '../core/trace/types';
import { log, redact } from './log';
import { notify } from './notify';

/** True when a run's error is about a missing or rejected key, so "Set API Key" is the fix. */
export function isKeyProblem(error: string): boolean {
  return /api key|401|403|unauthori[sz]ed|authenticat|permission denied|invalid.*key/i.test(error);
}

/** Logs the details of a finished run and tells the user, in one sentence, what happened. */
export function reportRun(doc: TraceDocument, what = 'Fugu'): void {
  const steps = doc.rounds.filter(Boolean).flatMap((r) => r.steps);
  for (const s of steps) {
    if (s.error) log().warn(`Step ${s.index + 1} (${s.worker}, ${s.model}) ${s.status}: ${redact(s.error)}`);
  }
  log().info(`Run ${doc.id} ${doc.status}: ${doc.calls} calls, ${doc.usage.inputTokens} in / ${doc.usage.outputTokens} out tokens, $${doc.costUsd.toFixed(4)}, ${doc.wallMs} ms.`);
  if (doc.status === 'succeeded') return;
  const sentence = redact(doc.error ?? `${what} run ${doc.status.replace('_', ' ')}.`);
  log().error(`Run ${doc.id}: ${sentence}`);
  if (doc.status === 'cancelled') {
    void notify('info', `${what} run cancelled; what was streamed so far is in the trace.`, 'Show Trace').then(follow);
    return;
  }
  const buttons = isKeyProblem(sentence) ? ['Set API Key', 'Show Trace'] : ['Show Trace', 'Open Output'];
  void notify('error', sentence, ...buttons).then(follow);
}

function follow(choice: string | undefined): void {
  if (choice === 'Show Trace') void vscode.commands.executeCommand('fugu.showTrace');
  else if (choice === 'Set API Key') void vscode.commands.executeCommand('fugu.setApiKey');
  else if (choice === 'Open Output') log().show(true);
}
