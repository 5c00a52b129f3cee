// `--max-cost-usd` as a ledger: each attempt reserves its estimated cost before it starts and runs
// capped at that reservation, so what is spent plus what is reserved never passes the cap.

export class BudgetLedger {
  committed = 0;
  reserved = 0;
  /** The most committed + reserved ever reached (what a test checks against the cap). */
  peak = 0;

  constructor(readonly capUsd: number | null) {}

  get available(): number {
    return this.capUsd === null ? Infinity : this.capUsd - this.committed - this.reserved;
  }

  /** Reserves `usd` when it fits under the cap (a float's rounding aside). */
  tryReserve(usd: number): boolean {
    if (this.capUsd === null) return true;
    if (this.committed + this.reserved + usd > this.capUsd + 1e-12) return false;
    this.reserved += usd;
    this.peak = Math.max(this.peak, this.committed + this.reserved);
    return true;
  }

  /** An attempt ended: its reservation is released and what it really cost is committed. */
  settle(reservedUsd: number, costUsd: number): void {
    if (this.capUsd !== null) this.reserved = Math.max(0, this.reserved - reservedUsd);
    this.committed += costUsd;
    this.peak = Math.max(this.peak, this.committed + this.reserved);
  }
}

/** What one arm's next attempt is expected to cost. */
export interface Estimate {
  usd: number;
  /** True when no attempt of the arm has finished yet and `usd` is the bound from prices and caps. */
  firstBound: boolean;
}

/**
 * Per arm, the estimate of its next attempt: the costliest attempt so far with a quarter's headroom
 * (an attempt a little costlier than any before is not cut), at most the first-attempt bound; before
 * any attempt, the bound itself.
 */
export class CostEstimates {
  private costliest = new Map<string, number>();
  constructor(private readonly bounds: (arm: string) => number) {}

  record(arm: string, costUsd: number): void {
    this.costliest.set(arm, Math.max(this.costliest.get(arm) ?? 0, costUsd));
  }

  of(arm: string): Estimate {
    const seen = this.costliest.get(arm);
    const bound = this.bounds(arm);
    if (seen === undefined) return { usd: bound, firstBound: true };
    return { usd: Math.min(bound, seen * 1.25), firstBound: false };
  }
}

export interface ScheduledRun {
  costUsd: number;
}

export interface ScheduleOptions<C extends { arm: string }> {
  cells: C[];
  concurrency: number;
  ledger: BudgetLedger;
  estimates: CostEstimates;
  /** Runs one attempt, which must not spend more than `capUsd` (Infinity without a cap). */
  run(cell: C, capUsd: number): Promise<ScheduledRun>;
  signal?: AbortSignal;
}

/**
 * Runs the cells in order, at most `concurrency` at once. A cell starts only when its estimate fits
 * in what is left; when it does not and others are running, it waits for them. With nothing running,
 * an arm's first attempt (whose estimate is only a bound) may start alone, capped at what is left;
 * otherwise the eval stops: the cells from there on are returned as not started.
 */
export function runScheduled<C extends { arm: string }>(opts: ScheduleOptions<C>): Promise<{ notStarted: C[] }> {
  const { cells, concurrency, ledger, estimates } = opts;
  let next = 0;
  let inFlight = 0;
  let stopped = false;
  return new Promise((resolve, reject) => {
    let failed = false;
    const pump = () => {
      if (failed) return;
      while (!opts.signal?.aborted && !stopped && inFlight < concurrency && next < cells.length) {
        const cell = cells[next];
        const est = estimates.of(cell.arm);
        const left = ledger.available;
        let reservation: number;
        if (ledger.tryReserve(est.usd)) reservation = est.usd;
        else if (inFlight > 0) break;
        else if (est.firstBound && left > 0 && ledger.tryReserve(left)) reservation = left;
        else {
          stopped = true;
          break;
        }
        next++;
        inFlight++;
        const cap = ledger.capUsd === null ? Infinity : reservation;
        opts.run(cell, cap).then(
          (r) => {
            inFlight--;
            ledger.settle(reservation, r.costUsd);
            estimates.record(cell.arm, r.costUsd);
            pump();
          },
          (err) => {
            failed = true;
            reject(err);
          },
        );
      }
      if (inFlight === 0 && (next >= cells.length || stopped || opts.signal?.aborted)) resolve({ notStarted: cells.slice(next) });
    };
    pump();
  });
}
