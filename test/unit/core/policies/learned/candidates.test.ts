import assert from 'node:assert/strict';
import { builtinWorkflow } from '../../../../../src/core/policies/builtin';
import type { TaskKind } from '../../../../../src/core/policies/classifyTask';
import { MAX_CANDIDATES, candidateWeights, candidatesFor, labelOf, labelWeights } from '../../../../../src/core/policies/learned/candidates';
import { validateWorkflow } from '../../../../../src/core/workflow/validateWorkflow';
import { configWith, standardPool, worker } from '../../../../support/pool';

const labels = (...args: Parameters<typeof candidatesFor>) => candidatesFor(...args).candidates.map((c) => c.label);

describe('learned candidates', () => {
  it('a pool with planners, a coder and a reviewer: single, planned, one planner each, and planned + review when recursion is allowed', () => {
    const config = configWith(standardPool());
    assert.deepEqual(labels(config, 'coding', true), [
      'planned(gemini,claude→gpt)+review(critic)',
      'single(gpt)',
      'planned(gemini,claude→gpt)',
      'planned(gemini→gpt)',
      'planned(claude→gpt)',
    ]);
    assert.deepEqual(labels(config, 'coding', false), ['planned(gemini,claude→gpt)', 'single(gpt)', 'planned(gemini→gpt)', 'planned(claude→gpt)']);
  });

  it("builtin's pick is always one candidate, with exactly builtin's workflow", () => {
    const pools = [standardPool(), [worker('gpt', 'coder')], [worker('a', 'any'), worker('b', 'any')], [worker('p', 'planner'), worker('c', 'coder'), worker('r', 'reviewer')], [worker('r', 'reviewer'), worker('p', 'planner')]];
    for (const pool of pools) {
      for (const kind of ['coding', 'question', 'general'] as TaskKind[]) {
        for (const review of [true, false]) {
          const config = configWith(pool);
          const set = candidatesFor(config, kind, review);
          assert.deepEqual(set.candidates[set.builtin].workflow, builtinWorkflow('', config, review, kind), `${pool.map((w) => w.id)} ${kind} ${review}`);
          for (const c of set.candidates) {
            const check = validateWorkflow(c.workflow, { poolSize: pool.length, maxSteps: config.maxSteps, allowConductorStep: review });
            assert.ok(check.ok, `${c.label}: ${!check.ok && check.error}`);
          }
          assert.equal(new Set(set.candidates.map((c) => c.label)).size, set.candidates.length, 'labels are distinct');
        }
      }
    }
  });

  it('every worker whose role is coder or any is a coder of its own candidates; no planners means single workflows only', () => {
    const config = configWith([worker('gpt', 'coder'), worker('claude', 'any'), worker('critic', 'reviewer')]);
    assert.deepEqual(labels(config, 'coding', true), ['single(gpt)+review(critic)', 'single(gpt)', 'single(claude)']);
  });

  it('text tasks: one answerer, or the analysts then a synthesis, for each possible answerer', () => {
    const config = configWith([worker('gemini', 'planner'), worker('gpt', 'coder'), worker('claude', 'any')]);
    assert.deepEqual(labels(config, 'question', true), ['answer(claude)', 'synthesis(gemini→claude)', 'answer(gpt)', 'synthesis(gemini→gpt)']);
    assert.deepEqual(labels(config, 'general', true), ['synthesis(gemini→claude)', 'answer(claude)', 'answer(gpt)', 'synthesis(gemini→gpt)']);
  });

  it(`the family is bounded to ${MAX_CANDIDATES}, builtin's pick first`, () => {
    const pool = [...['p1', 'p2', 'p3'].map((id) => worker(id, 'planner')), ...['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'].map((id) => worker(id, 'coder')), worker('r', 'reviewer')];
    const set = candidatesFor(configWith(pool), 'coding', true);
    assert.equal(set.candidates.length, MAX_CANDIDATES);
    // builtin leaves room for the review: two of the three planners.
    assert.equal(set.candidates[0].label, 'planned(p1,p2→c1)+review(r)');
  });

  it('workflows longer than maxSteps are left out', () => {
    const config = configWith(standardPool(), { maxSteps: 2 });
    assert.deepEqual(labels(config, 'coding', true), ['planned(gemini→gpt)', 'single(gpt)', 'planned(claude→gpt)']);
  });

  it('labels are read back from a workflow, and a label prices its workers like the workflow does', () => {
    const pool = [worker('g', 'planner', { price: { input: 1, output: 4 } }), worker('c', 'coder', { price: { input: 10, output: 40 } }), worker('r', 'reviewer', { price: { input: 0.5, output: 2 } })];
    const config = configWith(pool);
    const set = candidatesFor(config, 'coding', true);
    for (const c of set.candidates) {
      assert.equal(labelOf(c.workflow, pool, 'coding'), c.label);
      assert.deepEqual(labelWeights(c.label, config), candidateWeights(c.workflow, config), c.label);
    }
    assert.deepEqual(candidateWeights(set.candidates[0].workflow, config), { price: 5 + 50 + 2.5, calls: 3 });
  });
});
