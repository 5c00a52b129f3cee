import assert from 'node:assert/strict';
import { BudgetTracker } from '../../../src/core/budget';

describe('budget: a prompt is paid whatever it answers', () => {
  const limits = { maxCalls: 10, maxTokens: 1_000_000, maxCostUsd: 0.01 };

  it('refuses a call whose prompt alone would cross the cost budget', () => {
    const b = new BudgetTracker(limits);
    b.settle({}, 0, 0, 0.006);
    assert.equal(b.refusal(0.003), null);
    assert.match(b.refusal(0.005) ?? '', /the next call's prompt would cross the run's cost budget \(\$0\.01\)/);
  });

  it('a started call`s prompt counts as pending, so a call started beside it sees it', () => {
    const b = new BudgetTracker(limits);
    b.startCall({}, 0.006);
    assert.match(b.refusal(0.005) ?? '', /would cross/);
    assert.equal(b.refusal(0.003), null);
  });

  it('free calls and a zero budget behave as before', () => {
    const b = new BudgetTracker({ ...limits, maxCostUsd: 0 });
    assert.equal(b.refusal(0), null);
    b.startCall({});
    assert.equal(b.refusal(), null);
  });
});
