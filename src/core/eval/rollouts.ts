// Rollouts: what a conductor was asked, what it answered, and the paper's reward, one JSON line each,
// in the prompt/completion layout that TRL's GRPO and SFT trainers read.
import type { FuguConfig } from '../config';
import { taskKindOf } from '../policies/classifyTask';
import { conductorSystemPrompt, conductorTaskMessage, listsText } from '../policies/conductorPrompt';
import type { TraceDocument } from '../trace/types';
import { parseWorkflow } from '../workflow/parseWorkflow';
import { validateWorkflow } from '../workflow/validateWorkflow';

export interface Rollout {
  prompt: { role: 'system' | 'user'; content: string }[];
  /** One assistant message: TRL's conversational prompt-completion layout. */
  completion: { role: 'assistant'; content: string }[];
  reward: number;
  task: string;
  arm: string;
}

/** 1: the lists parsed (and are valid) and the task passed; 0.5: parsed but failed; 0: unparsable. */
export function rolloutReward(completion: string, passed: boolean, config: FuguConfig): number {
  const parsed = parseWorkflow(completion);
  if (!parsed.ok) return 0;
  const valid = validateWorkflow(parsed.workflow, { poolSize: config.workers.length, maxSteps: config.maxSteps, allowConductorStep: config.maxRecursion > 0 });
  if (!valid.ok) return 0;
  return passed ? 1 : 0.5;
}

/**
 * The rollout of a policy arm's first plan, or null when there is none to learn from (hosted Fugu is
 * opaque; a conductor that never answered wrote nothing). `policyTask` is the task as the policy got
 * it (the user's words and the context files), so the prompt is exactly what a conductor is sent.
 */
export function rolloutOf(trace: TraceDocument, policyTask: string, coding: boolean, passed: boolean, config: FuguConfig, taskId: string, arm: string): Rollout | null {
  const round = trace.rounds[0];
  if (!round) return null;
  let completion: string;
  if (round.policy.backend === 'builtin') completion = listsText(round.workflow);
  else if (round.policy.backend === 'conductor' && round.policy.rawAnswers.length > 0) completion = round.policy.rawAnswers[0];
  else return null;
  const task = policyTask;
  const system = conductorSystemPrompt({ task, config, conductorMayReview: config.maxRecursion > 0, kind: taskKindOf({ task, coding }) });
  return {
    prompt: [
      { role: 'system', content: system },
      { role: 'user', content: conductorTaskMessage(task) },
    ],
    completion: [{ role: 'assistant', content: completion }],
    reward: rolloutReward(completion, passed, config),
    task: taskId,
    arm,
  };
}
