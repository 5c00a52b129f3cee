// The @fugu chat participant: `/solve <task>` runs Solve with its progress in the chat and lists
// the proposed edits with buttons that open the same review as the Solve command; what the user
// attached (`#file`, a selection, a folder) is sent first; `/trace` opens the trace of the last run.
import * as vscode from 'vscode';
import type { TraceDocument } from '../../core/trace/types';
import type { Deps } from '../deps';
import { formatTokens, formatUsd } from '../../core/format';
import { checkVerdict } from '../../core/check/checkReport';
import { contextSettings } from '../settings';
import { solve } from '../solve';
import { workspaceRoot } from '../workspaceFiles';
import { chatAttachments } from './chatReferences';

export { PARTICIPANT_ID } from './ids';

export interface FuguChatResult extends vscode.ChatResult {
  metadata?: { runId?: string; reviewId?: string | null };
}

function summary(trace: TraceDocument): string {
  const tokens = formatTokens(trace.usage.inputTokens + trace.usage.outputTokens);
  const subscription = trace.rounds.some((r) => r?.steps.some((s) => s.subscription));
  const cost = `${formatUsd(trace.costUsd)}${subscription ? ' (subscription)' : ''}`;
  return `**${trace.status.replace('_', ' ')}** · ${trace.calls} calls · ${tokens} tokens · ${cost}`;
}

function notSentList(notes: string[]): string {
  return `Not sent:\n${notes.map((n) => `- ${n}\n`).join('')}\n`;
}

export function fuguChatHandler(deps: Deps): vscode.ChatRequestHandler {
  return async (request, _context, stream, token): Promise<FuguChatResult> => {
    if (request.command === 'trace') {
      const runId = deps.runs.lastId();
      if (!runId) {
        stream.markdown('No Fugu run yet in this window: try `@fugu /solve <task>`.');
        return {};
      }
      await vscode.commands.executeCommand('fugu.showTrace');
      stream.markdown('The Fugu trace panel shows the last run.');
      stream.button({ command: 'fugu.trace.openInEditor', title: 'Open Trace in Editor' });
      return { metadata: { runId } };
    }

    const { task, attached } = await chatAttachments(request.prompt, request.references, workspaceRoot(), contextSettings().maxFileBytes);
    if (!task.trim()) {
      stream.markdown('Say what Fugu should do, e.g. `@fugu /solve make total() in src/cart.js add tax`.');
      return {};
    }
    // What cannot be sent is said before the run starts, so the user can attach it another way.
    const told = new Set(attached.notes);
    if (told.size) stream.markdown(notSentList([...told]));
    let shown = '';
    let shownAt = 0;
    const report = (line: string) => {
      // The chat keeps every progress line: a new one only when it says something new, once a second at most.
      const now = Date.now();
      if (line === shown || now - shownAt < 1000) return;
      shown = line;
      shownAt = now;
      stream.progress(line);
    };
    const out = await solve(deps, { task: task.trim(), attached }, { report, cancel: token });
    if (!out) {
      stream.markdown('Fugu did not start: the notification says why (settings, keys, or a run already in progress).');
      return {};
    }
    const { trace, plans, reviewId } = out;
    stream.markdown(`${summary(trace)}\n\n`);
    const later = out.notSent.filter((n) => !told.has(n));
    if (later.length) stream.markdown(notSentList(later));
    // The checks' verdict before the edits, as the review notification gives it.
    if (trace.final.check) stream.markdown(`${checkVerdict(trace.final.check)}.\n\n`);
    if (trace.status !== 'succeeded') {
      stream.markdown(`${trace.error ?? 'The run did not finish.'}\n\n`);
    } else if (plans.length === 0) {
      stream.markdown(trace.final.text);
    }
    const proposed = plans.filter((p) => p.status === 'proposed');
    if (proposed.length) {
      stream.markdown(`Fugu proposes changes to ${proposed.length} file${proposed.length === 1 ? '' : 's'}; nothing is written until you accept:\n\n`);
      for (const p of proposed) {
        stream.markdown(`- \`${p.path}\` (${p.action})\n`);
        stream.button({ command: 'fugu.previewEdit', arguments: [reviewId, p.path], title: `Review ${p.path}` });
      }
      stream.button({ command: 'fugu.acceptAll', arguments: [reviewId], title: 'Accept All' });
      stream.button({ command: 'fugu.reviewEdits', arguments: [reviewId], title: 'Choose Files…' });
    }
    for (const p of plans.filter((x) => x.status !== 'proposed')) stream.markdown(`- \`${p.path}\` ${p.status}: ${p.reason ?? 'no reason given'}\n`);
    stream.button({ command: 'fugu.showTrace', title: 'Show Trace' });
    return { metadata: { runId: trace.id, reviewId } };
  };
}
