// The paper's convention, decoded here and nowhere else: in a workflow over a pool of N workers,
// model number N is the conductor itself, allowed only as the last step (it reviews the round and
// may order a correction). The round's answer is then the step before it; otherwise the last step.
import type { Workflow } from './types';

/** The model number that names the conductor's own step, for a pool of `poolSize` workers. */
export function conductorModelId(poolSize: number): number {
  return poolSize;
}

export function isConductorModel(modelId: number, poolSize: number): boolean {
  return modelId === poolSize;
}

/** True when the workflow's last step is the conductor's review. */
export function endsWithConductor(wf: Workflow, poolSize: number): boolean {
  const n = wf.model_id.length;
  return n > 0 && isConductorModel(wf.model_id[n - 1], poolSize);
}

/** Which step holds the round's answer: the last worker step (-1 for an empty workflow). */
export function answerStep(wf: Workflow, poolSize: number): number {
  const last = wf.model_id.length - 1;
  return endsWithConductor(wf, poolSize) ? last - 1 : last;
}

/** The conductor's step as the trace records it (it has no worker of its own). */
export const CONDUCTOR = 'conductor';

/** True for the trace step that stands for the conductor's review. */
export function isConductorTraceStep(step: { provider: string }): boolean {
  return step.provider === CONDUCTOR;
}
