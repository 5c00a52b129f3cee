// At most `limit` runs at once; beyond that a bounded queue, first come first served, where each
// request waits at most `timeoutMs`. A full queue or a wait that times out is refused (429 with
// retry-after); a client that goes away while waiting leaves the queue.
import { errors, type ApiError } from './apiError';

interface Waiter {
  grant(): void;
  refuse(err: ApiError | null): void;
}

export class RunSlots {
  private running = 0;
  private waiting: Waiter[] = [];

  constructor(
    private readonly limit: number,
    private readonly maxQueued: number,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Resolves when a slot is this request's (call `release` once after). Rejects with a 429 when the
   * queue is full or the wait timed out, and with null when `signal` aborted while waiting.
   */
  acquire(signal: AbortSignal): Promise<void> {
    if (this.running < this.limit) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.maxQueued) return Promise.reject(this.refusal());
    return new Promise<void>((resolve, reject) => {
      const leave = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.waiting = this.waiting.filter((w) => w !== waiter);
      };
      const waiter: Waiter = {
        grant: () => {
          leave();
          resolve();
        },
        refuse: (err) => {
          leave();
          reject(err);
        },
      };
      const onAbort = () => waiter.refuse(null);
      const timer = setTimeout(() => waiter.refuse(this.refusal()), this.timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Hands the slot to the longest waiter, or frees it. */
  release(): void {
    const next = this.waiting[0];
    if (next) next.grant();
    else this.running--;
  }

  /** Refuses everyone still waiting (shutdown). */
  refuseAll(err: ApiError): void {
    for (const w of [...this.waiting]) w.refuse(err);
  }

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  private refusal(): ApiError {
    // A short wait: the SDKs retry 429 after retry-after, and a slot may free at any moment.
    return errors.busy(this.limit, this.maxQueued, 1);
  }
}
