// Checks a parsed workflow against the pool and the limits. Every problem names its list and position.

import { conductorModelId, isConductorModel } from './conductorStep';
import type { Workflow, WorkflowCheck, WorkflowLimits } from './types';

export const DEFAULT_MAX_STEPS = 5;

export function validateWorkflow(wf: Workflow, limits: WorkflowLimits): WorkflowCheck {
  const maxSteps = limits.maxSteps ?? DEFAULT_MAX_STEPS;
  const { poolSize } = limits;
  const conductorStep = limits.allowConductorStep ?? false;
  const n = wf.model_id.length;

  if (n !== wf.subtasks.length || n !== wf.access_list.length) {
    return fail([
      `The three lists must have the same length, but model_id has ${n} entries, ` +
        `subtasks has ${wf.subtasks.length} and access_list has ${wf.access_list.length}.`,
    ]);
  }
  if (n === 0) {
    if (limits.allowAccept) return { ok: true, accept: true };
    return fail(['The three lists are empty; a workflow needs at least one step (empty lists only accept an earlier result when reviewing it).']);
  }
  if (n > maxSteps) {
    return fail([`The workflow has ${n} steps, but at most ${maxSteps} are allowed.`]);
  }

  const errors: string[] = [];
  const highest = conductorStep ? conductorModelId(poolSize) : poolSize - 1;
  const range =
    poolSize === 0 && !conductorStep
      ? 'the pool is empty'
      : `valid model numbers are 0 to ${highest}${conductorStep ? ` (${poolSize} is yourself, the conductor)` : ''}`;
  for (let i = 0; i < n; i++) {
    const id = wf.model_id[i];
    if (!Number.isInteger(id) || id < 0 || id > highest) {
      errors.push(`model_id[${i}] is ${id}, but ${range}.`);
    } else if (conductorStep && isConductorModel(id, poolSize)) {
      if (i !== n - 1) errors.push(`model_id[${i}] is ${id} (the conductor itself), which may only be the last step.`);
      else if (n === 1) errors.push(`model_id[0] is ${id} (the conductor itself), which needs at least one earlier step to review.`);
    }
  }
  for (let i = 0; i < n; i++) {
    const s = wf.subtasks[i];
    if (typeof s !== 'string' || s.trim() === '') errors.push(`subtasks[${i}] is empty; every step needs an instruction.`);
  }
  for (let i = 0; i < n; i++) {
    const entry = wf.access_list[i];
    const seen = new Set<number | 'all'>();
    for (const a of entry) {
      if (a === 'all') {
        if (entry.length > 1) {
          errors.push(`access_list[${i}] mixes "all" with other entries; use ["all"] alone.`);
          break;
        }
      } else if (!Number.isInteger(a) || a < 0) {
        errors.push(`access_list[${i}] contains ${a}, which is not a step number.`);
      } else if (a >= i) {
        errors.push(`access_list[${i}] refers to step ${a}, which is not earlier than step ${i}.`);
      } else if (seen.has(a)) {
        errors.push(`access_list[${i}] lists step ${a} twice.`);
      }
      seen.add(a);
    }
  }
  return errors.length ? fail(errors) : { ok: true, accept: false };
}

function fail(errors: string[]): WorkflowCheck {
  return { ok: false, errors, error: errors.join(' ') };
}

/** The access list resolved to the indices of the earlier steps a step sees. */
export function visibleSteps(wf: Workflow, step: number): number[] {
  const entry = wf.access_list[step] ?? [];
  if (entry.includes('all')) return Array.from({ length: step }, (_, i) => i);
  return (entry as number[]).filter((a) => a < step).sort((a, b) => a - b);
}
