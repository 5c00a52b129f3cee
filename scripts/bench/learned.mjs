// The `learned` section: the learned policy in a simulator with ground truth (src/core/policies/
// learned/simulate.ts), each figure the median of 20 seeds, and its speed with 10,000 outcomes.
//
//   node scripts/bench/learned.mjs        (or: node scripts/bench.mjs --only learned --no-vsix)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { isMain, loadBundled } from './bundle.mjs';
import { median } from './stats.mjs';

const SEEDS = 20;

export async function measureLearned({ seeds = SEEDS } = {}) {
  const api = await loadBundled('scripts/bench/learnedApi.ts');
  const runs = (world) => Array.from({ length: seeds }, (_, i) => api.simulate(api.makeWorld(world), i + 1));
  const specialists = runs('specialists');
  const dominant = runs('dominant');

  // Speed: a log of 10,000 outcomes of the simulated pool, refit as a process start does, then picks.
  const world = api.makeWorld('specialists');
  const dir = mkdtempSync(join(os.tmpdir(), 'fugu-bench-learned-'));
  try {
    const log = join(dir, 'outcomes.jsonl');
    const random = api.seededRandom(99);
    const set = api.candidatesFor(world.config, 'coding', true);
    const signals = (i) => ({
      request: `fix the ${['parser', 'cache', 'retry', 'flag'][i % 4]} bug in ${['python', 'node', 'go'][i % 3]} module ${i % 17}`,
      kind: 'coding',
      contextPaths: [`src/m${i % 5}.${['py', 'js', 'go'][i % 3]}`],
      contextChars: 500 * (1 + (i % 9)),
      check: 'exists',
    });
    const outcomes = Array.from({ length: 10_000 }, (_, i) => ({
      f: api.taskFeatures(signals(i)),
      c: set.candidates[Math.floor(random() * set.candidates.length)].label,
      r: random() < 0.6 ? 1 : 0,
      cost: 0.01 + random() * 0.05,
      ms: 2000 + random() * 20_000,
    }));
    await api.appendOutcomes(log, outcomes);
    const fits = [];
    let model;
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      model = await new api.OutcomeStore(log).model(world.config);
      fits.push(performance.now() - t0);
    }
    if (model.count !== 10_000) throw new Error(`the model was fitted on ${model.count} outcomes, not 10,000`);
    const picks = [];
    for (let round = 0; round < 5; round++) {
      const t0 = performance.now();
      const n = 500;
      for (let i = 0; i < n; i++) {
        api.learnedChoice({ task: signals(i).request, coding: true, signals: { contextPaths: signals(i).contextPaths, contextChars: signals(i).contextChars, check: true }, config: world.config, conductorMayReview: true }, model, random);
      }
      picks.push((performance.now() - t0) / n);
    }
    return {
      learned_regret_ratio_300: median(specialists.map((r) => r.regretRatio)),
      learned_pass_vs_oracle_last100: median(specialists.map((r) => r.passVsOracleLast100)),
      learned_cost_vs_best_fixed: median(specialists.map((r) => r.costVsBestFixed)),
      learned_cost_vs_oracle: median(specialists.map((r) => r.costVsOracle)),
      learned_oracle_cost_vs_best_fixed: median(specialists.map((r) => r.oracleCostVsBestFixed)),
      learned_loss_vs_best_fixed: median(dominant.map((r) => r.lossVsBestFixedPoints)),
      learned_pick_ms: median(picks),
      learned_fit_ms: median(fits),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await measureLearned(), null, 2)}\n`);
}
