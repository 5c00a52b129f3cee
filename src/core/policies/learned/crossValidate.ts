// Honest evaluation on a user's own results: K-fold cross-validation by task. For each fold the model
// is fitted on the other folds' outcomes and picks (greedily) on the held-out tasks; since every arm
// ran on every task, the pick's own result says whether it passed and what it cost.
import type { FuguConfig } from '../../config';
import { builtinLabels, labelWeights } from './candidates';
import { fnv1a } from './features';
import { BUILTIN_PRIOR_LOGIT, choose, fitModel, type Outcome } from './model';

export interface TaskOutcomes {
  task: string;
  /** One outcome per candidate that ran on the task (the same features). */
  outcomes: Outcome[];
}

export interface CvRow {
  name: string;
  /** Tasks it was scored on (a fixed candidate: the tasks it ran on). */
  tasks: number;
  passRate: number;
  costUsd: number;
}

/** The learned policy, each fixed candidate and the oracle (some candidate passed), scored per task. */
export function crossValidate(byTask: TaskOutcomes[], folds: number, config: FuguConfig): CvRow[] {
  const k = Math.max(2, Math.min(folds, byTask.length));
  const foldOf = (task: string) => fnv1a(task) % k;
  const weights = new Map<string, { price: number; calls: number }>();
  const weightsOf = (label: string) => weights.get(label) ?? weights.set(label, labelWeights(label, config)).get(label)!;
  const builtin = builtinLabels(config);
  const priorMean = (label: string) => (builtin.has(label) ? BUILTIN_PRIOR_LOGIT : 0);
  const learned = { pass: 0, cost: 0, tasks: 0 };
  for (let fold = 0; fold < k; fold++) {
    const model = fitModel(byTask.filter((t) => foldOf(t.task) !== fold).flatMap((t) => t.outcomes), weightsOf, priorMean);
    for (const t of byTask.filter((x) => foldOf(x.task) === fold)) {
      if (t.outcomes.length === 0) continue;
      const candidates = t.outcomes.map((o) => ({ label: o.c, workflow: { model_id: [], subtasks: [], access_list: [] } }));
      const b = Math.max(0, candidates.findIndex((c) => builtin.has(c.label)));
      const pick = choose(model, { candidates, builtin: b }, t.outcomes[0].f, { ...config.policy.learned, explore: 0, costWeight: config.policy.learned?.costWeight ?? 1, random: () => 0.5, weights: (c) => weightsOf(c.label) });
      learned.pass += t.outcomes[pick.index].r;
      learned.cost += t.outcomes[pick.index].cost;
      learned.tasks++;
    }
  }
  const rows: CvRow[] = [{ name: 'learned', tasks: learned.tasks, passRate: learned.pass / Math.max(1, learned.tasks), costUsd: learned.cost }];
  const labels = [...new Set(byTask.flatMap((t) => t.outcomes.map((o) => o.c)))];
  for (const label of labels) {
    const ran = byTask.flatMap((t) => t.outcomes.filter((o) => o.c === label));
    rows.push({ name: builtin.has(label) ? `${label} (builtin)` : label, tasks: ran.length, passRate: ran.reduce((s, o) => s + o.r, 0) / Math.max(1, ran.length), costUsd: ran.reduce((s, o) => s + o.cost, 0) });
  }
  const scored = byTask.filter((t) => t.outcomes.length);
  rows.push({ name: 'oracle', tasks: scored.length, passRate: scored.filter((t) => t.outcomes.some((o) => o.r >= 1)).length / Math.max(1, scored.length), costUsd: 0 });
  return rows;
}

/** Outcomes grouped by task, one per candidate (repeats averaged: a task is the unit, not an attempt). */
export function groupByTask(outcomes: Outcome[], tasks: string[]): TaskOutcomes[] {
  const m = new Map<string, Map<string, Outcome[]>>();
  outcomes.forEach((o, i) => {
    const byLabel = m.get(tasks[i]) ?? m.set(tasks[i], new Map()).get(tasks[i])!;
    byLabel.set(o.c, [...(byLabel.get(o.c) ?? []), o]);
  });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return [...m].map(([task, byLabel]) => ({
    task,
    outcomes: [...byLabel.values()].map((os) => ({ f: os[0].f, c: os[0].c, r: mean(os.map((o) => o.r)), cost: mean(os.map((o) => o.cost)), ms: mean(os.map((o) => o.ms)) })),
  }));
}
