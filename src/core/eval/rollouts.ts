// Rollouts: what a conductor was asked, what it answered, and the paper's reward, one JSON line each,
// in the prompt/completion layout that TRL's trainers read (SFT; KTO through `label`), and DPO pairs
// (a passing and a failing completion for the same prompt).
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
  /** KTO's desirable/undesirable mark: true when the workflow parsed and the task passed (reward 1). */
  label: boolean;
  task: string;
  arm: string;
}

/** TRL's conversational preference layout. */
export interface DpoPair {
  prompt: Rollout['prompt'];
  chosen: Rollout['completion'];
  rejected: Rollout['completion'];
  task: string;
  arms: [string, string];
}

/**
 * Pairs of a passing (reward 1) and a failing completion written for the same prompt, from sampling
 * arms only: the builtin policy writes one fixed workflow per task, and pairing against it teaches a
 * model to copy it. Each failing completion is paired once, with the passing ones in turn.
 */
export function dpoPairs(rollouts: Rollout[]): DpoPair[] {
  const groups = new Map<string, Rollout[]>();
  for (const r of rollouts) {
    if (r.arm === 'builtin' || !Array.isArray(r.prompt) || !Array.isArray(r.completion)) continue;
    const k = JSON.stringify([r.task, r.prompt]);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const pairs: DpoPair[] = [];
  for (const rs of groups.values()) {
    const good = rs.filter((r) => r.reward === 1);
    const text = (r: Rollout) => r.completion[0]?.content ?? '';
    const bad = rs.filter((r) => r.reward < 1 && !good.some((g) => text(g) === text(r)));
    bad.forEach((b, i) => {
      const g = good[i % Math.max(1, good.length)];
      if (g) pairs.push({ prompt: g.prompt, chosen: g.completion, rejected: b.completion, task: g.task, arms: [g.arm, b.arm] });
    });
  }
  return pairs;
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
  const reward = rolloutReward(completion, passed, config);
  const system = conductorSystemPrompt({ task, config, conductorMayReview: config.maxRecursion > 0, kind: taskKindOf({ task, coding }) });
  return {
    prompt: [
      { role: 'system', content: system },
      { role: 'user', content: conductorTaskMessage(task) },
    ],
    completion: [{ role: 'assistant', content: completion }],
    reward,
    label: reward === 1,
    task: taskId,
    arm,
  };
}
