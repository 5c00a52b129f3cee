// Finished traces for GET /v1/traces/{id}: the last N in memory and, with `server.traceDir`, one JSON
// file each in a folder (bounded, oldest removed), so a trace survives a restart and instances behind
// a load balancer can share the folder. A file is written whole (temporary name, then rename).
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TraceDocument } from '../../core/trace/types';
import { traceDocumentSchema } from '../../protocol/traceSchemas';

/** Trace ids are UUIDs; anything else never reaches the file system. */
const SAFE_ID = /^[A-Za-z0-9-]{1,80}$/;

export class TraceStore {
  private traces = new Map<string, TraceDocument>();

  constructor(
    private readonly capacity: number,
    private readonly dir?: string,
    private readonly maxFiles = 1000,
  ) {}

  /** Creates the folder; throws when it cannot. */
  async open(): Promise<void> {
    if (this.dir) await mkdir(this.dir, { recursive: true });
  }

  /** Keeps the trace in memory at once; resolves once it is on disk (never rejects: a full disk loses only the file). */
  add(trace: TraceDocument, onError: (message: string) => void = () => {}): Promise<void> {
    if (this.capacity > 0) {
      this.traces.delete(trace.id);
      this.traces.set(trace.id, trace);
      while (this.traces.size > this.capacity) this.traces.delete(this.traces.keys().next().value as string);
    }
    if (!this.dir || !SAFE_ID.test(trace.id)) return Promise.resolve();
    return this.write(this.dir, trace).catch((err: Error) => onError(`could not keep trace ${trace.id} in ${this.dir}: ${err.message}`));
  }

  /** From memory. */
  get(id: string): TraceDocument | undefined {
    return this.traces.get(id);
  }

  /** From memory, else from the folder (written by this instance before a restart, or by another). */
  async find(id: string): Promise<TraceDocument | undefined> {
    const kept = this.traces.get(id);
    if (kept || !this.dir || !SAFE_ID.test(id)) return kept;
    try {
      const parsed = traceDocumentSchema.safeParse(JSON.parse(await readFile(join(this.dir, `${id}.json`), 'utf8')));
      return parsed.success ? (parsed.data as TraceDocument) : undefined;
    } catch {
      return undefined;
    }
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

  private async write(dir: string, trace: TraceDocument): Promise<void> {
    const tmp = join(dir, `.${trace.id}.${randomUUID()}.tmp`);
    await writeFile(tmp, JSON.stringify(trace));
    await rename(tmp, join(dir, `${trace.id}.json`));
    const names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
    if (names.length <= this.maxFiles) return;
    const dated = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(dir, n)).catch(() => null))?.mtimeMs ?? 0 })));
    dated.sort((a, b) => a.t - b.t);
    await Promise.all(dated.slice(0, dated.length - this.maxFiles).map(({ n }) => rm(join(dir, n), { force: true })));
  }
}
