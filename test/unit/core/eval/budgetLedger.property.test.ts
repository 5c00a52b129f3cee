// --max-cost-usd under concurrency: every attempt reserves its estimate before it starts and runs
// capped at that reservation, so what is spent plus what is reserved never passes the cap, whatever
// the attempts cost and in whatever order they finish.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BudgetLedger, CostEstimates, runScheduled } from '../../../../src/core/eval/budgetLedger';

interface Cell {
  arm: string;
  cost: number;
}

describe('eval budget ledger', () => {
  it('at --concurrency 8, committed + reserved never exceeds the cap, over random costs and finishing orders', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ arm: fc.constantFrom('builtin', 'single:a', 'single:b'), cost: fc.double({ min: 0, max: 0.05, noNaN: true }) }), { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        fc.double({ min: 0.001, max: 0.2, noNaN: true }),
        fc.scheduler(),
        async (cells: Cell[], cap, bound, s) => {
          const ledger = new BudgetLedger(cap);
          const estimates = new CostEstimates(() => bound);
          let spent = 0;
          let started = 0;
          const done = runScheduled({
            cells,
            concurrency: 8,
            ledger,
            estimates,
            // An attempt is held to its cap: one that would cost more is cut where the cap is reached.
            run: (cell, capUsd) => {
              started++;
              assert.ok(ledger.committed + ledger.reserved <= cap + 1e-9, 'at start');
              return s.schedule(Promise.resolve({ costUsd: Math.min(cell.cost, capUsd) })).then((r) => {
                spent += r.costUsd;
                return r;
              });
            },
          });
          await s.waitFor(done);
          const { notStarted } = await done;
          assert.ok(ledger.peak <= cap + 1e-9, `peak ${ledger.peak} over cap ${cap}`);
          assert.ok(Math.abs(ledger.committed - spent) < 1e-9);
          assert.ok(spent <= cap + 1e-9);
          assert.equal(ledger.reserved < 1e-9, true, 'every reservation released');
          assert.equal(started + notStarted.length, cells.length, 'each cell either ran or is listed as not started');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('runs up to 8 at once when the estimates fit', async () => {
    const ledger = new BudgetLedger(10);
    let running = 0;
    let most = 0;
    await runScheduled({
      cells: Array.from({ length: 20 }, () => ({ arm: 'x' })),
      concurrency: 8,
      ledger,
      estimates: new CostEstimates(() => 0.1),
      run: async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setImmediate(r));
        running--;
        return { costUsd: 0.05 };
      },
    });
    assert.equal(most, 8);
    assert.ok(Math.abs(ledger.committed - 1) < 1e-9);
  });

  it('an arm`s first attempt whose bound does not fit starts alone, capped at what is left; the costliest attempt then sets the estimate', async () => {
    const ledger = new BudgetLedger(1);
    const caps: number[] = [];
    const { notStarted } = await runScheduled({
      cells: Array.from({ length: 6 }, () => ({ arm: 'x' })),
      concurrency: 4,
      ledger,
      estimates: new CostEstimates(() => 5),
      run: async (_c, cap) => {
        caps.push(cap);
        return { costUsd: 0.2 };
      },
    });
    assert.equal(caps[0], 1, 'alone, with the whole dollar');
    // Then 0.25 each (0.2 with a quarter's headroom): 0.8 left → 3 fit, then 0.2 left → none.
    assert.deepEqual(caps.slice(1).map((c) => Math.round(c * 1000) / 1000), [0.25, 0.25, 0.25]);
    assert.equal(notStarted.length, 2);
    assert.ok(ledger.committed <= 1);
  });

  it('without a cap nothing is reserved and every cell runs', async () => {
    const ledger = new BudgetLedger(null);
    const { notStarted } = await runScheduled({ cells: [{ arm: 'x' }, { arm: 'y' }], concurrency: 2, ledger, estimates: new CostEstimates(() => Infinity), run: async () => ({ costUsd: 3 }) });
    assert.equal(notStarted.length, 0);
    assert.equal(ledger.committed, 6);
  });
});
