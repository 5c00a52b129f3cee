import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { FileEditPlan } from '../core/edits/types';
import { checkVerdict } from '../core/check/checkReport';
import { runTask } from '../core/runTask';
import { outcomesEvent } from '../core/trace/editOutcomes';
import { applyEvent } from '../core/trace/reduce';
import type { TraceDocument, TraceEvent } from '../core/trace/types';
import { checkAfterRun } from '../core/check/checkAfterRun';
import type { Attachments } from '../core/context/attachments';
import { describeContext } from '../core/context/capContext';
import type { Deps } from './deps';
import { noticeWithTrace, runInEditor, type ProgressElsewhere } from './editorRun';
import { EDITOR_WORKERS } from './lm/vscodeLmWorker';
import { gatherContext } from './gatherContext';
import { learnFromReview, outcomeStore, watchAcceptedEdits } from './learnedOutcomes';
import { log } from './log';
import { notify } from './notify';
import { ensureKeys, loadConfigOrExplain } from './preflight';
import { openReview, reportApply } from './review/reviewCommands';
import { ReviewSession } from './review/reviewSession';
import { reportRun } from './runErrors';
import { checkForRun, type CheckQuestion } from './verifyCheck';
import type { ActiveRun } from './runs';
import { workspaceRoot, VscodeWorkspaceFiles } from './workspaceFiles';

export interface SolveArgs {
  /** The task; the input box asks for it when absent. */
  task?: string;
  /** What the user attached in chat (the @fugu participant): sent before anything else. */
  attached?: Attachments;
}

export interface SolveOutcome {
  trace: TraceDocument;
  plans: FileEditPlan[];
  /** The review session holding the proposed edits (accept with `fugu.acceptAll` etc.). */
  reviewId: string | null;
  /** What was sent as context. */
  context: string[];
  /** What was attached but not sent, and why. */
  notSent: string[];
}

const LAST_TASK = 'fugu.lastTask';
/** How long a run waits for an index still being built before it goes with the open editors alone. */
const INDEX_WAIT_MS = 5_000;

/**
 * Fugu: Solve with Fugu — task, context, run with live progress, then the review. With `elsewhere`
 * (the @fugu chat participant) the progress goes there instead of a notification, and the review
 * session is created without opening the diffs (the caller lists them).
 */
export async function solve(deps: Deps, args: SolveArgs = {}, elsewhere?: ProgressElsewhere): Promise<SolveOutcome | undefined> {
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
      prompt: 'What should Fugu do? The files it names, the open editors, the files defining what it names and a map of the workspace are sent with it.',
      value: deps.context.globalState.get<string>(LAST_TASK) ?? '',
      ignoreFocusOut: true,
    }));
  if (!task?.trim()) return undefined;
  await deps.context.globalState.update(LAST_TASK, task);

  const index = await deps.contextIndex.get(INDEX_WAIT_MS);
  if (!index) log().info('Context index not ready: sending the open editors only.');
  const ctx = await gatherContext(task, config.context.maxChars, index, args.attached, await deps.contextIndex.embeddingsFor(index));
  const sent = describeContext(ctx);
  const notSent = ctx.notes ?? [];
  log().info(`Solve: ${task}`);
  log().info(`Context sent (${ctx.chars} characters): ${sent}`);
  if (notSent.length) log().warn(`Context notes: ${notSent.join(', ')}`);

  // [verify] Decided without waiting: an open question rides along with the run (progress, panel).
  const { check, question } = await checkForRun(deps.context, config, root.fsPath);
  const outcomes = config.policy.backend === 'learned' ? await outcomeStore(deps.context) : undefined;
  let runId = '';
  const { trace, plans } = await runInEditor(deps, {
    kind: 'solve',
    title: 'Fugu',
    message: `sent ${sent}`,
    elsewhere,
    ...(question && !elsewhere
      ? { progressSuffix: (run: ActiveRun) => (question.answered ? '' : question.progressText(run.id)), suffixChanged: question.answer }
      : {}),
    run: (run, onEvent) => {
      runId = run.id;
      if (question) deps.questions.bind(run.id, question);
      return runTask({
        task,
        config,
        keys: deps.keys.resolver(),
        context: ctx.files,
        contextNotSent: notSent,
        signal: run.controller.signal,
        onEvent,
        workspace: new VscodeWorkspaceFiles(root),
        index,
        id: run.id,
        wantsEdits: true,
        workerFactories: EDITOR_WORKERS,
        check,
        outcomes,
      });
    },
  });
  reportRun(trace);
  deps.trace.setPlans(trace.id, plans);
  // The question outlived the run's edits: the review offers the check, and an answer runs it there.
  const openQuestion = question && trace.final.checkQuestion?.answer == null ? question : null;
  const reviewId = await startReview(deps, root, trace, plans, elsewhere ? 'listed' : 'opened', openQuestion);
  if (openQuestion && !reviewId) deps.questions.drop(runId);
  return { trace, plans, reviewId, context: trace.context, notSent };
}

/** Records an answer given after the run, and runs the check on the edits still in review when it is 'run'. */
function answerAfterRun(deps: Deps, root: vscode.Uri, trace: TraceDocument, session: ReviewSession, question: CheckQuestion): void {
  const emit = (e: TraceEvent) => {
    applyEvent(trace, e);
    deps.trace.append(trace.id, [e]);
  };
  void question.answer.then(async (answer) => {
    emit({ type: 'check-answered', answer });
    if (answer !== 'run') return;
    const plans = session.pendingPlans();
    if (plans.length === 0) {
      void notify('info', 'Every file of that Fugu run is already decided, so there is nothing left to check.');
      return;
    }
    const files = new VscodeWorkspaceFiles(root);
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Fugu: checking the edits with \`${question.command}\` in a scratch copy` },
      () => checkAfterRun({ trace, setup: question.setup, plans, user: files, emit }),
    );
    const verdict = trace.final.check ? checkVerdict(trace.final.check) : 'The check did not run';
    const still = session.pending().length;
    if (still === 0) {
      void notify('info', `${verdict}.`);
      return;
    }
    void notify('info', `${verdict.replace(/[.:]?$/, '.')} ${still} file${still === 1 ? '' : 's'} still wait${still === 1 ? 's' : ''} for your review.`, 'Accept All', 'Reject All').then(async (b) => {
      if (b === 'Accept All') reportApply(await session.accept());
      else if (b === 'Reject All') await session.reject();
    });
  }).catch((err: unknown) => log().error(`The check after the run failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
}

/** Opens the review of the proposed plans; the others stay in the trace with their reasons. */
async function startReview(
  deps: Deps, root: vscode.Uri, trace: TraceDocument, plans: FileEditPlan[], show: 'opened' | 'listed', question: CheckQuestion | null,
): Promise<string | null> {
  const proposed = plans.filter((p) => p.status === 'proposed');
  const notProposed = plans.filter((p) => p.status !== 'proposed');
  for (const p of notProposed) log().warn(`Edit ${p.status} for ${p.path}: ${p.reason ?? 'no reason given'}`);
  if (trace.status !== 'succeeded') return null;
  if (proposed.length === 0) {
    const why = notProposed[0]?.reason ? ` ${notProposed[0].reason}` : '';
    const msg = plans.length === 0 ? 'Fugu finished without proposing file edits; its answer is in the trace.' : `None of Fugu's edits could be used.${why}`;
    noticeWithTrace(plans.length === 0 ? 'info' : 'warning', msg);
    return null;
  }
  await deps.reviews.supersede(proposed.map((p) => p.path));
  const session = new ReviewSession(randomUUID(), trace.id, plans, root, new VscodeWorkspaceFiles(root), deps.docs);
  deps.reviews.add(session);
  // The document returned to the caller follows the review through the reducer, like the trace view's.
  session.onDidChange((outcomes) => {
    applyEvent(trace, outcomesEvent(trace.final.edits, outcomes));
    watchAcceptedEdits(deps.context, trace, outcomes, (path) => session.appliedBefore(path));
    void learnFromReview(deps.context, trace, session.pending().length).catch((err) => log().warn(`The learned policy could not record the review: ${err instanceof Error ? err.message : String(err)}`));
  });
  if (question) answerAfterRun(deps, root, trace, session, question);
  const offerCheck = question ? () => void deps.questions.answer(trace.id, 'run') : undefined;
  if (show === 'opened') await openReview(session, notProposed.length, trace.final.check ? checkVerdict(trace.final.check) : undefined, offerCheck);
  return session.id;
}
