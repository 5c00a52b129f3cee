// The check's part of a run, after the edits are planned: check them in the scratch copy; on a
// failure the policy orders a corrective round (builtin: the coder, with the failing output and the
// files as they now stand; conductor: its review gets the report), then the check again, up to
// maxRecursion rounds. What the user reviews is the net change from their own files.
import type { WorkerConfig } from '../config';
import type { FileEditPlan, WorkspaceFiles } from '../edits/types';
import { executeRound, pendingSteps } from '../executor';
import type { BudgetTracker } from '../budget';
import type { Policy, PolicyPlan, RecursionInput } from '../policies/types';
import type { RunContext } from '../runContext';
import { planRunEdits, toTraceEdit } from '../runEdits';
import type { PolicyRecord, TraceCheck, TraceDocument, TraceStep } from '../trace/types';
import { isConductorModel } from '../workflow/conductorStep';
import type { Workflow } from '../workflow/types';
import { checkCorrectionSubtask, checkReport } from './checkReport';
import type { CheckSession } from './checkSession';
import { refuseProtected, verifyProtection } from './protect';
import type { CheckRun } from './types';

/** Who acts on a failing check: the builtin coder step, the conductor's review, or nobody (hosted Fugu). */
export type Corrector =
  | { kind: 'builtin' }
  | { kind: 'conductor'; review(report: string, answer: string): Promise<PolicyPlan>; pool: WorkerConfig[] }
  | { kind: 'none' };

/** The corrector for a policy: builtin and conductor act on a failing check; hosted Fugu and fixed workflows do not. */
export function correctorFor(policy: Policy, input: Omit<RecursionInput, 'lastResponse' | 'outputs'>, budget: BudgetTracker): Corrector {
  // The learned policy's corrective rounds are builtin's.
  if (policy.name === 'builtin' || policy.name === 'learned') return { kind: 'builtin' };
  if (policy.name !== 'conductor') return { kind: 'none' };
  return {
    kind: 'conductor',
    pool: input.config.workers,
    async review(report, answer) {
      const plan = await policy.recurse({ ...input, lastResponse: `${answer}\n\n${report}`, outputs: [answer] });
      budget.countPolicy(plan.record);
      return plan;
    },
  };
}

export interface VerifyRunInput {
  /** The user's task as every worker sees it (context included). */
  task: string;
  session: CheckSession;
  /** The planned edits of the final answer (matched against the user's files). */
  plans: FileEditPlan[];
  text: string;
  /** The user's files (the start of the net change). */
  user: WorkspaceFiles;
  /** The live trace (read for step and round indices; changed only through `emit`). */
  trace: TraceDocument;
  corrector: Corrector;
  /** Who wrote the edits: the builtin corrective step goes back to them. */
  coder: WorkerConfig | null;
  maxRounds: number;
  repair: boolean;
  /** `verify.protect`: edits to the tests are refused before the check. */
  protect?: boolean | string[];
}

export interface VerifyRunResult {
  plans: FileEditPlan[];
  text: string;
  check: TraceCheck | null;
}

/** Never throws: an unexpected failure keeps the planned edits, unchecked, and says why in a round note. */
export async function verifyRun(ctx: RunContext, input: VerifyRunInput): Promise<VerifyRunResult> {
  try {
    return await checkAndCorrect(ctx, input);
  } catch (err) {
    const round = input.trace.rounds.length - 1;
    if (round >= 0) ctx.emit({ type: 'round-note', round, note: `The check did not complete: ${err instanceof Error ? err.message : String(err)}` });
    return { plans: input.plans, text: input.text, check: null };
  }
}

async function checkAndCorrect(ctx: RunContext, input: VerifyRunInput): Promise<VerifyRunResult> {
  const { session, trace } = input;
  const { emit, clock } = ctx;
  let plans = input.plans;
  let text = input.text;
  let round = trace.rounds.length - 1;
  if (round < 0) return { plans, text, check: null };
  const isProtected = await verifyProtection(input.protect, session.command, input.user);
  let refusedAny = false;
  const protect = (ps: FileEditPlan[]): FileEditPlan[] => {
    const r = refuseProtected(ps, isProtected);
    refusedAny ||= r.refused.length > 0;
    if (r.refused.length) emit({ type: 'round-note', round, note: `Edits to protected test files were refused (verify.protect): ${r.refused.join(', ')}.` });
    return r.plans;
  };
  plans = protect(plans);
  if (!plans.some((p) => p.status === 'proposed')) {
    emit({ type: 'round-note', round, note: 'No check ran: the answer proposed no edits that apply.' });
    return { plans, text, check: null };
  }
  let corrections = 0;
  let last: TraceCheck;
  let roundPlans = plans;
  for (;;) {
    const index = trace.rounds[round].steps.length;
    emit({ type: 'check-started', round, step: checkStep(index, session.command, clock(), editsStep(trace.rounds[round].steps)) });
    const run = await session.checkEdits(roundPlans, input.user);
    const baseline = await session.baseline;
    last = traceCheck(run, baseline);
    emit({ type: 'check-finished', round, index, check: last, endMs: clock(), rounds: corrections });
    if (run.outcome !== 'failed' || input.corrector.kind === 'none' || ctx.signal.aborted) break;
    if (input.corrector.kind === 'builtin' && !input.coder) break;
    if (corrections >= input.maxRounds) {
      emit({ type: 'round-note', round, note: `The check still fails; the recursion depth bound is reached (maxRecursion = ${input.maxRounds}).` });
      break;
    }
    const refusal = ctx.budget.refusal();
    if (refusal) {
      emit({ type: 'round-note', round, note: `The check fails, but no corrective round was started: ${refusal}.` });
      break;
    }
    const files = await session.files();
    if (!files) break;
    const next = await correctiveRound(ctx, input, last, text, files).catch((e: unknown): Correction => ({ kind: 'failed', error: e instanceof Error ? e.message : String(e) }));
    if (next.kind === 'accepted') {
      emit({ type: 'round-note', round, note: 'The conductor accepted the edits despite the failing check.' });
      break;
    }
    corrections++;
    round = trace.rounds.length - 1;
    if (next.kind === 'failed') {
      emit({ type: 'round-note', round, note: `The corrective round did not finish: ${next.error}` });
      break;
    }
    text = next.text;
    roundPlans = await planRunEdits(ctx, { text, workspace: files, repair: input.repair, repairWith: next.coder, round: trace.rounds.length, task: input.task });
    round = trace.rounds.length - 1;
    roundPlans = protect(roundPlans);
    if (ctx.signal.aborted) break;
    if (!roundPlans.some((p) => p.status === 'proposed')) {
      emit({ type: 'round-note', round, note: 'The corrective answer proposed no edits that apply; the earlier edits stand.' });
      break;
    }
  }
  // The user reviews the net change from their own files, plus what failed and touched nothing.
  const net = await session.netPlans();
  const failed = roundPlans.filter((p) => p.status !== 'proposed' && !net.some((n) => n.path === p.path));
  plans = [...net, ...failed];
  if (corrections > 0 || refusedAny) emit({ type: 'edits', edits: plans.map(toTraceEdit) });
  return { plans, text, check: last };
}

type Correction = { kind: 'ran'; text: string; coder: WorkerConfig | null } | { kind: 'failed'; error: string } | { kind: 'accepted' };

async function correctiveRound(ctx: RunContext, input: VerifyRunInput, check: TraceCheck, answer: string, files: WorkspaceFiles): Promise<Correction> {
  const c = input.corrector;
  let workflow: Workflow;
  let pool: WorkerConfig[];
  let policy: PolicyRecord = { backend: 'check', rawAnswers: [], rejections: [], fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 };
  const shown = await Promise.all(
    (await input.session.netPlans()).map(async (p) => ({ path: p.path, text: await files.read(p.path).catch(() => null) })),
  );
  // Every corrective worker writes against the files as the last round left them, whoever planned the round.
  let task = input.task;
  if (c.kind === 'builtin') {
    workflow = { model_id: [0], subtasks: [checkCorrectionSubtask(check, shown)], access_list: [[]] };
    pool = [input.coder!];
  } else if (c.kind === 'conductor') {
    const plan = await c.review(checkReport(check), answer);
    policy = plan.record;
    if (plan.workflow.model_id.length === 0) return { kind: 'accepted' };
    pool = c.pool;
    // The conductor's own step at the end would ask for another review; the check is that review.
    const keep = plan.workflow.model_id.findIndex((m) => isConductorModel(m, pool.length));
    const n = keep === -1 ? plan.workflow.model_id.length : keep;
    if (n === 0) return { kind: 'accepted' };
    workflow = { model_id: plan.workflow.model_id.slice(0, n), subtasks: plan.workflow.subtasks.slice(0, n), access_list: plan.workflow.access_list.slice(0, n) };
    task = `${input.task}\n\n${checkCorrectionSubtask(check, shown)}`;
  } else {
    return { kind: 'accepted' };
  }
  const round = input.trace.rounds.length;
  ctx.emit({ type: 'round-started', round, kind: 'corrective', workflow, policy, steps: pendingSteps(workflow, pool) });
  const outcome = await executeRound({ ...ctx, round, workflow, pool, task });
  if (outcome.status !== 'succeeded') return { kind: 'failed', error: outcome.error ?? outcome.status };
  const last = workflow.model_id.length - 1;
  return { kind: 'ran', text: outcome.outputs[last] ?? '', coder: pool[workflow.model_id[last]] ?? null };
}

/** The step whose answer became the edits: the last model step that is neither a review nor the conductor's. */
export function editsStep(steps: TraceStep[]): number[] {
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i];
    if (s.provider !== 'conductor' && s.provider !== 'check' && s.role !== 'reviewer') return [i];
  }
  return [];
}

export function checkStep(index: number, command: string, startMs: number, access: number[]): TraceStep {
  return {
    index, worker: 'check', provider: 'check', model: command, role: 'check',
    subtask: `Run \`${command}\` on a scratch copy of the workspace with the edits applied.`,
    access, status: 'running', output: '', usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0,
    startMs, endMs: null, retries: 0, error: null,
  };
}

export function traceCheck(run: CheckRun, baseline: CheckRun): TraceCheck {
  const { command, ...rest } = run;
  const { command: _c, ...base } = baseline;
  return { command, ...rest, passed: run.outcome === 'passed', baseline: baseline.outcome === 'cancelled' ? null : base };
}
