import assert from 'node:assert/strict';
import { crossValidate, groupByTask } from '../../../../../src/core/policies/learned/crossValidate';
import { taskFeatures } from '../../../../../src/core/policies/learned/features';
import type { Outcome } from '../../../../../src/core/policies/learned/model';
import { configWith, worker } from '../../../../support/pool';

describe('learned cross-validation by task', () => {
  it('scores the learned pick on held-out tasks against each fixed candidate and the oracle', () => {
    const config = configWith([worker('gpt', 'coder'), worker('claude', 'any')], { maxRecursion: 0 });
    const outcomes: Outcome[] = [];
    const tasks: string[] = [];
    for (let i = 0; i < 60; i++) {
      const python = i % 2 === 0;
      const f = taskFeatures({ request: `fix bug ${i}`, kind: 'coding', contextPaths: [python ? 'a.py' : 'a.js'], contextChars: 500, check: 'exists' });
      // gpt passes JavaScript, claude passes Python; each ran twice (repeats average into one outcome).
      for (const repeat of [0, 1]) {
        outcomes.push({ f, c: 'single(gpt)', r: python ? 0 : 1, cost: 0.01, ms: 1 }, { f, c: 'single(claude)', r: python ? 1 : 0, cost: 0.01, ms: 1 });
        tasks.push(`t${i}`, `t${i}`);
        void repeat;
      }
    }
    const byTask = groupByTask(outcomes, tasks);
    assert.equal(byTask.length, 60);
    assert.equal(byTask[0].outcomes.length, 2);
    const rows = crossValidate(byTask, 5, config);
    const row = (name: string) => rows.find((r) => r.name === name)!;
    assert.equal(row('single(gpt) (builtin)').passRate, 0.5);
    assert.equal(row('single(claude)').passRate, 0.5);
    assert.equal(row('oracle').passRate, 1);
    assert.equal(row('learned').tasks, 60);
    assert.ok(row('learned').passRate >= 0.9, `learned ${row('learned').passRate}`);
  });
});
