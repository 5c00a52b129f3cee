import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { FileEditPlan } from '../core/edits/types';
import { applyEvent } from '../core/trace/reduce';
import type { TraceDocument } from '../core/trace/types';
import { describeContext } from './capContext';
import type { Deps } from './deps';
import { gatherContext } from './gatherContext';
import { log } from './log';
import { notify } from './notify';
import { ensureKeys, loadConfigOrExplain } from './preflight';
import { progressLine } from './progressLine';
import { openReview } from './review/reviewCommands';
import { ReviewSession } from './review/reviewSession';
import { reportRun } from './runErrors';
import { readEditorSettings } from './settings';
import { trackedRun } from './trackedRun';
import { workspaceRoot, VscodeWorkspaceFiles } from './workspaceFiles';

export interface SolveArgs {
  /** The task; the input box asks for it when absent. */
  task?: string;
}

export interface SolveOutcome {
  trace: TraceDocument;
  plans: FileEditPlan[];
  /** The review session holding the proposed edits (accept with `fugu.acceptAll` etc.). */
  reviewId: string | null;
  /** What was sent as context. */
  context: string[];
}

const LAST_TASK = 'fugu.lastTask';

/** Where a run started elsewhere (the @fugu chat participant) shows its progress, and its stop button. */
export interface SolveUi {
  report(line: string): void;
  cancel: vscode.CancellationToken;
}

/**
 * Fugu: Solve with Fugu — task, context, run with live progress, then the review. With `ui` the
 * progress goes there instead of a notification, and the review session is created without
 * opening the diffs (the caller lists them).
 */
export async function solve(deps: Deps, args: SolveArgs = {}, ui?: SolveUi): Promise<SolveOutcome | undefined> {
  const root = workspaceRoot();
  if (!root) {
    void notify('warning', 'Open a folder first: Fugu proposes its edits to files of the workspace.');
    return undefined;
  }
  if (deps.runs.running('solve').length > 0) {
    void notify('info', 'A Fugu run is already in progress: wait for it or stop it with "Fugu: Cancel".', 'Cancel Run').then((b) => {
      if (b) void vscode.commands.executeCommand('fugu.cancel');
    });
    return undefined;
  }
  const config = loadConfigOrExplain();
  if (!config || !(await ensureKeys(deps.keys, config, () => vscode.commands.executeCommand('fugu.solve', args)))) return undefined;

  const task =
    args.task ??
    (await vscode.window.showInputBox({
      title: 'Solve with Fugu',
      prompt: 'What should Fugu do? The active file, the selection and the open editors are sent with it.',
      value: deps.context.globalState.get<string>(LAST_TASK) ?? '',
      ignoreFocusOut: true,
    }));
  if (!task?.trim()) return undefined;
  await deps.context.globalState.update(LAST_TASK, task);

  const ctx = gatherContext(readEditorSettings().contextMaxChars);
  const sent = describeContext(ctx);
  log().info(`Solve: ${task}`);
  log().info(`Context sent (${ctx.chars} characters): ${sent}`);

  const execute = (report: (line: string) => void, cancel: vscode.CancellationToken) => {
    report(`sent ${sent}`);
    return trackedRun(deps, 'solve', {
      task,
      config,
      context: ctx.files,
      workspace: new VscodeWorkspaceFiles(root),
      cancel,
      onProgress: (live) => report(progressLine(live)),
    });
  };
  const { trace, plans } = ui
    ? await execute(ui.report, ui.cancel)
    : await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Fugu', cancellable: true }, (progress, token) =>
        execute((message) => progress.report({ message }), token),
      );
  reportRun(trace);
  deps.trace.setPlans(trace.id, plans);
  const reviewId = await startReview(deps, root, trace, plans, ui ? 'listed' : 'opened');
  return { trace, plans, reviewId, context: trace.context };
}

/** Opens the review of the proposed plans; the others stay in the trace with their reasons. */
async function startReview(deps: Deps, root: vscode.Uri, trace: TraceDocument, plans: FileEditPlan[], show: 'opened' | 'listed'): Promise<string | null> {
  const proposed = plans.filter((p) => p.status === 'proposed');
  const notProposed = plans.filter((p) => p.status !== 'proposed');
  for (const p of notProposed) log().warn(`Edit ${p.status} for ${p.path}: ${p.reason ?? 'no reason given'}`);
  if (trace.status !== 'succeeded') return null;
  if (proposed.length === 0) {
    const why = notProposed[0]?.reason ? ` ${notProposed[0].reason}` : '';
    const msg = plans.length === 0 ? 'Fugu finished without proposing file edits; its answer is in the trace.' : `None of Fugu's edits could be used.${why}`;
    void notify(plans.length === 0 ? 'info' : 'warning', msg, 'Show Trace').then((b) => b && vscode.commands.executeCommand('fugu.showTrace', trace.id));
    return null;
  }
  await deps.reviews.supersede(proposed.map((p) => p.path));
  const session = new ReviewSession(randomUUID(), trace.id, plans, root, new VscodeWorkspaceFiles(root), deps.docs);
  deps.reviews.add(session);
  session.onDidChange(() => applyEvent(trace, { type: 'edits', edits: session.traceEdits(trace.final.edits) }));
  if (show === 'opened') await openReview(session, notProposed.length);
  return session.id;
}
