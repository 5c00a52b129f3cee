// The default policy: deterministic, offline. Reads the task and the pool's roles and writes the
// same three lists a conductor would.

import type { FuguConfig, WorkerConfig } from '../config';
import type { PolicyRecord } from '../trace/types';
import type { Workflow } from '../workflow/types';
import { conductorModelId } from '../workflow/conductorStep';
import { DEFAULT_MAX_STEPS, validateWorkflow } from '../workflow/validateWorkflow';
import {
  analysisSubtask,
  answerSubtask,
  codeSubtask,
  conductorSubtask,
  correctiveSubtask,
  parseVerdict,
  planSubtask,
  reviewSubtask,
  synthesisSubtask,
} from './builtinSubtasks';
import { classifyTask, taskKindOf, type TaskKind } from './classifyTask';
import { directRequest, type DirectKind, type DirectRequest } from './directRequest';
import type { Policy, PolicyInput, PolicyPlan, RecursionInput } from './types';

export function emptyRecord(backend: string): PolicyRecord {
  return { backend, rawAnswers: [], rejections: [], fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 };
}

/** Pool indices by job. Missing roles degrade: no coder -> an 'any' worker -> the first worker. */
export interface PoolRoles {
  planners: number[];
  coder: number;
  reviewer: number | null;
  /** Who answers a short question or writes a general answer. */
  answerer: number;
}

export function poolRoles(workers: WorkerConfig[]): PoolRoles {
  const first = (role: WorkerConfig['role']) => {
    const i = workers.findIndex((w) => w.role === role);
    return i === -1 ? null : i;
  };
  const coder = first('coder') ?? first('any') ?? 0;
  const reviewer = workers.findIndex((w, i) => w.role === 'reviewer' && i !== coder);
  const planners = workers.flatMap((w, i) => (w.role === 'planner' ? [i] : []));
  return { planners, coder, reviewer: reviewer === -1 ? null : reviewer, answerer: first('any') ?? first('planner') ?? coder };
}

function step(wf: Workflow, model: number, subtask: string, access: Workflow['access_list'][number]): void {
  wf.model_id.push(model);
  wf.subtasks.push(subtask);
  wf.access_list.push(access);
}

/** The workflow the builtin policy writes for a task; `conductorMayReview` enables the review round. */
export function builtinWorkflow(task: string, config: FuguConfig, conductorMayReview: boolean, kind: TaskKind = classifyTask(task)): Workflow {
  const pool = config.workers;
  if (pool.length === 0) throw new Error('No workers are configured; add at least one to fugu.workers.');
  const maxSteps = Math.max(1, config.maxSteps || DEFAULT_MAX_STEPS);
  const roles = poolRoles(pool);
  const wf: Workflow = { model_id: [], subtasks: [], access_list: [] };

  if (kind === 'question') {
    step(wf, roles.answerer, answerSubtask(), []);
  } else if (kind === 'general') {
    const analysts = roles.planners.filter((p) => p !== roles.answerer).slice(0, maxSteps - 1);
    for (const p of analysts) step(wf, p, analysisSubtask(), []);
    step(wf, roles.answerer, synthesisSubtask(analysts.length > 0), analysts.length ? ['all'] : []);
  } else {
    // planners (parallel) -> coder -> [reviewer -> conductor]; the review only makes sense when
    // the conductor step can act on it, and must leave room for the coder.
    const review = roles.reviewer !== null && conductorMayReview && maxSteps >= 3;
    const planners = roles.planners.slice(0, Math.max(0, maxSteps - 1 - (review ? 2 : 0)));
    for (const p of planners) step(wf, p, planSubtask(planners.length), []);
    step(wf, roles.coder, codeSubtask(planners.length > 0), planners.length ? ['all'] : []);
    if (review) {
      step(wf, roles.reviewer!, reviewSubtask(), ['all']);
      step(wf, conductorModelId(pool.length), conductorSubtask(), ['all']);
    }
  }
  // A bug here must never reach the executor as an unvalidated workflow.
  const check = validateWorkflow(wf, { poolSize: pool.length, maxSteps, allowConductorStep: conductorMayReview });
  if (!check.ok) throw new Error(`The builtin policy wrote an invalid workflow: ${check.error}`);
  return wf;
}

/**
 * The builtin conductor's review of a round: accept unless the step before it ended with
 * "VERDICT: FAIL"; then the coder of the reviewed answer gets one corrective step (plus a new
 * review and conductor step while the recursion depth allows).
 */
export function builtinRecurse(input: RecursionInput): PolicyPlan {
  const record = emptyRecord('builtin');
  const last = input.previous[input.previous.length - 1];
  const accept: Workflow = { model_id: [], subtasks: [], access_list: [] };
  if (!last) return { workflow: accept, record };
  const conductorStep = last.model_id.length - 1;
  const verdict = parseVerdict(input.lastResponse);
  const codeStep = conductorStep - 2;
  if (codeStep < 0) return { workflow: accept, record };
  // A review without a verdict cannot fail the code; the code, not the review, is the result.
  if (verdict === null || verdict === 'PASS') return { workflow: accept, record, resultStep: codeStep };

  const coder = last.model_id[codeStep];
  const code = input.outputs[codeStep] ?? '';
  const wf: Workflow = { model_id: [], subtasks: [], access_list: [] };
  step(wf, coder, correctiveSubtask(input.lastResponse, code), []);
  const pool = input.config.workers;
  const roles = poolRoles(pool);
  const maxSteps = Math.max(1, input.config.maxSteps || DEFAULT_MAX_STEPS);
  const moreDepth = input.conductorMayReview && input.previous.length < input.config.maxRecursion;
  if (moreDepth && roles.reviewer !== null && roles.reviewer !== coder && maxSteps >= 3) {
    step(wf, roles.reviewer, reviewSubtask(), ['all']);
    step(wf, conductorModelId(pool.length), conductorSubtask(), ['all']);
  }
  return { workflow: wf, record };
}

/** The one worker that answers a direct request: a compaction or summary needs the coder's window; a title or short question the answerer. */
export function directWorker(kind: DirectKind, workers: WorkerConfig[]): number {
  const roles = poolRoles(workers);
  return kind === 'compaction' || kind === 'summary' ? roles.coder : roles.answerer;
}

function directSubtask(d: DirectRequest): string {
  if (d.kind === 'question') return answerSubtask();
  return `Do exactly what the request in the task asks (${d.reason}), in the form it asks for, using the instructions and the earlier conversation given with it. Call no tools.`;
}

/**
 * A one-step plan for a request that needs no orchestration (a client's compaction, summary or title
 * prompt, a short first question), or null. `record.direct` says why, for the trace.
 */
export function directPlan(input: PolicyInput, backend: string): PolicyPlan | null {
  const d = input.request && !input.coding ? directRequest(input.request) : null;
  if (!d) return null;
  const workflow: Workflow = { model_id: [directWorker(d.kind, input.config.workers)], subtasks: [directSubtask(d)], access_list: [[]] };
  return { workflow, record: { ...emptyRecord(backend), direct: `${d.kind}: ${d.reason}` } };
}

export function createBuiltinPolicy(): Policy {
  return {
    name: 'builtin',
    async plan(input: PolicyInput): Promise<PolicyPlan> {
      const direct = directPlan(input, 'builtin');
      if (direct) return direct;
      return { workflow: builtinWorkflow(input.task, input.config, input.conductorMayReview, taskKindOf(input)), record: emptyRecord('builtin') };
    },
    async recurse(input: RecursionInput): Promise<PolicyPlan> {
      return builtinRecurse(input);
    },
  };
}
