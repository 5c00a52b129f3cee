import assert from 'node:assert/strict';
import { BudgetTracker } from '../../../src/core/budget';

describe('budget: a call meets the budget once, when it is admitted', () => {
  const limits = { maxCalls: 10, maxTokens: 1_000_000, maxCostUsd: 0.01 };

  it('refuses a call whose prompt alone would cross the cost budget, saying which budget and the estimate', () => {
    const b = new BudgetTracker(limits);
    b.settle({}, 0, 0, 0.006);
    const key = {};
    b.startCall(key);
    assert.equal(b.refusal(), null, 'the start of a step asks only whether a limit is reached, not what the call will cost');
    assert.equal(b.admit(key, 100, 0.005), "the call's estimated $0.0050 would take the run to $0.0110 of its $0.01 cost budget");
    assert.equal(b.admit(key, 100, 0.003), null);
  });

  it('refuses a call whose estimate would cross the token budget, in tokens', () => {
    const b = new BudgetTracker({ ...limits, maxTokens: 3600 });
    b.settle({}, 3000, 0, 0);
    assert.equal(b.admit({}, 700, 0), "the call's estimated 700 tokens would take the run to 3700 of its 3600-token budget");
  });

  it('an admitted call holds its estimate until settled, so a call admitted beside it sees it', () => {
    const b = new BudgetTracker(limits);
    const first = {};
    const second = {};
    b.startCall(first);
    b.startCall(second);
    assert.equal(b.admit(first, 100, 0.006), null);
    assert.match(b.admit(second, 100, 0.005) ?? '', /would take the run to \$0\.0110 of its \$0\.01 cost budget/);
    b.withdraw(second);
    assert.equal(b.calls, 1, 'a refused call counts as no call');
    b.settle(first, 90, 0, 0.001);
    assert.equal(b.admit({}, 100, 0.005), null, 'what the first call really cost replaces its estimate');
  });

  it('free calls and a zero cost budget: a call that costs nothing is admitted, one that costs anything is not', () => {
    const b = new BudgetTracker({ ...limits, maxCostUsd: 0 });
    b.startCall({});
    assert.equal(b.refusal(), null);
    assert.equal(b.admit({}, 100, 0), null);
    assert.match(b.admit({}, 100, 0.0001) ?? '', /of its \$0\.00 cost budget/);
  });
});
