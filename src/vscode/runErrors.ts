import * as vscode from 'vscode';
import type { ErrorKind, TraceDocument } from '../core/trace/types';
import { log, redact } from './log';
import { notify } from './notify';

/** The buttons offered with a failed run's sentence: a missing or refused key is fixed by setting one. */
export function errorButtons(kind: ErrorKind | null): string[] {
  switch (kind) {
    case 'auth':
      return ['Set API Key', 'Show Trace'];
    default:
      return ['Show Trace', 'Open Output'];
  }
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
  // VS Code's own models have no key to set: their refusal is a consent the next run asks again.
  const byVsCode = steps.some((s) => s.status === 'failed' && s.provider === 'vscode-lm');
  void notify('error', sentence, ...errorButtons(byVsCode ? null : doc.errorKind)).then(follow);
}

function follow(choice: string | undefined): void {
  if (choice === 'Show Trace') void vscode.commands.executeCommand('fugu.showTrace');
  else if (choice === 'Set API Key') void vscode.commands.executeCommand('fugu.setApiKey');
  else if (choice === 'Open Output') log().show(true);
}
