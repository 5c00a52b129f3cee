// A policy that always runs one of the learned policy's candidates, named by its label: the
// `workflow:<candidate>` arm of `fugu eval`, so a suite can run every candidate on every task and
// `fugu learn --from` gets full information. Corrective rounds are builtin's, as for `learned`.
import { builtinRecurse, emptyRecord } from '../builtin';
import { taskKindOf } from '../classifyTask';
import type { Policy, PolicyInput, PolicyPlan, RecursionInput } from '../types';
import { candidatesFor } from './candidates';

export function candidatePolicy(label: string): Policy {
  return {
    name: `workflow:${label}`,
    async plan(input: PolicyInput): Promise<PolicyPlan> {
      const kind = taskKindOf(input);
      const set = candidatesFor(input.config, kind, input.conductorMayReview);
      const found = set.candidates.find((c) => c.label === label);
      if (!found) {
        throw new Error(`The workflow "${label}" is not a candidate for a ${kind} task in this pool (${set.candidates.map((c) => c.label).join(', ')}).`);
      }
      const wf = found.workflow;
      return {
        workflow: { model_id: [...wf.model_id], subtasks: [...wf.subtasks], access_list: wf.access_list.map((a) => [...a]) },
        record: emptyRecord(`workflow:${label}`),
      };
    },
    async recurse(input: RecursionInput): Promise<PolicyPlan> {
      const plan = builtinRecurse(input);
      return { ...plan, record: { ...plan.record, backend: `workflow:${label}` } };
    },
  };
}
