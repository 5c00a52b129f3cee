// Sakana's hosted Fugu: it orchestrates on its side, so the whole task goes out as one
// OpenAI-compatible call, shown in the trace as one step on an extra worker.

import type { FuguConfig, WorkerConfig } from '../config';
import { EDIT_FORMAT_INSTRUCTIONS } from '../edits/editFormat';
import { emptyRecord } from './builtin';
import { classifyTask, taskKindOf, type TaskKind } from './classifyTask';
import type { Policy, PolicyInput, PolicyPlan } from './types';

export const FUGU_BASE_URL = 'https://api.sakana.ai/v1';
export const FUGU_MODEL = 'fugu';
export const FUGU_KEY_ENV = 'FUGU_API_KEY';

/** Hosted Fugu can think for minutes before its first byte. */
export const FUGU_TIMEOUT_MS = 600_000;

/** The variable holding the hosted Fugu key: the policy's own `apiKeyEnv`, else FUGU_API_KEY. */
export function fuguKeyEnv(policy: { apiKeyEnv?: string }): string {
  return policy.apiKeyEnv ?? FUGU_KEY_ENV;
}

export function fuguWorkerConfig(config: FuguConfig): WorkerConfig {
  const { baseUrl, model } = config.policy;
  return {
    id: 'fugu',
    provider: 'openai-compatible',
    baseUrl: baseUrl ?? FUGU_BASE_URL,
    model: model ?? FUGU_MODEL,
    apiKeyEnv: fuguKeyEnv(config.policy),
    role: 'any',
    description: 'hosted multi-model orchestration',
    // Hosted Fugu may send nothing until its whole orchestration is done.
    timeoutMs: Math.max(config.timeoutMs, FUGU_TIMEOUT_MS),
  };
}

export function fuguSubtask(task: string, kind: TaskKind = classifyTask(task)): string {
  if (kind !== 'coding') return 'Complete the task above. Give the final answer directly, with the conclusion first.';
  return `Complete the task above. Before the edits, write at most five lines on what you changed. Then output every change as edit blocks.\n\n${EDIT_FORMAT_INSTRUCTIONS}`;
}

export function createFuguPolicy(): Policy {
  return {
    name: 'fugu',
    async plan(input: PolicyInput): Promise<PolicyPlan> {
      const fugu = fuguWorkerConfig(input.config);
      return {
        // The extra worker's id follows the pool's.
        workflow: { model_id: [input.config.workers.length], subtasks: [fuguSubtask(input.task, taskKindOf(input))], access_list: [[]] },
        record: emptyRecord('fugu'),
        extraWorkers: [fugu],
      };
    },
    // Fugu never names a conductor step, so there is nothing to review.
    async recurse(): Promise<PolicyPlan> {
      return { workflow: { model_id: [], subtasks: [], access_list: [] }, record: emptyRecord('fugu') };
    },
  };
}
