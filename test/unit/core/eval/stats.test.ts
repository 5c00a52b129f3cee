import assert from 'node:assert/strict';
import { mcnemarExact, median, wilsonInterval } from '../../../../src/core/eval/stats';

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
