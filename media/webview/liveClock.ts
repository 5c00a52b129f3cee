import type { TraceDocument } from '../../src/core/trace/types';

/**
 * The run's clock while it is live, so running bars and the wall time grow between events.
 * Anchored on the latest time the events reported and this page's own monotonic clock, which
 * avoids comparing the extension host's wall clock with the browser's (they may differ).
 */
export class LiveClock {
  private anchor: { runId: string; ms: number; at: number } | null = null;

  constructor(private readonly monotonic: () => number = () => performance.now()) {}

  /** Milliseconds since the run began, or undefined when the run is not live. */
  now(doc: TraceDocument): number | undefined {
    if (doc.status !== 'running') {
      this.anchor = null;
      return undefined;
    }
    const known = latestKnown(doc);
    const at = this.monotonic();
    if (!this.anchor || this.anchor.runId !== doc.id || known > this.anchor.ms + (at - this.anchor.at)) {
      this.anchor = { runId: doc.id, ms: known, at };
    }
    return this.anchor.ms + (at - this.anchor.at);
  }
}

function latestKnown(doc: TraceDocument): number {
  let latest = 0;
  for (const r of doc.rounds) for (const s of r?.steps ?? []) latest = Math.max(latest, s.startMs ?? 0, s.endMs ?? 0);
  return latest;
}
