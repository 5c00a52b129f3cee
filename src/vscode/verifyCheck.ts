import * as vscode from 'vscode';
import { decideCheck, type ResolvedCheck } from '../core/check/decideCheck';
import type { PendingCheck } from '../core/check/pendingCheck';
import { resolveCheck } from '../core/check/resolveCheck';
import type { FuguConfig } from '../core/config';
import type { RunOptions } from '../core/runTypes';
import type { CheckAnswer } from '../core/trace/types';
import { notify } from './notify';

// [verify] issue 11, 24: whether Solve with Fugu checks its edits (fugu.verify.mode, workspace trust,
// the answer remembered per workspace and per command). The question never holds a run up: it is
// part of the run's progress (a link in the progress notification, a card in the trace panel) and
// is answered with the command fugu.answerCheck whenever the user likes.

/** The answers remembered in this workspace, by the command they were given for. */
const ANSWERS_KEY = 'fugu.verify.answers';
const SHOWN_KEY = 'fugu.verify.shownCommand';
export const VERIFY_BUTTONS: Record<CheckAnswer, string> = { run: 'Run checks', 'not-now': 'Not now', never: 'Never for this workspace' };

/** An open question about one run's check; answered once, by whichever button comes first. */
export class CheckQuestion {
  readonly answer: Promise<CheckAnswer>;
  answered: CheckAnswer | null = null;
  private settle!: (a: CheckAnswer) => void;

  constructor(readonly setup: ResolvedCheck) {
    this.answer = new Promise((resolve) => (this.settle = resolve));
  }

  get command(): string {
    return this.setup.command.display;
  }

  /** False when it was already answered. */
  answerWith(a: CheckAnswer): boolean {
    if (this.answered) return false;
    this.answered = a;
    this.settle(a);
    return true;
  }

  /** What the run's progress says while the question is open: the question and its answers as command links. */
  progressText(runId: string): string {
    const link = (a: CheckAnswer) => `[${VERIFY_BUTTONS[a]}](command:fugu.answerCheck?${encodeURIComponent(JSON.stringify([{ runId, answer: a }]))})`;
    return `Check the edits with \`${this.command}\`? ${link('run')} · ${link('not-now')} · ${link('never')}`;
  }
}

/** The open questions, by run id (the panel and the progress links name the run they belong to). */
export class CheckQuestions {
  private readonly open = new Map<string, CheckQuestion>();

  bind(runId: string, q: CheckQuestion): void {
    this.open.set(runId, q);
    void q.answer.then(() => this.open.delete(runId));
  }

  /** Stops offering the question (its run ended without edits to check). */
  drop(runId: string): void {
    this.open.delete(runId);
  }

  get(runId: string): CheckQuestion | undefined {
    return this.open.get(runId);
  }

  /** Answers the question of `runId` (or the newest open one); false when there is none. */
  answer(runId: string | undefined, a: CheckAnswer): boolean {
    const q = runId ? this.open.get(runId) : [...this.open.values()].pop();
    return q ? q.answerWith(a) : false;
  }
}

export interface CheckForRun {
  check: NonNullable<RunOptions['check']>;
  /** Set when the user is asked: the run starts anyway; the answer comes through this. */
  question: CheckQuestion | null;
}

export async function checkForRun(context: vscode.ExtensionContext, config: FuguConfig, root: string): Promise<CheckForRun> {
  const answers = () => context.workspaceState.get<Record<string, 'run' | 'never'>>(ANSWERS_KEY) ?? {};
  const plan = await decideCheck({
    mode: config.verify?.mode ?? 'ask',
    trusted: vscode.workspace.isTrusted,
    remembered: (command) => (Object.prototype.hasOwnProperty.call(answers(), command) ? answers()[command] : undefined),
    resolve: () => resolveCheck(config, root, process.env),
  });
  if ('ask' in plan) {
    const question = new CheckQuestion(plan.ask);
    // 'Run checks' and 'Never' stand for this command in this workspace; 'Not now' is asked again next time.
    void question.answer.then((a) => {
      if (a !== 'not-now') void context.workspaceState.update(ANSWERS_KEY, { ...answers(), [question.command]: a });
    });
    const pending: PendingCheck = { ask: plan.ask, answer: question.answer };
    return { check: pending, question };
  }
  // A detected command is shown before its first use, also when no question was asked (mode on).
  if ('command' in plan && plan.detected && config.verify?.mode === 'on' && context.workspaceState.get(SHOWN_KEY) !== plan.command.display) {
    void context.workspaceState.update(SHOWN_KEY, plan.command.display);
    void notify('info', `Fugu checks its edits with \`${plan.command.display}\` (found because ${plan.detected}), in a scratch copy of the workspace. Set fugu.verify.command to use another command.`);
  }
  return { check: plan, question: null };
}

/** The arguments of fugu.answerCheck, as a command link or a caller passes them. */
export function parseAnswerArgs(arg: unknown): { runId?: string; answer: CheckAnswer } | null {
  const a = Array.isArray(arg) ? arg[0] : arg;
  if (!a || typeof a !== 'object') return null;
  const { runId, answer } = a as { runId?: unknown; answer?: unknown };
  if (answer !== 'run' && answer !== 'not-now' && answer !== 'never') return null;
  return { ...(typeof runId === 'string' && runId ? { runId } : {}), answer };
}
