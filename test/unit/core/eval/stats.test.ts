import assert from 'node:assert/strict';
import { holm, mcnemarExact, median, seededRandom, signFlipTest, taskInterval, wilsonInterval } from '../../../../src/core/eval/stats';

const close = (a: number, b: number, eps = 1e-4) => assert.ok(Math.abs(a - b) < eps, `${a} is not ${b}`);

describe('eval statistics', () => {
  it('Wilson intervals match published values', () => {
    // 8 of 10: 0.4902–0.9433; 0 of 10: 0–0.2775; 50 of 100: 0.4038–0.5962.
    let i = wilsonInterval(8, 10);
    close(i.low, 0.4902);
    close(i.high, 0.9433);
    i = wilsonInterval(0, 10);
    close(i.low, 0);
    close(i.high, 0.2775);
    i = wilsonInterval(50, 100);
    close(i.low, 0.4038);
    close(i.high, 0.5962);
    assert.deepEqual(wilsonInterval(0, 0), { low: 0, high: 1 });
  });

  it('exact McNemar p-values are twice the binomial tail of the smaller count', () => {
    close(mcnemarExact(6, 1), 0.125);
    close(mcnemarExact(10, 0), 2 / 1024);
    close(mcnemarExact(5, 5), 1);
    close(mcnemarExact(0, 0), 1);
    // 25 against 10: P(X <= 10 | n = 35) = 0.008336..., doubled.
    close(mcnemarExact(25, 10), 0.016673, 1e-5);
    assert.equal(mcnemarExact(3, 7), mcnemarExact(7, 3));
    // Large counts stay finite (summed in log space).
    assert.ok(mcnemarExact(600, 400) < 1e-9);
  });

  it('the median of an even count averages the middle two', () => {
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([5, 1, 3]), 3);
    assert.ok(Number.isNaN(median([])));
  });
});

describe('eval statistics over tasks', () => {
  it('the sign-flip test on ±1 differences is the exact McNemar test', () => {
    const diffs = [1, 1, 1, 1, 1, 1, -1, 0, 0, 0];
    close(signFlipTest(diffs), mcnemarExact(6, 1));
    close(signFlipTest([...Array(25).fill(1), ...Array(10).fill(-1), 0, 0]), mcnemarExact(25, 10), 1e-9);
    assert.equal(signFlipTest([0, 0, 0]), 1);
  });

  it('fractional differences: the share of the 2^m sign assignments at least as extreme, counted by hand', () => {
    // Differences 1, 0.5, 0.5: sums over the 8 sign assignments are ±2, ±1, ±1, 0, 0 → |sum| ≥ 2 in 2 of 8.
    close(signFlipTest([1, 0.5, 0.5]), 2 / 8);
    // Thirds: 2/3, 1/3 → sums ±1, ±1/3 → |sum| ≥ 1 in 2 of 4.
    close(signFlipTest([2 / 3, 1 / 3]), 0.5);
  });

  it('Holm: the smallest p times m, then step-down, never decreasing, at most 1', () => {
    const adj = holm([0.01, 0.04, 0.03]);
    close(adj[0], 0.03);
    close(adj[2], 0.06);
    close(adj[1], 0.06);
    assert.deepEqual(holm([0.5, 0.9]), [1, 1]);
  });

  it('with one attempt per task the interval over tasks is the Wilson interval over tasks', () => {
    const scores = [...Array(17).fill(1), ...Array(3).fill(0)];
    assert.deepEqual(taskInterval(scores), wilsonInterval(17, 20));
  });

  it('tasks whose repeats disagree (fractional scores) give an interval around their mean', () => {
    const mixed = [0.5, 0.5, 0.5, 0.5, 1, 1, 0, 0];
    const i = taskInterval(mixed);
    assert.ok(i.low > 0 && i.high < 1 && i.low < 0.5 && i.high > 0.5);
  });

  it('the seeded generator gives the same sequence every time', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    for (let k = 0; k < 5; k++) assert.equal(a(), b());
  });

  it('many fractional differences fall back to seeded draws: stable and close to exact', () => {
    const diffs = Array.from({ length: 60 }, (_, i) => ((i * 37) % 11) / 7 - 0.6);
    const p1 = signFlipTest(diffs, 1000, 20_000);
    const p2 = signFlipTest(diffs, 1000, 20_000);
    assert.equal(p1, p2);
    const exact = signFlipTest(diffs);
    assert.ok(Math.abs(p1 - exact) < 0.02, `${p1} vs ${exact}`);
  });
});
