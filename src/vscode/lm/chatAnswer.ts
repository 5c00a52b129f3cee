// What @fugu /solve says once the run is over, as one block of text followed by buttons. VS Code's Chat
// folds a finished answer into "Completed N steps" up to its last unbroken run of text, so text that
// alternates with buttons would hide every entry but the last: the whole answer is written before the
// first button.
import type { FileEditPlan } from '../../core/edits/types';
import type { TraceDocument } from '../../core/trace/types';
import { formatTokens, formatUsd } from '../../core/format';
import { checkVerdict } from '../../core/check/checkReport';

/** A button under the answer (a vscode.Command). */
export interface ChatButton {
  command: string;
  title: string;
  arguments?: unknown[];
}

export interface ChatAnswer {
  markdown: string;
  buttons: ChatButton[];
}

function summary(trace: TraceDocument): string {
  const tokens = formatTokens(trace.usage.inputTokens + trace.usage.outputTokens);
  const subscription = trace.rounds.some((r) => r?.steps.some((s) => s.subscription));
  const cost = `${formatUsd(trace.costUsd)}${subscription ? ' (subscription)' : ''}`;
  return `**${trace.status.replace('_', ' ')}** · ${trace.calls} calls · ${tokens} tokens · ${cost}`;
}

export function notSentList(notes: string[]): string {
  return `Not sent:\n${notes.map((n) => `- ${n}\n`).join('')}\n`;
}

/**
 * The answer to a finished run: its summary, what was not sent (all of it: a note said before the run
 * is folded away with the progress), the checks' verdict before the edits, then every file in order.
 */
export function chatAnswer(trace: TraceDocument, plans: FileEditPlan[], reviewId: string | null, notSent: string[]): ChatAnswer {
  let markdown = `${summary(trace)}\n\n`;
  if (notSent.length) markdown += notSentList([...new Set(notSent)]);
  if (trace.final.check) markdown += `${checkVerdict(trace.final.check)}.\n\n`;
  if (trace.status !== 'succeeded') markdown += `${trace.error ?? 'The run did not finish.'}\n\n`;
  else if (plans.length === 0) markdown += `${trace.final.text}\n\n`;
  const buttons: ChatButton[] = [];
  const proposed = plans.filter((p) => p.status === 'proposed');
  if (proposed.length) {
    markdown += `Fugu proposes changes to ${proposed.length} file${proposed.length === 1 ? '' : 's'}; nothing is written until you accept:\n\n`;
    for (const p of proposed) {
      markdown += `- \`${p.path}\` (${p.action})\n`;
      buttons.push({ command: 'fugu.previewEdit', arguments: [reviewId, p.path], title: `Review ${p.path}` });
    }
    markdown += '\n';
    buttons.push({ command: 'fugu.acceptAll', arguments: [reviewId], title: 'Accept All' });
    buttons.push({ command: 'fugu.reviewEdits', arguments: [reviewId], title: 'Choose Files…' });
  }
  for (const p of plans.filter((x) => x.status !== 'proposed')) markdown += `- \`${p.path}\` ${p.status}: ${p.reason ?? 'no reason given'}\n`;
  buttons.push({ command: 'fugu.showTrace', title: 'Show Trace' });
  return { markdown, buttons };
}
