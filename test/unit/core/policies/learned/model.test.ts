import assert from 'node:assert/strict';
import { candidatesFor } from '../../../../../src/core/policies/learned/candidates';
import { BIAS, WORD_BUCKETS, taskFeatures } from '../../../../../src/core/policies/learned/features';
import { LearnedModel, blocksOf, choose, fitModel, seededRandom, sigmoid, type ChooseOptions, type Outcome } from '../../../../../src/core/policies/learned/model';
import { configWith, standardPool } from '../../../../support/pool';

const A = WORD_BUCKETS + 5;
const B = WORD_BUCKETS + 9;
const options = (random = seededRandom(1), over: Partial<ChooseOptions> = {}): ChooseOptions => ({ explore: 0.1, costWeight: 1, random, weights: () => ({ price: 1, calls: 1 }), ...over });

describe('learned model', () => {
  it('recovers a known logistic truth from its outcomes', () => {
    const truth = (f: number[]) => 0.5 + (f.includes(A) ? 1.5 : 0) - (f.includes(B) ? 2 : 0);
    const random = seededRandom(7);
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 4000; i++) {
      const f = [A, B].filter(() => random() < 0.5).concat(BIAS);
      outcomes.push({ f, c: 'single(x)', r: random() < sigmoid(truth(f)) ? 1 : 0, cost: 0.01, ms: 100 });
    }
    const model = fitModel(outcomes);
    for (const f of [[BIAS], [A, BIAS], [B, BIAS], [A, B, BIAS]]) {
      const { mu, v } = model.logit('single(x)', f);
      const p = sigmoid(mu / Math.sqrt(1 + (Math.PI * v) / 8));
      assert.ok(Math.abs(p - sigmoid(truth(f))) < 0.05, `features ${f}: estimated ${p.toFixed(3)}, truth ${sigmoid(truth(f)).toFixed(3)}`);
    }
    assert.equal(model.outcomesOf('single(x)'), 4000);
    assert.equal(model.outcomesOf('single(y)'), 0);
  });

  it("with no data, the pick is exactly builtin's, whatever the seed and the costs", () => {
    const config = configWith(standardPool());
    const set = candidatesFor(config, 'coding', true);
    const f = taskFeatures({ request: 'fix it', kind: 'coding', contextPaths: [], contextChars: 0, check: 'none' });
    for (let seed = 1; seed <= 20; seed++) {
      const c = choose(new LearnedModel(), set, f, options(seededRandom(seed), { explore: 5, weights: (x) => ({ price: x.workflow.model_id.length, calls: 1 }) }));
      assert.equal(c.index, set.builtin);
      assert.equal(c.noData, true);
      assert.equal(c.explored, false);
      assert.equal(c.estimates.length, set.candidates.length);
    }
  });

  it('learns that one candidate passes where another fails, by a feature, and picks accordingly', () => {
    const config = configWith(standardPool());
    const set = candidatesFor(config, 'coding', false);
    const py = taskFeatures({ request: 'fix the parser', kind: 'coding', contextPaths: ['a.py'], contextChars: 900, check: 'exists' });
    const js = taskFeatures({ request: 'fix the parser', kind: 'coding', contextPaths: ['a.js'], contextChars: 900, check: 'exists' });
    const model = new LearnedModel();
    for (let i = 0; i < 30; i++) {
      model.observe({ f: py, c: 'single(gpt)', r: 0, cost: 0.01, ms: 10 });
      model.observe({ f: py, c: 'planned(gemini→gpt)', r: 1, cost: 0.01, ms: 10 });
      model.observe({ f: js, c: 'single(gpt)', r: 1, cost: 0.01, ms: 10 });
      model.observe({ f: js, c: 'planned(gemini→gpt)', r: 0, cost: 0.01, ms: 10 });
    }
    const greedy = options(seededRandom(1), { explore: 0 });
    assert.equal(set.candidates[choose(model, set, py, greedy).index].label, 'planned(gemini→gpt)');
    assert.equal(set.candidates[choose(model, set, js, greedy).index].label, 'single(gpt)');
  });

  it('fits its first outcomes jointly: the same outcomes in another order, or observed one by one, give nearly the same estimates', () => {
    const py = taskFeatures({ request: 'fix the parser', kind: 'coding', contextPaths: ['a.py'], contextChars: 900, check: 'exists' });
    const js = taskFeatures({ request: 'fix the parser', kind: 'coding', contextPaths: ['a.js'], contextChars: 900, check: 'exists' });
    // The builtin-like workflow fails first; a sibling sharing its coder passes later.
    const outcomes: Outcome[] = [
      ...Array.from({ length: 6 }, (): Outcome => ({ f: py, c: 'planned(gemini→gpt)+review(critic)', r: 0, cost: 0.01, ms: 10 })),
      ...Array.from({ length: 6 }, (_, i): Outcome => ({ f: i % 2 ? js : py, c: 'planned(gemini→gpt)', r: 1, cost: 0.01, ms: 10 })),
      ...Array.from({ length: 6 }, (_, i): Outcome => ({ f: js, c: 'single(gpt)', r: i % 3 ? 1 : 0, cost: 0.01, ms: 10 })),
    ];
    const online = new LearnedModel();
    for (const o of outcomes) online.observe(o);
    const fits = [fitModel(outcomes), fitModel([...outcomes].reverse()), online];
    for (const label of ['planned(gemini→gpt)+review(critic)', 'planned(gemini→gpt)', 'single(gpt)', 'planned(claude→gpt)']) {
      for (const f of [py, js]) {
        const [a, ...others] = fits.map((m) => m.logit(label, f).mu);
        // Each outcome updated once, in order, these differ by over half a logit.
        for (const b of others) assert.ok(Math.abs(a - b) < 0.3, `${label}: ${a.toFixed(3)} against ${b.toFixed(3)}`);
      }
    }
  });

  it('trades pass rate for cost by costWeight', () => {
    const config = configWith(standardPool());
    const all = candidatesFor(config, 'coding', false).candidates;
    const set = { candidates: all.filter((c) => c.label === 'single(gpt)' || c.label === 'planned(gemini,claude→gpt)'), builtin: 0 };
    const f = taskFeatures({ request: 'x', kind: 'coding', contextPaths: [], contextChars: 0, check: 'exists' });
    const model = new LearnedModel();
    for (let i = 0; i < 40; i++) {
      model.observe({ f, c: 'single(gpt)', r: i % 10 < 7 ? 1 : 0, cost: 0.001, ms: 10 });
      model.observe({ f, c: 'planned(gemini,claude→gpt)', r: i % 10 < 8 ? 1 : 0, cost: 0.5, ms: 10 });
    }
    const pick = (costWeight: number) => set.candidates[choose(model, set, f, options(seededRandom(1), { explore: 0, costWeight })).index].label;
    assert.equal(pick(0), 'planned(gemini,claude→gpt)');
    assert.equal(pick(1), 'single(gpt)');
  });

  it('is deterministic under a seeded generator, and explores only when explore > 0', () => {
    const config = configWith(standardPool());
    const set = candidatesFor(config, 'coding', true);
    const model = new LearnedModel();
    const f = taskFeatures({ request: 'add a flag', kind: 'coding', contextPaths: ['m.ts'], contextChars: 400, check: 'exists' });
    for (let i = 0; i < 3; i++) model.observe({ f, c: set.candidates[i].label, r: i % 2, cost: 0.01, ms: 10 });
    const run = (seed: number, explore: number) => Array.from({ length: 40 }, ((random) => () => choose(model, set, f, options(random, { explore })).index)(seededRandom(seed)));
    assert.deepEqual(run(3, 1), run(3, 1));
    assert.notDeepEqual(run(3, 1), run(4, 1), 'another seed, other explorations');
    const greedy = run(3, 0);
    assert.equal(new Set(greedy).size, 1, 'greedy: always the best estimate');
    assert.ok(new Set(run(3, 1)).size > 1, 'sampling the spread explores');
  });

  it('a fractional reward is a target between pass and fail', () => {
    const f = [BIAS];
    const m = new LearnedModel();
    for (let i = 0; i < 400; i++) m.observe({ f, c: 'single(a)', r: 0.25, cost: 0, ms: 0 });
    assert.ok(Math.abs(sigmoid(m.logit('single(a)', f).mu) - 0.25) < 0.03);
  });

  it('ignores an outcome that is not one (reward out of range, bad features)', () => {
    const m = new LearnedModel();
    m.observe({ f: [BIAS], c: 'single(a)', r: 2, cost: 0, ms: 0 });
    m.observe({ f: 'x' as unknown as number[], c: 'single(a)', r: 1, cost: 0, ms: 0 });
    assert.equal(m.count, 0);
  });

  it("a candidate's logit is its own block plus blocks it shares by final worker, planners, shape and reviewer", () => {
    assert.deepEqual(blocksOf('planned(gemini,claude→gpt)+review(critic)').map((b) => b.key), [
      '=planned(gemini,claude→gpt)+review(critic)', 'final:gpt', 'plan:gemini', 'plan:claude', 'shape:planned2+review', 'review:critic',
    ]);
    assert.deepEqual(blocksOf('answer(x)').map((b) => b.key), ['=answer(x)', 'final:x', 'shape:answer0']);
  });

  it("estimates an untried candidate's cost from its workers' prices, calibrated on the outcomes seen", () => {
    const m = new LearnedModel();
    m.observe({ f: [BIAS], c: 'single(cheap)', r: 1, cost: 0.01, ms: 1000 }, { price: 1, calls: 1 });
    const dear = m.costOf('single(dear)', { price: 10, calls: 1 });
    assert.ok(Math.abs(dear.cost - 0.1) < 1e-9);
    assert.equal(dear.ms, 1000);
  });
});
