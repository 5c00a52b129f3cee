// The `learned` backend: builds the candidates for the task, reads its features, and lets the model
// fitted on the user's outcomes choose. With no outcome it picks exactly what builtin picks; its
// corrective rounds are builtin's (the review-and-correct logic does not depend on who planned).
import { LEARNED_DEFAULTS } from '../../config';
import { builtinRecurse, directPlan, emptyRecord } from '../builtin';
import { taskKindOf, userWords } from '../classifyTask';
import type { Policy, PolicyInput, PolicyPlan, RecursionInput } from '../types';
import { candidateWeights, candidatesFor } from './candidates';
import { taskFeatures, type Features } from './features';
import { LearnedModel, choose, type Choice } from './model';
import type { LearnedRecord } from '../../trace/types';
import type { CandidateSet } from './candidates';

/** The features of a policy input: its words, kind, context files and whether a check runs. */
export function inputFeatures(input: Pick<PolicyInput, 'task' | 'coding' | 'signals'>): Features {
  const kind = taskKindOf(input);
  const s = input.signals;
  return taskFeatures({
    request: userWords(input.task),
    kind,
    contextPaths: s?.contextPaths ?? [],
    contextChars: s?.contextChars ?? 0,
    check: s?.check ? 'exists' : 'none',
  });
}

/** The learned choice for a task, and the record the trace keeps of it. */
export function learnedChoice(
  input: Pick<PolicyInput, 'task' | 'coding' | 'signals' | 'config' | 'conductorMayReview'>,
  model: LearnedModel,
  random: () => number = Math.random,
): { set: CandidateSet; choice: Choice; record: LearnedRecord } {
  const { config } = input;
  const set = candidatesFor(config, taskKindOf(input), input.conductorMayReview);
  const features = inputFeatures(input);
  const weights = new Map(set.candidates.map((c) => [c, candidateWeights(c.workflow, config)]));
  const choice = choose(model, set, features, { ...LEARNED_DEFAULTS, ...config.policy.learned, random, weights: (c) => weights.get(c)! });
  const order = choice.estimates.map((e, i) => ({ e, i })).sort((a, b) => b.e.score - a.e.score || a.i - b.i);
  return {
    set,
    choice,
    record: {
      pick: set.candidates[choice.index].label,
      builtin: set.candidates[set.builtin].label,
      explored: choice.explored,
      outcomes: model.count,
      features,
      candidates: order.map(({ e }) => e),
    },
  };
}

export function createLearnedPolicy(random: () => number = Math.random): Policy {
  return {
    name: 'learned',
    async plan(input: PolicyInput): Promise<PolicyPlan> {
      // A client's housekeeping (compaction, a title) or a short first question: one worker, no choice to learn.
      const direct = directPlan(input, 'learned');
      if (direct) return direct;
      const model = input.outcomes ? await input.outcomes.model(input.config) : new LearnedModel();
      const { set, choice, record } = learnedChoice(input, model, random);
      const wf = set.candidates[choice.index].workflow;
      return {
        workflow: { model_id: [...wf.model_id], subtasks: [...wf.subtasks], access_list: wf.access_list.map((a) => [...a]) },
        record: { ...emptyRecord('learned'), learned: record },
      };
    },
    async recurse(input: RecursionInput): Promise<PolicyPlan> {
      const plan = builtinRecurse(input);
      return { ...plan, record: { ...plan.record, backend: 'learned' } };
    },
  };
}
