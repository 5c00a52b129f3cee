import { randomUUID } from 'node:crypto';
import { taskWithContext } from './assembleMessages';
import { admitCall, BudgetRefusal, BudgetTracker } from './budget';
import { startChecks } from './check/startChecks';
import { correctorFor, verifyRun, type Corrector } from './check/verifyRun';
import type { FuguConfig, WorkerConfig } from './config';
import { contextLine } from './context/capContext';
import type { FileEditPlan, WorkspaceFiles } from './edits/types';
import { planRunEdits } from './runEdits';
import { answeringStep, executeRound, pendingSteps } from './executor';
import { createPolicy } from './policies/createPolicy';
import { checkReward, outcomeOf } from './policies/learned/rewards';
import type { Policy, PolicyInput, PolicyPlan } from './policies/types';
import { costUsd, lookupPrice } from './pricing';
import type { RunContext } from './runContext';
import { budgetFailure, cancelled, errorKindOf, type RunFailure } from './runFailure';
import type { ResumePoint, RunOptions, RunResult } from './runTypes';
import { isCompactionSummary } from './agent/conversation';
import { closeOpenSteps } from './trace/closeSteps';
import { applyEvent, emptyTrace } from './trace/reduce';
import type { TraceClientResult, TraceEvent } from './trace/types';
import { createWorker, keyEnvOf } from './workers/createWorker';
import { billedBySubscription } from './workers/editorProviders';
import { WorkerError, type ChatMessage, type ToolCall, type Worker } from './workers/types';
import { answerStep, endsWithConductor } from './workflow/conductorStep';
import type { Workflow } from './workflow/types';
import { validateWorkflow } from './workflow/validateWorkflow';

/** The answer a round stands on: its text and the worker that wrote it (who repairs failed edits). */
interface Answer {
  text: string;
  coder: WorkerConfig | null;
  /** The client's tools it called: the run stops here, and `resumable` says how to continue it. */
  toolCalls?: ToolCall[];
  resumable?: Omit<ResumePoint, 'trace'>;
}

/**
 * What happens after a round, the run's whole state machine: the answer stands (`accept`), the
 * conductor ordered another round (`correct`), or the run ends without success (`stop`).
 * A later step (planning edits, checking them) may turn an accept into a correction the same way.
 */
type Transition =
  | { next: 'accept'; answer: Answer }
  | { next: 'correct'; plan: PolicyPlan; answer: Answer }
  | { next: 'stop'; failure: RunFailure; answer: Answer };

/** What the rounds of one run share beyond the RunContext. */
interface Conduct {
  ctx: RunContext;
  config: FuguConfig;
  policy: Policy;
  policyInput: PolicyInput;
  task: string;
  /** What the policy and every step but the answering one see (the task, or a long conversation's bounded view). */
  planningTask: string;
  /** Said in the first round's note when planners saw a bounded view. */
  planningNote?: string;
  /** Workflows of the rounds so far, oldest first (what the conductor reviews). */
  previous: Workflow[];
  /** This run's trace id (a continuation names it). */
  traceId: string;
  /** A client's conversation: its tools and format for the answering step, its images, the run it continues. */
  client: Pick<RunOptions, 'answer' | 'images' | 'resume'>;
  /** The run goes on in the trace of the run it continues (the same id, the answering step's next turn). */
  inTrace: boolean;
}

/**
 * One task from start to finish: the policy writes a workflow, the executor runs it, the
 * conductor may correct it (recursion, bounded by maxRecursion), and the final answer's
 * edits are planned against the workspace. Never throws for a provider or policy failure:
 * the trace's status, error and errorKind say what happened.
 */
export async function runTask(opts: RunOptions): Promise<RunResult> {
  const { config } = opts;
  // A continued run is the same run: its clock and totals go on from where the earlier turn left them.
  const results = continuedResults(opts.resume, opts.answer?.continuation ?? []);
  const earlier = results && opts.resume ? opts.resume : null;
  const started = earlier ? Date.parse(earlier.trace.createdAt) || Date.now() : Date.now();
  const trace = emptyTrace();
  // budget.scope 'run': the earlier requests of a continued run spent from the same budget.
  const spentBefore = earlier && (config.budget.scope ?? 'run') === 'run'
    ? { calls: earlier.trace.calls, inputTokens: earlier.trace.usage.inputTokens, outputTokens: earlier.trace.usage.outputTokens, costUsd: earlier.trace.costUsd }
    : undefined;
  const ctx = runContext(opts, started, spentBefore, (e) => {
    applyEvent(trace, e);
    opts.onEvent?.(e);
  });
  const context = opts.context ?? [];
  const task = taskWithContext(opts.task, context);

  if (earlier && results) {
    ctx.emit({ type: 'run-continued', trace: earlier.trace, round: earlier.round, index: earlier.answerIndex, results });
    const turn = (earlier.trace.rounds[earlier.round]?.steps[earlier.answerIndex]?.turns?.length ?? 0) + 2;
    const names = [...new Set((earlier.trace.final.toolCalls ?? []).map((c) => c.name))].join(', ');
    const what = results.length ? `the client sent the results of ${names}` : 'the client compacted its history and sent its summary';
    ctx.emit({ type: 'round-note', round: earlier.round, note: `Turn ${turn}: ${what}; step ${earlier.answerIndex} continues.` });
  } else ctx.emit({
    type: 'run-started',
    id: opts.id ?? randomUUID(),
    task: opts.task,
    ...(opts.title ? { title: opts.title } : {}),
    createdAt: new Date(started).toISOString(),
    policy: opts.policy?.name ?? config.policy.backend,
    budget: { ...config.budget },
    // What the task itself carries comes first, as the workers read it: the task, then the files sent with it.
    context: [...(opts.contextInTask ?? []), ...context.map(contextLine), ...(opts.contextNotSent ?? [])],
  });

  // [verify] The scratch copy and the baseline check start now, in parallel with the models.
  const checks = startChecks(opts, ctx.signal, ctx.emit);
  let failure: RunFailure | null = null;
  let answer: Answer = { text: '', coder: null };
  let plans: FileEditPlan[] = [];
  try {
    const result = await conduct(opts, ctx, task, trace.id, earlier !== null);
    answer = result.answer;
    if (result.next === 'stop') failure = result.failure;
    else if (opts.workspace && !answer.toolCalls?.length) {
      // The step after the answer stands; then the check of the edits, which may correct them.
      const repair = opts.repair !== false;
      const edits = await planAnswerEdits(ctx, { answer, workspace: opts.workspace, repair, round: trace.rounds.length, task });
      if ('failure' in edits) failure = edits.failure;
      else plans = edits.plans;
      // A question still open does not hold the edits back: they go to the review unchecked, and the
      // editor offers the check there.
      checks.close();
      if (!failure && !ctx.signal.aborted && checks.session) {
        // [verify] A failing check drives corrective rounds; by itself it does not fail the run.
        const corrector: Corrector = result.run ? correctorFor(result.run.policy, { ...result.run.policyInput, previous: result.run.previous }, ctx.budget) : { kind: 'none' };
        const v = await verifyRun(ctx, {
          session: checks.session, plans, text: answer.text, user: opts.workspace, trace, corrector, coder: answer.coder,
          maxRounds: config.maxRecursion, repair, task, protect: config.verify?.protect,
        });
        plans = v.plans;
        answer = { ...answer, text: v.text };
      } else if (!failure && checks.skipped && plans.length > 0) {
        ctx.emit({ type: 'round-note', round: trace.rounds.length - 1, note: `No check ran: ${checks.skipped}` });
      } else if (!failure && checks.unanswered !== null && plans.length > 0) {
        ctx.emit({ type: 'round-note', round: trace.rounds.length - 1, note: `No check ran yet: the edits were ready before the question about \`${checks.unanswered}\` was answered.` });
      }
      if (ctx.signal.aborted) {
        // A cancel before the run finished means no edits, even those matched before it.
        failure = cancelled;
        plans = [];
        if (trace.final.edits.length > 0) ctx.emit({ type: 'edits', edits: [] });
      }
    }
  } catch (err) {
    failure = ctx.signal.aborted ? cancelled : { status: 'failed', error: `The run failed: ${message(err)}`, kind: 'internal' };
  }
  await checks.dispose(); // [verify] the scratch copy goes on every way out

  const leftOpen = failure?.error ?? 'The run ended before this step could run.';
  for (const e of closeOpenSteps(trace, ctx.clock(), failure?.status === 'cancelled', leftOpen)) ctx.emit(e);
  const before = earlier?.trace;
  // This request's own spending (the tracker starts from the earlier requests' when the budget covers the run).
  const b = ctx.budget;
  const spent = spentBefore
    ? { usage: { inputTokens: b.inputTokens - spentBefore.inputTokens, outputTokens: b.outputTokens - spentBefore.outputTokens }, costUsd: b.costUsd - spentBefore.costUsd, calls: b.calls - spentBefore.calls }
    : { usage: { inputTokens: b.inputTokens, outputTokens: b.outputTokens }, costUsd: b.costUsd, calls: b.calls };
  ctx.emit({
    type: 'run-finished',
    status: failure?.status ?? 'succeeded',
    error: failure?.error ?? null,
    errorKind: failure?.kind ?? null,
    finalText: answer.text,
    ...(answer.toolCalls?.length ? { toolCalls: answer.toolCalls } : {}),
    usage: before
      ? { inputTokens: before.usage.inputTokens + spent.usage.inputTokens, outputTokens: before.usage.outputTokens + spent.usage.outputTokens }
      : spent.usage,
    costUsd: (before?.costUsd ?? 0) + spent.costUsd,
    calls: (before?.calls ?? 0) + spent.calls,
    ...(before ? { request: spent } : {}),
    wallMs: ctx.clock(),
  });
  // The check's verdict on the final edits is the learned policy's reward for its pick.
  const reward = opts.outcomes ? checkReward(trace) : null;
  const outcome = reward === null ? null : outcomeOf(trace, reward);
  if (outcome) await opts.outcomes!.record(outcome, config);
  const resumable = answer.resumable && trace.status === 'succeeded' ? { ...answer.resumable, trace } : undefined;
  return { trace, plans, toolCalls: answer.toolCalls ?? [], ...(resumable ? { resumable } : {}), spent };
}

/** The run's shared context: one budget, one clock, one worker per config. */
function runContext(opts: RunOptions, started: number, spentBefore: ConstructorParameters<typeof BudgetTracker>[1], emit: (e: TraceEvent) => void): RunContext {
  const { config } = opts;
  const workers = new Map<string, Promise<Worker>>();
  const getWorker = (cfg: WorkerConfig): Promise<Worker> => {
    // Keyed by more than the id: the conductor endpoint may share an id with a pool worker.
    const cacheKey = JSON.stringify([cfg.id, cfg.provider, cfg.model, cfg.baseUrl ?? '']);
    let w = workers.get(cacheKey);
    if (!w) {
      w = opts.keys(cfg).then((apiKey) => {
        // The worker needs a key exactly when it names a key variable (as requiredKeys says).
        const env = keyEnvOf(cfg);
        if (!apiKey && env) {
          throw new WorkerError(cfg.id, 'auth', `Worker '${cfg.id}' (${cfg.provider}) has no API key: set ${env}.`);
        }
        const workerOpts = { apiKey: apiKey ?? '', timeoutMs: cfg.timeoutMs ?? config.timeoutMs, maxRetries: config.maxRetries };
        const make = () => createWorker(cfg, workerOpts, opts.workerFactories);
        return opts.workerPool ? opts.workerPool.get(cfg, workerOpts, make) : make();
      });
      workers.set(cacheKey, w);
    }
    return w;
  };
  return {
    budget: new BudgetTracker(config.budget, spentBefore),
    signal: opts.signal ?? new AbortController().signal,
    emit,
    clock: () => Date.now() - started,
    getWorker,
    costOf: (cfg, usage) => (billedBySubscription(cfg) ? 0 : costUsd(usage, lookupPrice(cfg.model, { workerPrice: cfg.price, prices: config.prices }).price)),
    ...(opts.workspace && opts.index && config.tools.maxCalls > 0
      ? { readTools: { workspace: { index: opts.index, files: opts.workspace }, maxCalls: config.tools.maxCalls } }
      : {}),
  };
}

/** A worker for the policy's own calls: each is made only if its estimate fits in the budget (counted later with the policy's record). */
function budgetedWorker(ctx: RunContext, cfg: WorkerConfig, worker: Worker): Worker {
  return {
    id: worker.id,
    provider: worker.provider,
    model: worker.model,
    call: async (req) => {
      const key = {};
      const price = (tokens: number) => ctx.costOf(cfg, { inputTokens: tokens, outputTokens: 0 });
      const refused = await admitCall(ctx.budget, key, cfg, req, price);
      if (refused) throw new BudgetRefusal(refused);
      try {
        return await worker.call(req);
      } finally {
        ctx.budget.release(key);
      }
    },
  };
}

/** Plans, runs and corrects rounds until the answer stands or the run stops. */
async function conduct(opts: RunOptions, ctx: RunContext, task: string, traceId: string, inTrace: boolean): Promise<Exclude<Transition, { next: 'correct' }> & { run?: Conduct }> {
  const { config } = opts;
  const none: Answer = { text: '', coder: null };
  let policy: Policy;
  try {
    policy = opts.policy ?? createPolicy(config);
  } catch (err) {
    return { next: 'stop', failure: policyFailure(ctx, err), answer: none };
  }
  // A long conversation reaches the policy and the planners as its bounded view; the answering step gets it all.
  const planningTask = opts.planning ? taskWithContext(opts.planning.task, opts.context ?? []) : task;
  const policyInput: PolicyInput = {
    task: planningTask,
    ...(opts.request ? { request: opts.request } : {}),
    config,
    conductorMayReview: config.maxRecursion > 0,
    coding: opts.wantsEdits,
    signal: ctx.signal,
    getWorker: (id: string) => {
      const cfg = config.workers.find((w) => w.id === id);
      if (!cfg) return Promise.reject(new Error(`no worker has the id '${id}'`));
      return ctx.getWorker(cfg).then((w) => budgetedWorker(ctx, cfg, w));
    },
    createWorker: (cfg) => ctx.getWorker(cfg).then((w) => budgetedWorker(ctx, cfg, w)),
    signals: {
      contextPaths: (opts.context ?? []).map((f) => f.path),
      contextChars: (opts.context ?? []).reduce((n, f) => n + f.text.length, 0),
      check: opts.check !== undefined && !('skipped' in opts.check),
    },
    outcomes: opts.outcomes,
  };
  const { resume } = opts;
  const first = await askPolicy(ctx, () => (resume ? Promise.resolve(resumedPlan(resume)) : policy.plan(policyInput)));
  if ('failure' in first) return { next: 'stop', failure: first.failure, answer: none };
  const run: Conduct = { ctx, config, policy, policyInput, task, planningTask, planningNote: opts.planning?.note, traceId, previous: [], client: { answer: opts.answer, images: opts.images, resume }, inTrace };
  let plan = first.plan;
  let answer = none;
  for (let round = inTrace && resume ? resume.round : 0; ; round++) {
    const t = await runRound(run, plan, round, answer);
    // `run` goes back with the answer: a failing check asks the same policy for a correction.
    if (t.next !== 'correct') return { ...t, run };
    plan = t.plan;
    answer = t.answer;
  }
}

/** One round: announce it, run it, then let the conductor (if it closes the round) decide. */
async function runRound(run: Conduct, plan: PolicyPlan, round: number, before: Answer): Promise<Transition> {
  const { ctx, config } = run;
  const pool = [...config.workers, ...(plan.extraWorkers ?? [])];
  const wf = plan.workflow;
  const invalid = validateWorkflow(wf, { poolSize: pool.length, maxSteps: config.maxSteps, allowConductorStep: true, allowAccept: false });
  const { client } = run;
  // The round a continued run resumes is in the trace already, as the earlier turn left it.
  const resume = client.resume && round === (run.inTrace ? client.resume.round : 0) ? client.resume : undefined;
  if (!(resume && run.inTrace)) {
    ctx.emit({ type: 'round-started', round, kind: round === 0 ? 'initial' : 'corrective', workflow: wf, policy: plan.record, steps: pendingSteps(wf, pool) });
    if (plan.record.direct) ctx.emit({ type: 'round-note', round, note: `One call, no planning: ${plan.record.direct}.` });
    else if (round === 0 && run.planningNote && wf.model_id.length > 1) ctx.emit({ type: 'round-note', round, note: run.planningNote });
  }
  if (!invalid.ok) {
    const error = `The ${run.policy.name} policy wrote an invalid workflow: ${invalid.error}`;
    return { next: 'stop', failure: { status: 'failed', error, kind: 'policy' }, answer: before };
  }
  const answering = answeringStep(wf, pool);
  if (resume && !run.inTrace) {
    ctx.emit({ type: 'round-note', round, note: `Continues run ${resume.traceId} after its tool calls: the earlier steps' outputs are reused.` });
  }
  const outcome = await executeRound({
    ...ctx, round, workflow: wf, pool, task: run.task, planningTask: run.planningTask,
    images: client.images,
    answer: client.answer && answering >= 0 ? { index: answering, ...client.answer } : undefined,
    reused: resume?.outputs.map((o, i) => (i < resume.answerIndex ? o : undefined)),
    reusedInTrace: resume !== undefined && run.inTrace,
  });
  const reviewed = answerStep(wf, pool.length);
  const answerOf = (step: number, fallback: Answer): Answer =>
    step >= 0 && outcome.outputs[step] ? { text: outcome.outputs[step], coder: pool[wf.model_id[step]] ?? fallback.coder } : fallback;
  const answer = answerOf(reviewed, before);
  const conductorStep = wf.model_id.length - 1;
  const hasReview = endsWithConductor(wf, pool.length);

  if (outcome.status !== 'succeeded') {
    if (hasReview) skipConductor(ctx, round, conductorStep, 'the round did not finish');
    const failure: RunFailure = { status: outcome.status, error: outcome.error ?? 'The round did not finish.', kind: outcome.errorKind ?? 'internal' };
    return { next: 'stop', failure, answer };
  }
  if (outcome.toolCalls.length) {
    // The client runs its tools and comes back with the results; nothing reviews a half-done turn.
    if (hasReview) skipConductor(ctx, round, conductorStep, 'The answer called the client’s tools; the client runs them and continues.');
    const resumable = { traceId: run.traceId, round, workflow: wf, outputs: outcome.outputs, answerIndex: answering, extraWorkers: plan.extraWorkers };
    const text = outcome.outputs[answering] ?? '';
    return { next: 'accept', answer: { text, coder: pool[wf.model_id[answering]] ?? before.coder, toolCalls: outcome.toolCalls, resumable } };
  }
  if (!hasReview) return { next: 'accept', answer };
  run.previous.push(wf);
  const mayCorrect = round < config.maxRecursion;
  if (!mayCorrect) {
    const note = `Recursion depth bound reached (maxRecursion = ${config.maxRecursion}); the last response stands.`;
    skipConductor(ctx, round, conductorStep, note);
    ctx.emit({ type: 'round-note', round, note });
    return { next: 'accept', answer };
  }
  // The review is a call like any other: no budget, no call.
  const refusal = ctx.budget.refusal();
  if (refusal) {
    skipConductor(ctx, round, conductorStep, refusal);
    return { next: 'stop', failure: budgetFailure(`Stopped before the conductor's review (step ${conductorStep}): ${refusal}.`), answer };
  }
  const input = { ...run.policyInput, previous: run.previous, lastResponse: outcome.outputs[reviewed] ?? '', outputs: outcome.outputs };
  const startMs = ctx.clock();
  ctx.emit({ type: 'step-started', round, index: conductorStep, startMs });
  const next = await askPolicy(ctx, () => run.policy.recurse(input), startMs);
  if ('failure' in next) return { next: 'stop', failure: next.failure, answer };
  recordReview(ctx, round, conductorStep, next.plan);
  if (next.plan.workflow.model_id.length === 0) {
    // An accept may name which step holds the result (the coder's, not the reviewer's).
    ctx.emit({ type: 'round-note', round, note: 'The conductor accepted the last response.' });
    return { next: 'accept', answer: answerOf(next.plan.resultStep ?? reviewed, answer) };
  }
  return { next: 'correct', plan: next.plan, answer };
}

/** Calls the policy; its calls are counted in the budget here, once for every plan it returns. */
async function askPolicy(ctx: RunContext, ask: () => Promise<PolicyPlan>, startMs = ctx.clock()): Promise<{ plan: PolicyPlan } | { failure: RunFailure }> {
  try {
    const plan = await ask();
    plan.record = { ...plan.record, startMs, endMs: ctx.clock() };
    ctx.budget.countPolicy(plan.record);
    return { plan };
  } catch (err) {
    return { failure: policyFailure(ctx, err) };
  }
}

function policyFailure(ctx: RunContext, err: unknown): RunFailure {
  if (ctx.signal.aborted) return cancelled;
  if (err instanceof BudgetRefusal) return budgetFailure(`Stopped before the policy's call: ${err.reason}.`);
  // A policy that failed because its model call did (a conductor's key, say) fails with that call's kind.
  return { status: 'failed', error: `The policy failed: ${message(err)}`, kind: errorKindOf(err, 'policy') };
}

/** The conductor's step shows what it decided, with the raw answers it gave. */
function recordReview(ctx: RunContext, round: number, index: number, plan: PolicyPlan): void {
  const accept = plan.workflow.model_id.length === 0;
  const output = accept
    ? 'Accept: the last response is the result.'
    : `Corrective workflow:\nmodel_id = ${JSON.stringify(plan.workflow.model_id)}\nsubtasks = ${JSON.stringify(plan.workflow.subtasks)}\naccess_list = ${JSON.stringify(plan.workflow.access_list)}`;
  ctx.emit({
    type: 'step-finished', round, index, status: 'succeeded', output: plan.record.rawAnswers.length ? `${plan.record.rawAnswers.join('\n\n---\n\n')}\n\n${output}` : output,
    usage: plan.record.usage, costUsd: plan.record.costUsd, endMs: ctx.clock(), retries: 0, error: null,
  });
}

function skipConductor(ctx: RunContext, round: number, index: number, why: string) {
  ctx.emit({ type: 'step-finished', round, index, status: 'skipped', output: '', usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, endMs: ctx.clock(), retries: 0, error: why });
}

/** The accepted answer's edits, planned against the workspace (nothing written). */
async function planAnswerEdits(
  ctx: RunContext,
  input: { answer: Answer; workspace: WorkspaceFiles; repair: boolean; round: number; task: string },
): Promise<{ plans: FileEditPlan[] } | { failure: RunFailure }> {
  const { answer } = input;
  try {
    const plans = await planRunEdits(ctx, {
      text: answer.text,
      workspace: input.workspace,
      repair: input.repair && answer.coder !== null && !ctx.signal.aborted,
      repairWith: answer.coder,
      round: input.round,
      task: input.task,
    });
    return { plans };
  } catch (err) {
    return { failure: { status: 'failed', error: `Planning the edits failed: ${message(err)}`, kind: 'edits' } };
  }
}

/** An earlier run's plan, taken as it is: no policy call, nothing spent. */
function resumedPlan(r: ResumePoint): PolicyPlan {
  return {
    workflow: r.workflow,
    extraWorkers: r.extraWorkers,
    record: { backend: 'reused', rawAnswers: [], rejections: [], fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 },
  };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Longest result of a client's tool kept in the trace. */
const RESULT_CHARS = 4000;

/**
 * The client's results of the calls the earlier turn made, when the conversation goes on from that
 * turn (its last calls are the ones the trace ended with); null when there is nothing to continue, or
 * the conversation continues some other turn (the run then reuses the plan under a trace of its own).
 */
function continuedResults(resume: ResumePoint | undefined, continuation: ChatMessage[]): TraceClientResult[] | null {
  const calls = resume?.trace?.final.toolCalls ?? [];
  if (!resume || calls.length === 0) return null;
  let last = continuation.length - 1;
  while (last >= 0 && !continuation[last].toolCalls?.length) last--;
  // The client compacted its history and goes on from the summary: the same run, its next turn.
  if (last < 0) return continuation.some(isCompactionSummary) ? [] : null;
  const sent = new Set(continuation[last].toolCalls!.map((c) => c.id));
  if (sent.size !== calls.length || calls.some((c) => !sent.has(c.id))) return null;
  return continuation.slice(last + 1).filter((m) => m.role === 'tool').map((m) => ({
    id: m.toolCallId ?? '',
    content: m.content.slice(0, RESULT_CHARS),
    truncated: m.content.length > RESULT_CHARS,
  }));
}
