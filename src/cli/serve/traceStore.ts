// The last N finished traces, for GET /v1/traces/{id}. Oldest out first.
import type { TraceDocument } from '../../core/trace/types';

export class TraceStore {
  private traces = new Map<string, TraceDocument>();

  constructor(private readonly capacity: number) {}

  add(trace: TraceDocument): void {
    if (this.capacity <= 0) return;
    this.traces.delete(trace.id);
    this.traces.set(trace.id, trace);
    while (this.traces.size > this.capacity) {
      const oldest = this.traces.keys().next().value as string;
      this.traces.delete(oldest);
    }
  }

  get(id: string): TraceDocument | undefined {
    return this.traces.get(id);
  }

  /** The most recently finished run. */
  latest(): TraceDocument | undefined {
    let last: TraceDocument | undefined;
    for (const t of this.traces.values()) last = t;
    return last;
  }

  get size(): number {
    return this.traces.size;
  }
}
