import assert from 'node:assert/strict';
import { answerStep, conductorModelId, endsWithConductor, isConductorTraceStep } from '../../../../src/core/workflow/conductorStep';
import { pendingSteps } from '../../../../src/core/executor';
import type { WorkerConfig } from '../../../../src/core/config';

const pool: WorkerConfig[] = [
  { id: 'a', provider: 'openai', model: 'm', role: 'planner' },
  { id: 'b', provider: 'openai', model: 'm', role: 'coder' },
];

describe('the conductor step', () => {
  it('is model number pool size, and only then the round ends with a review', () => {
    assert.equal(conductorModelId(pool.length), 2);
    const reviewed = { model_id: [0, 1, 2], subtasks: ['p', 'c', 'r'], access_list: [[], ['all' as const], ['all' as const]] };
    assert.equal(endsWithConductor(reviewed, pool.length), true);
    assert.equal(answerStep(reviewed, pool.length), 1, 'the step before the review holds the answer');
    const plain = { model_id: [0, 1], subtasks: ['p', 'c'], access_list: [[], ['all' as const]] };
    assert.equal(endsWithConductor(plain, pool.length), false);
    assert.equal(answerStep(plain, pool.length), 1, 'without a review the last step holds it');
    assert.equal(answerStep({ model_id: [], subtasks: [], access_list: [] }, pool.length), -1);
  });

  it('the trace marks the same step as the conductor', () => {
    const steps = pendingSteps({ model_id: [1, 2], subtasks: ['c', 'r'], access_list: [[], ['all']] }, pool);
    assert.deepEqual(steps.map(isConductorTraceStep), [false, true]);
  });
});
