// A failure is not paid for twice: an agent client that retries a request which failed for a reason a
// retry cannot fix (the budget, the answerer's window, a refused key, a policy or provider failure that
// outlived the workers' own retries) gets the same error again at once, with no model call.
import { createHash } from 'node:crypto';
import type { ErrorKind } from '../../core/trace/types';

export interface KeptFailure {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** The run failures worth remembering; rate limits, timeouts, cut connections and cancels may pass on a retry. */
export function isLasting(kind: ErrorKind | null): boolean {
  return kind === 'budget' || kind === 'auth' || kind === 'bad_request' || kind === 'policy' || kind === 'provider' || kind === 'internal' || kind === 'edits';
}

/** JSON text with every object's keys sorted: the same content, whatever order a client wrote it in. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export class FailureMemo {
  private kept = new Map<string, KeptFailure & { until: number }>();

  constructor(
    private readonly seconds: number,
    private readonly capacity = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The key of a request: its route and its body's content. */
  static key(path: string, body: unknown): string {
    return createHash('sha256').update(path).update('\n').update(canonicalJson(body)).digest('hex');
  }

  /** Failures kept now; the expired ones (the oldest: all are kept equally long) are dropped first. */
  get size(): number {
    const now = this.now();
    for (const [key, f] of this.kept) {
      if (f.until > now) break;
      this.kept.delete(key);
    }
    return this.kept.size;
  }

  recall(key: string): KeptFailure | undefined {
    const f = this.kept.get(key);
    if (!f) return undefined;
    if (f.until <= this.now()) {
      this.kept.delete(key);
      return undefined;
    }
    return f;
  }

  remember(key: string, failure: KeptFailure): void {
    if (this.seconds <= 0) return;
    this.kept.delete(key);
    this.kept.set(key, { ...failure, until: this.now() + this.seconds * 1000 });
    while (this.kept.size > this.capacity) this.kept.delete(this.kept.keys().next().value as string);
  }
}
