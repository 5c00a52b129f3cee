import assert from 'node:assert/strict';
import { costComparator, makeWorld, simulate } from '../../../../../src/core/policies/learned/simulate';

describe('learned policy simulator', () => {
  it('measures cost against the cheapest fixed candidate that passes as often', () => {
    // pass, utility, cost of three fixed candidates; the policy passes 0.7.
    const pass = [0.72, 0.75, 0.6];
    const utility = [0.7, 0.6, 0.59];
    const costs = [0.02, 0.15, 0.01];
    assert.equal(costComparator(pass, utility, costs, 0.7), 0);
    assert.equal(costComparator(pass, utility, costs, 0.74), 1);
  });

  it('when the policy passes more than every fixed candidate, against the best by utility, not the top passer', () => {
    // Two near-equal passers 10× apart in price: the dearer one passes a hair more.
    const pass = [0.624, 0.628];
    const costs = [0.0175, 0.0715];
    const utility = pass.map((p, i) => p - costs[i]);
    assert.equal(costComparator(pass, utility, costs, 0.75), 0);
    const swapped = [0.628, 0.624];
    assert.equal(costComparator(swapped, swapped.map((p, i) => p - costs[i]), costs, 0.75), 0);
  });

  it('reports the policy against the oracle and the oracle against the same fixed candidate', () => {
    const r = simulate(makeWorld('specialists'), 3, { tasks: 120 });
    assert.ok(r.costVsOracle > 0 && Number.isFinite(r.costVsOracle));
    // Both ratios share the fixed candidate's cost: their product is the policy's ratio.
    assert.ok(Math.abs(r.costVsOracle * r.oracleCostVsBestFixed - r.costVsBestFixed) < 1e-9);
  });
});
