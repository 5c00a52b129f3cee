// The workflows the learned policy chooses among: a small family built from the pool's roles, with
// the builtin policy's pick always one of them. Labels name workers by id and are stable, so the
// outcomes recorded under a label keep meaning the same workflow while the pool keeps that worker.
import type { FuguConfig, WorkerConfig } from '../../config';
import { lookupPrice } from '../../pricing';
import { conductorModelId } from '../../workflow/conductorStep';
import type { Workflow } from '../../workflow/types';
import { DEFAULT_MAX_STEPS } from '../../workflow/validateWorkflow';
import { builtinWorkflow, poolRoles } from '../builtin';
import { analysisSubtask, answerSubtask, codeSubtask, conductorSubtask, planSubtask, reviewSubtask, synthesisSubtask } from '../builtinSubtasks';
import type { TaskKind } from '../classifyTask';

/** Most candidates for one task: the model's cost grows with it, and so does the exploration. */
export const MAX_CANDIDATES = 24;

export interface Candidate {
  /** Stable name, e.g. `planned(gemini,claude→gpt)+review(claude)`; the key of its outcomes. */
  label: string;
  workflow: Workflow;
}

export interface CandidateSet {
  candidates: Candidate[];
  /** Index of the builtin policy's pick in `candidates` (always present). */
  builtin: number;
}

/** The candidates for a task of this kind; the builtin pick first among equals, at most MAX_CANDIDATES. */
export function candidatesFor(config: FuguConfig, kind: TaskKind, conductorMayReview: boolean): CandidateSet {
  const pool = config.workers;
  const pick = builtinWorkflow('', config, conductorMayReview, kind);
  const builtin: Candidate = { label: labelOf(pick, pool, kind), workflow: pick };
  const out: Candidate[] = [builtin];
  const seen = new Set([builtin.label]);
  const maxSteps = Math.max(1, config.maxSteps || DEFAULT_MAX_STEPS);
  for (const wf of kind === 'coding' ? codingFamily(pool, conductorMayReview) : textFamily(pool)) {
    if (out.length >= MAX_CANDIDATES) break;
    if (wf.model_id.length > maxSteps) continue;
    const label = labelOf(wf, pool, kind);
    if (seen.has(label)) continue;
    seen.add(label);
    out.push({ label, workflow: wf });
  }
  return { candidates: out, builtin: 0 };
}

/** Workers that may write the final code: role `coder` or `any` (the builtin's fallback when none is). */
export function coderIndices(pool: WorkerConfig[]): number[] {
  const coders = pool.flatMap((w, i) => (w.role === 'coder' || w.role === 'any' ? [i] : []));
  return coders.length ? coders : [poolRoles(pool).coder];
}

function* codingFamily(pool: WorkerConfig[], conductorMayReview: boolean): Generator<Workflow> {
  const planners = poolRoles(pool).planners;
  for (const c of coderIndices(pool)) {
    yield coding([], c, null, pool.length);
    if (planners.length === 0) continue;
    yield coding(planners, c, null, pool.length);
    if (planners.length > 1) for (const p of planners) yield coding([p], c, null, pool.length);
    const reviewer = pool.findIndex((w, i) => w.role === 'reviewer' && i !== c);
    if (conductorMayReview && reviewer !== -1) yield coding(planners, c, reviewer, pool.length);
  }
}

function coding(planners: number[], coder: number, reviewer: number | null, poolSize: number): Workflow {
  const wf: Workflow = { model_id: [], subtasks: [], access_list: [] };
  for (const p of planners) push(wf, p, planSubtask(planners.length), []);
  push(wf, coder, codeSubtask(planners.length > 0), planners.length ? ['all'] : []);
  if (reviewer !== null) {
    push(wf, reviewer, reviewSubtask(), ['all']);
    push(wf, conductorModelId(poolSize), conductorSubtask(), ['all']);
  }
  return wf;
}

function* textFamily(pool: WorkerConfig[]): Generator<Workflow> {
  const roles = poolRoles(pool);
  const answerers = [...new Set([roles.answerer, ...coderIndices(pool)])];
  for (const a of answerers) {
    const one: Workflow = { model_id: [], subtasks: [], access_list: [] };
    push(one, a, answerSubtask(), []);
    yield one;
    const analysts = roles.planners.filter((p) => p !== a);
    if (analysts.length === 0) continue;
    const wf: Workflow = { model_id: [], subtasks: [], access_list: [] };
    for (const p of analysts) push(wf, p, analysisSubtask(), []);
    push(wf, a, synthesisSubtask(true), ['all']);
    yield wf;
  }
}

function push(wf: Workflow, model: number, subtask: string, access: Workflow['access_list'][number]): void {
  wf.model_id.push(model);
  wf.subtasks.push(subtask);
  wf.access_list.push(access);
}

/**
 * A workflow's label from its shape: the steps before the answering one are planners (coding) or
 * analysts (text); a trailing conductor step makes the step before it the review.
 */
export function labelOf(wf: Workflow, pool: WorkerConfig[], kind: TaskKind): string {
  const id = (i: number) => pool[i]?.id ?? `#${i}`;
  let end = wf.model_id.length;
  let review = '';
  if (end >= 3 && wf.model_id[end - 1] === conductorModelId(pool.length)) {
    review = `+review(${id(wf.model_id[end - 2])})`;
    end -= 2;
  }
  const last = id(wf.model_id[end - 1]);
  const before = wf.model_id.slice(0, end - 1).map(id).join(',');
  if (kind === 'coding') return `${before ? `planned(${before}→${last})` : `single(${last})`}${review}`;
  return `${before ? `synthesis(${before}→${last})` : `answer(${last})`}${review}`;
}

/** The workers a candidate calls, in step order (the conductor step is the policy's, not a worker's). */
export function workersOf(wf: Workflow, pool: WorkerConfig[]): WorkerConfig[] {
  return wf.model_id.flatMap((m) => (pool[m] ? [pool[m]] : []));
}

/**
 * What a candidate costs relative to the others, before any outcome: the sum of its workers'
 * prices (USD per million input + output tokens), and its number of model calls.
 */
export function candidateWeights(wf: Workflow, config: Pick<FuguConfig, 'workers' | 'prices'>): { price: number; calls: number } {
  const workers = workersOf(wf, config.workers);
  const price = workers.reduce((sum, w) => {
    const p = lookupPrice(w.model, { workerPrice: w.price, prices: config.prices }).price;
    return sum + p.input + p.output;
  }, 0);
  return { price, calls: workers.length };
}

/** The same from a label alone (an outcome recorded under it), for workers still in the pool. */
export function labelWeights(label: string, config: Pick<FuguConfig, 'workers' | 'prices'>): { price: number; calls: number } {
  const ids = [...label.matchAll(/\(([^)]*)\)/g)].flatMap((m) => m[1].split(/[,→]/));
  const byId = new Map(config.workers.map((w) => [w.id, w]));
  let price = 0;
  for (const id of ids) {
    const w = byId.get(id);
    if (!w) continue;
    const p = lookupPrice(w.model, { workerPrice: w.price, prices: config.prices }).price;
    price += p.input + p.output;
  }
  return { price, calls: ids.length };
}

/** Every candidate label of this pool for these kinds of task (all kinds by default), in candidate order. */
export function candidateLabels(config: FuguConfig, kinds: readonly TaskKind[] = ['coding', 'question', 'general']): string[] {
  return [...new Set(kinds.flatMap((kind) => candidatesFor(config, kind, config.maxRecursion > 0).candidates.map((c) => c.label)))];
}

/** The labels the builtin policy picks in this pool, for any kind of task. */
export function builtinLabels(config: FuguConfig): Set<string> {
  const kinds: TaskKind[] = ['coding', 'question', 'general'];
  return new Set(kinds.map((kind) => {
    const set = candidatesFor(config, kind, config.maxRecursion > 0);
    return set.candidates[set.builtin].label;
  }));
}
