import { randomUUID } from 'node:crypto';
import { taskWithContext } from './assembleMessages';
import { BudgetTracker } from './budget';
import { startChecks } from './check/startChecks';
import { correctorFor, verifyRun, type Corrector } from './check/verifyRun';
import type { WorkerConfig } from './config';
import { planRunEdits } from './runEdits';
import { executeRound, pendingSteps } from './executor';
import { createPolicy } from './policies/createPolicy';
import type { Policy, PolicyPlan } from './policies/types';
import { costUsd, lookupPrice } from './pricing';
import type { RunOptions, RunResult } from './runTypes';
import { closeOpenSteps } from './trace/closeSteps';
import { applyEvent, emptyTrace } from './trace/reduce';
import type { RunStatus, TraceEvent } from './trace/types';
import { createWorker, keyEnvOf } from './workers/createWorker';
import { WorkerError, type Usage, type Worker } from './workers/types';
import { validateWorkflow } from './workflow/validateWorkflow';
import type { Workflow } from './workflow/types';

/**
 * One task from start to finish: the policy writes a workflow, the executor runs it, the
 * conductor may correct it (recursion, bounded by maxRecursion), and the final answer's
 * edits are planned against the workspace. Never throws for a provider or policy failure:
 * the trace's status and error say what happened.
 */
export async function runTask(opts: RunOptions): Promise<RunResult> {
  const { config } = opts;
  const started = Date.now();
  const clock = () => Date.now() - started;
  const trace = emptyTrace();
  const emit = (e: TraceEvent) => {
    applyEvent(trace, e);
    opts.onEvent?.(e);
  };
  const signal = opts.signal ?? new AbortController().signal;
  const budget = new BudgetTracker(config.budget);
  const workers = new Map<string, Promise<Worker>>();
  const getWorker = (cfg: WorkerConfig): Promise<Worker> => {
    // Keyed by more than the id: the conductor endpoint may share an id with a pool worker.
    const cacheKey = JSON.stringify([cfg.id, cfg.provider, cfg.model, cfg.baseUrl ?? '']);
    let w = workers.get(cacheKey);
    if (!w) {
      w = opts.keys(cfg).then((apiKey) => {
        const env = keyEnvOf(cfg);
        if (!apiKey && (cfg.provider !== 'openai-compatible' || cfg.apiKeyEnv)) {
          throw new WorkerError(cfg.id, 'auth', `Worker '${cfg.id}' (${cfg.provider}) has no API key: set ${env ?? 'its key'} or run 'Fugu: Set API Key'.`);
        }
        return createWorker(cfg, { apiKey: apiKey ?? '', timeoutMs: cfg.timeoutMs ?? config.timeoutMs, maxRetries: config.maxRetries });
      });
      workers.set(cacheKey, w);
    }
    return w;
  };
  const costOf = (cfg: WorkerConfig, usage: Usage) => costUsd(usage, lookupPrice(cfg.model, { workerPrice: cfg.price, prices: config.prices }).price);
  const context = opts.context ?? [];
  const task = taskWithContext(opts.task, context);

  emit({
    type: 'run-started',
    id: opts.id ?? randomUUID(),
    task: opts.task,
    createdAt: new Date(started).toISOString(),
    policy: opts.policy?.name ?? config.policy.backend,
    budget: { ...config.budget },
    context: context.map((f) => (f.note ? `${f.path} (${f.note})` : f.path)),
  });

  // [verify] The baseline check starts now, in parallel with the models.
  const checks = startChecks(opts, signal);
  let corrector: Corrector = { kind: 'none' };

  let status: Exclude<RunStatus, 'running'> = 'succeeded';
  let error: string | null = null;
  let finalText = '';
  let coder: WorkerConfig | null = null;
  try {
    const policy = opts.policy ?? createPolicy(config);
    const policyInput = {
      task,
      config,
      allowRecursion: config.maxRecursion > 0,
      signal,
      getWorker: (id: string) => {
        const cfg = config.workers.find((w) => w.id === id);
        if (!cfg) return Promise.reject(new Error(`no worker has the id '${id}'`));
        return getWorker(cfg);
      },
      createWorker: getWorker,
    };
    const previous: Workflow[] = [];
    corrector = correctorFor(policy, { ...policyInput, previous }, budget); // [verify]
    const planStart = clock();
    let plan: PolicyPlan = await policy.plan(policyInput);
    plan.record = { ...plan.record, startMs: planStart, endMs: clock() };
    for (let round = 0; ; round++) {
      const pool = [...config.workers, ...(plan.extraWorkers ?? [])];
      const allowRecursion = round < config.maxRecursion;
      const invalid = validateWorkflow(plan.workflow, {
        poolSize: pool.length,
        maxSteps: config.maxSteps,
        allowRecursion: true,
        allowAccept: false,
      });
      countPolicy(budget, plan);
      emit({
        type: 'round-started',
        round,
        kind: round === 0 ? 'initial' : 'corrective',
        workflow: plan.workflow,
        policy: plan.record,
        steps: pendingSteps(plan.workflow, pool),
      });
      if (!invalid.ok) {
        status = 'failed';
        error = `The ${policy.name} policy wrote an invalid workflow: ${invalid.error}`;
        break;
      }
      const outcome = await executeRound({ round, workflow: plan.workflow, pool, task, getWorker, costOf, budget, signal, emit, clock });
      const n = plan.workflow.model_id.length;
      const last = n - 1;
      const conductorLast = plan.workflow.model_id[last] === pool.length;
      const answerIndex = conductorLast ? last - 1 : last;
      if (answerIndex >= 0 && outcome.outputs[answerIndex]) {
        finalText = outcome.outputs[answerIndex];
        coder = pool[plan.workflow.model_id[answerIndex]] ?? coder;
      }
      if (outcome.status !== 'succeeded') {
        status = outcome.status;
        error = outcome.error;
        if (conductorLast) skipConductor(emit, round, last, clock, 'the round did not finish');
        break;
      }
      if (!conductorLast) break;
      previous.push(plan.workflow);
      if (!allowRecursion) {
        const note = `Recursion depth bound reached (maxRecursion = ${config.maxRecursion}); the last response stands.`;
        skipConductor(emit, round, last, clock, note);
        emit({ type: 'round-note', round, note });
        break;
      }
      // The review is a call like any other: no budget, no call.
      const refusal = budget.refusal();
      if (refusal) {
        status = 'budget_exceeded';
        error = `Stopped before the conductor's review (step ${last}): ${refusal}.`;
        skipConductor(emit, round, last, clock, refusal);
        break;
      }
      const next = await recurse(policy, { ...policyInput, previous, lastResponse: outcome.outputs[answerIndex] ?? '', outputs: outcome.outputs }, emit, round, last, clock, budget);
      if (next.workflow.model_id.length === 0) {
        // An accept may name which step holds the result (the coder's, not the reviewer's).
        const chosen = next.resultStep ?? answerIndex;
        if (outcome.outputs[chosen]) {
          finalText = outcome.outputs[chosen];
          coder = pool[plan.workflow.model_id[chosen]] ?? coder;
        }
        emit({ type: 'round-note', round, note: 'The conductor accepted the last response.' });
        break;
      }
      plan = next;
    }
  } catch (err) {
    status = signal.aborted ? 'cancelled' : 'failed';
    error = signal.aborted ? 'The run was cancelled.' : `The policy failed: ${err instanceof Error ? err.message : String(err)}`;
  }

  let plans: RunResult['plans'] = [];
  if (status === 'succeeded' && opts.workspace) {
    try {
      plans = await planRunEdits({
        text: finalText,
        workspace: opts.workspace,
        repair: opts.repair !== false && coder !== null && !signal.aborted,
        repairWith: coder,
        round: trace.rounds.length,
        task,
        getWorker,
        costOf,
        budget,
        signal,
        emit,
        clock,
      });
    } catch (err) {
      status = 'failed';
      error = `Planning the edits failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (signal.aborted) {
      // A cancel before the run finished means no edits, even those matched before it.
      status = 'cancelled';
      error = 'The run was cancelled.';
      plans = [];
      if (trace.final.edits.length > 0) emit({ type: 'edits', edits: [] });
    }
    // [verify] Check the edits in the scratch copy; a failing check drives corrective rounds.
    if (checks.session && status === 'succeeded') {
      const v = await verifyRun({
        session: checks.session, plans, text: finalText, user: opts.workspace, trace, corrector, coder,
        maxRounds: config.maxRecursion, repair: opts.repair !== false, task, getWorker, costOf, budget, signal, emit, clock,
      });
      plans = v.plans;
      finalText = v.text;
      if (signal.aborted) {
        status = 'cancelled';
        error = 'The run was cancelled.';
        plans = [];
        if (trace.final.edits.length > 0) emit({ type: 'edits', edits: [] });
      }
    } else if (checks.skipped && status === 'succeeded' && plans.length > 0) {
      emit({ type: 'round-note', round: trace.rounds.length - 1, note: `No check ran: ${checks.skipped}` });
    }
  }
  await checks.session?.dispose(); // [verify] the scratch copy goes on every way out

  const leftOpen = error ?? 'The run ended before this step could run.';
  for (const e of closeOpenSteps(trace, clock(), status === 'cancelled', leftOpen)) emit(e);
  emit({
    type: 'run-finished',
    status,
    error,
    finalText,
    usage: { inputTokens: budget.inputTokens, outputTokens: budget.outputTokens },
    costUsd: budget.costUsd,
    calls: budget.calls,
    wallMs: clock(),
  });
  return { trace, plans };
}

function countPolicy(budget: BudgetTracker, plan: PolicyPlan): void {
  const r = plan.record;
  budget.addFinished(r.rawAnswers.length, r.usage.inputTokens, r.usage.outputTokens, r.costUsd);
}

function skipConductor(emit: (e: TraceEvent) => void, round: number, index: number, clock: () => number, why: string) {
  emit({ type: 'step-finished', round, index, status: 'skipped', output: '', usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, endMs: clock(), retries: 0, error: why });
}

/** The conductor's own step: returns the corrective plan, or null when it accepts. */
async function recurse(
  policy: Policy,
  input: Parameters<Policy['recurse']>[0],
  emit: (e: TraceEvent) => void,
  round: number,
  index: number,
  clock: () => number,
  budget: BudgetTracker,
): Promise<PolicyPlan> {
  const startMs = clock();
  emit({ type: 'step-started', round, index, startMs });
  const plan = await policy.recurse(input);
  plan.record = { ...plan.record, startMs, endMs: clock() };
  const accept = plan.workflow.model_id.length === 0;
  const output = accept
    ? 'Accept: the last response is the result.'
    : `Corrective workflow:\nmodel_id = ${JSON.stringify(plan.workflow.model_id)}\nsubtasks = ${JSON.stringify(plan.workflow.subtasks)}\naccess_list = ${JSON.stringify(plan.workflow.access_list)}`;
  emit({
    type: 'step-finished', round, index, status: 'succeeded', output: plan.record.rawAnswers.length ? `${plan.record.rawAnswers.join('\n\n---\n\n')}\n\n${output}` : output,
    usage: plan.record.usage, costUsd: plan.record.costUsd, endMs: clock(), retries: 0, error: null,
  });
  if (accept) {
    countPolicy(budget, plan);
  }
  return plan;
}
