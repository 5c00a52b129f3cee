// A policy that plays back one conductor answer (a completion a trainer sampled): its workflow is run
// as written (its answering step told the edit format, as the conductor backend does), and a review
// step it names accepts. `fugu reward` scores sampled workflows with it.
import { taskKindOf } from '../policies/classifyTask';
import { withEditFormat } from '../policies/conductor';
import type { Policy, PolicyPlan } from '../policies/types';
import type { Workflow } from '../workflow/types';

export function sampledPolicy(workflow: Workflow): Policy {
  // No raw answers: the sample was written (and paid for) by the trainer, not by a call of this run.
  const record = () => ({ backend: 'sampled', rawAnswers: [], rejections: [], fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 });
  return {
    name: 'sampled',
    async plan(input): Promise<PolicyPlan> {
      return { workflow: withEditFormat(workflow, taskKindOf(input), input.config.workers.length), record: record() };
    },
    async recurse(): Promise<PolicyPlan> {
      return { workflow: { model_id: [], subtasks: [], access_list: [] }, record: record() };
    },
  };
}
