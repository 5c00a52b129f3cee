// The @fugu chat participant: `/solve <task>` runs Solve with its progress in the chat and lists
// the proposed edits with buttons that open the same review as the Solve command; what the user
// attached (`#file`, a selection, a folder) is sent first; `/trace` opens the trace of the last run.
import * as vscode from 'vscode';
import type { Deps } from '../deps';
import { contextSettings } from '../settings';
import { solve } from '../solve';
import { workspaceRoot } from '../workspaceFiles';
import { chatAnswer, notSentList } from './chatAnswer';
import { chatAttachments } from './chatReferences';

export { PARTICIPANT_ID } from './ids';

export interface FuguChatResult extends vscode.ChatResult {
  metadata?: { runId?: string; reviewId?: string | null };
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
    // What cannot be sent is said before the run starts, so the user can attach it another way
    // (and again in the answer, since the Chat folds what came before it away).
    if (attached.notes.length) stream.markdown(notSentList([...new Set(attached.notes)]));
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
    const answer = chatAnswer(trace, plans, reviewId, out.notSent);
    stream.markdown(answer.markdown);
    for (const button of answer.buttons) stream.button(button);
    return { metadata: { runId: trace.id, reviewId } };
  };
}
