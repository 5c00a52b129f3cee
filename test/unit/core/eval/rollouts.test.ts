import assert from 'node:assert/strict';
import { dpoPairs, type Rollout } from '../../../../src/core/eval/rollouts';

const rollout = (task: string, arm: string, content: string, reward: number, system = 'pool A'): Rollout => ({
  prompt: [
    { role: 'system', content: system },
    { role: 'user', content: task },
  ],
  completion: [{ role: 'assistant', content }],
  reward,
  label: reward === 1,
  task,
  arm,
});

describe('eval rollouts as preference data', () => {
  it('pairs a passing and a failing completion of the same prompt, from sampling arms only', () => {
    const pairs = dpoPairs([
      rollout('t1', 'conductor', 'good', 1),
      rollout('t1', 'conductor', 'bad', 0.5),
      rollout('t1', 'conductor', 'worse', 0),
      rollout('t1', 'builtin', 'fixed', 0.5),
      rollout('t2', 'conductor', 'only-bad', 0.5),
      rollout('t1', 'conductor', 'other pool', 0.5, 'pool B'),
    ]);
    assert.deepEqual(
      pairs.map((p) => [p.task, p.chosen[0].content, p.rejected[0].content]),
      [
        ['t1', 'good', 'bad'],
        ['t1', 'good', 'worse'],
      ],
    );
    assert.equal(pairs[0].prompt[0].content, 'pool A');
  });

  it('a completion that passed once and failed once is not its own rejected answer', () => {
    assert.deepEqual(dpoPairs([rollout('t', 'conductor', 'same', 1), rollout('t', 'conductor', 'same', 0.5)]), []);
  });
});
