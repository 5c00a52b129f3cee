// Finished traces for GET /v1/traces/{id}: the last N in memory and, with `server.traceDir`, one JSON
// file each in a folder (bounded, oldest removed), so a trace survives a restart and instances behind
// a load balancer can share the folder.
import type { TraceDocument } from '../../core/trace/types';
import { JsonFolder } from '../../core/jsonFolder';
import { traceDocumentSchema } from '../../protocol/traceSchemas';

export class TraceStore {
  private traces = new Map<string, TraceDocument>();
  private readonly folder?: JsonFolder;

  constructor(
    private readonly capacity: number,
    private readonly dir?: string,
    maxFiles = 1000,
  ) {
    if (dir) this.folder = new JsonFolder(dir, maxFiles);
  }

  /** Creates the folder; throws when it cannot. */
  async open(): Promise<void> {
    await this.folder?.open();
  }

  /** Keeps the trace in memory at once; resolves once it is on disk (never rejects: a full disk loses only the file). */
  add(trace: TraceDocument, onError: (message: string) => void = () => {}): Promise<void> {
    if (this.capacity > 0) {
      this.traces.delete(trace.id);
      this.traces.set(trace.id, trace);
      while (this.traces.size > this.capacity) this.traces.delete(this.traces.keys().next().value as string);
    }
    if (!this.folder) return Promise.resolve();
    return this.folder.write(trace.id, trace).catch((err: Error) => onError(`could not keep trace ${trace.id} in ${this.dir}: ${err.message}`));
  }

  /** From memory. */
  get(id: string): TraceDocument | undefined {
    return this.traces.get(id);
  }

  /** From memory, else from the folder (written by this instance before a restart, or by another). */
  async find(id: string): Promise<TraceDocument | undefined> {
    const kept = this.traces.get(id);
    if (kept || !this.folder) return kept;
    const parsed = traceDocumentSchema.safeParse(await this.folder.read(id));
    return parsed.success ? (parsed.data as TraceDocument) : undefined;
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
