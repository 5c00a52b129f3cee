// Workers kept from one run to the next (a server answers many requests with the same pool): a
// worker's SDK client and its parsed options are built once per config and key, not once per run.
import type { WorkerConfig } from '../config';
import type { Worker, WorkerOptions } from './types';

export class WorkerPool {
  // Keyed by everything that shapes the worker except the key itself, which is kept beside it
  // (in memory only), so a changed key replaces the worker rather than adding one.
  private readonly kept = new Map<string, { apiKey: string; worker: Worker }>();

  /** `limit`: most workers kept; the one unused longest goes first. */
  constructor(private readonly limit = 64) {}

  get size(): number {
    return this.kept.size;
  }

  /** The kept worker for `cfg` and `opts`, or the one `make` builds (then kept). */
  get(cfg: WorkerConfig, opts: WorkerOptions, make: () => Worker): Worker {
    const { apiKey, ...rest } = opts;
    const key = JSON.stringify([cfg, rest]);
    const hit = this.kept.get(key);
    if (hit && hit.apiKey === apiKey) {
      // Most recently used last, so the first entry is the one to drop.
      this.kept.delete(key);
      this.kept.set(key, hit);
      return hit.worker;
    }
    const worker = make();
    this.kept.delete(key);
    this.kept.set(key, { apiKey, worker });
    if (this.kept.size > this.limit) this.kept.delete(this.kept.keys().next().value!);
    return worker;
  }
}
