import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { FileEditPlan } from '../core/edits/types';
import { checkVerdict } from '../core/check/checkReport';
import { runTask } from '../core/runTask';
import { applyEvent, emptyTrace } from '../core/trace/reduce';
import type { TraceDocument, TraceEvent } from '../core/trace/types';
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
import { checkForRun } from './verifyCheck';
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

/** Fugu: Solve with Fugu — task, context, run with live progress, then the review. */
export async function solve(deps: Deps, args: SolveArgs = {}): Promise<SolveOutcome | undefined> {
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

  const check = await checkForRun(deps.context, config, root.fsPath); // [verify]
  const run = deps.runs.start('solve');
  const live = emptyTrace();
  let result;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Fugu', cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => run.controller.abort());
        progress.report({ message: `sent ${sent}` });
        let lastShown = 0;
        const onEvent = (e: TraceEvent) => {
          applyEvent(live, e);
          deps.trace.onEvent(e);
          // Streamed text moves the token estimate, a few times a second at most.
          const now = Date.now();
          if (e.type === 'step-delta' && now - lastShown < 250) return;
          lastShown = now;
          deps.statusBar.update(live);
          progress.report({ message: progressLine(live) });
        };
        return runTask({
          task,
          config,
          keys: deps.keys.resolver(),
          context: ctx.files,
          signal: run.controller.signal,
          onEvent,
          workspace: new VscodeWorkspaceFiles(root),
          id: run.id,
          check,
        });
      },
    );
  } catch (err) {
    deps.statusBar.reset();
    throw err;
  } finally {
    deps.runs.end(run);
  }
  const { trace, plans } = result;
  deps.statusBar.finish(trace);
  reportRun(trace);
  deps.trace.setPlans(run.id, plans);
  const reviewId = await startReview(deps, root, trace, plans);
  return { trace, plans, reviewId, context: trace.context };
}

/** Opens the review of the proposed plans; the others stay in the trace with their reasons. */
async function startReview(deps: Deps, root: vscode.Uri, trace: TraceDocument, plans: FileEditPlan[]): Promise<string | null> {
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
  await openReview(session, notProposed.length, trace.final.check ? checkVerdict(trace.final.check) : undefined);
  return session.id;
}
