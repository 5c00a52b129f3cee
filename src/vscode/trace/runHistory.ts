// Past runs on disk: one JSON file per trace plus a small index of summaries, newest first, capped.
// Plain Node (no `vscode` import) so it can be tested alone; the extension passes globalStorageUri.fsPath.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runTitle } from '../../core/trace/title';
import type { TraceDocument } from '../../core/trace/types';
import * as z from 'zod/mini';
import { parseTraceDocument, runSummarySchema } from '../../protocol/traceSchemas';
import type { RunSummary } from '../../protocol/traceView';

/** A history line: the user's words (not the task built around them), outcome, cost, time. */
export function summaryOf(doc: TraceDocument): RunSummary {
  const summary: RunSummary = { id: doc.id, task: runTitle(doc), createdAt: doc.createdAt, status: doc.status, calls: doc.calls, costUsd: doc.costUsd, wallMs: doc.wallMs };
  // The last check's verdict; a check that timed out, could not run or was cancelled says nothing of the edits.
  const check = doc.final.check;
  if (check) summary.check = { verdict: check.outcome === 'passed' ? 'passed' : check.outcome === 'failed' ? 'failed' : 'unverified', command: check.command };
  return summary;
}

/** A file name for a run id: the id itself when it is plainly safe, else a hash of it. */
function fileFor(id: string): string {
  const safe = /^[A-Za-z0-9._-]{1,80}$/.test(id) && !id.startsWith('.') ? id : createHash('sha256').update(id).digest('hex').slice(0, 32);
  return `${safe}.json`;
}

const indexSchema = z.array(runSummarySchema);

export class RunHistory {
  private readonly runsDir: string;
  private readonly indexPath: string;
  /** Writes run one after another so concurrent saves cannot lose index entries. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dir: string, private readonly maxRuns: () => number) {
    this.runsDir = join(dir, 'runs');
    this.indexPath = join(dir, 'runs', 'index.json');
  }

  /** Summaries, newest first. A missing or damaged index reads as empty (the run files stay on disk). */
  async list(): Promise<RunSummary[]> {
    await this.queue;
    return this.readIndex();
  }

  async get(id: string): Promise<TraceDocument | null> {
    await this.queue;
    let text: string;
    try {
      text = await readFile(join(this.runsDir, fileFor(id)), 'utf8');
    } catch {
      return null;
    }
    try {
      const parsed = parseTraceDocument(JSON.parse(text));
      return parsed.ok ? parsed.doc : null;
    } catch {
      return null;
    }
  }

  /** Saves (or replaces) a run, then drops the oldest runs beyond the cap. Returns the new list. */
  save(doc: TraceDocument): Promise<RunSummary[]> {
    return this.serial(async () => {
      await mkdir(this.runsDir, { recursive: true });
      await this.writeAtomic(join(this.runsDir, fileFor(doc.id)), JSON.stringify(doc));
      const index = (await this.readIndex()).filter((r) => r.id !== doc.id);
      index.unshift(summaryOf(doc));
      const cap = Math.max(1, Math.floor(this.maxRuns()));
      for (const old of index.splice(cap)) await rm(join(this.runsDir, fileFor(old.id)), { force: true });
      await this.writeAtomic(this.indexPath, JSON.stringify(index));
      return index;
    });
  }

  /** Removes a run; returns the new list (unchanged when the id is unknown). */
  delete(id: string): Promise<RunSummary[]> {
    return this.serial(async () => {
      const index = await this.readIndex();
      const kept = index.filter((r) => r.id !== id);
      await rm(join(this.runsDir, fileFor(id)), { force: true });
      if (kept.length !== index.length) await this.writeAtomic(this.indexPath, JSON.stringify(kept));
      return kept;
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async readIndex(): Promise<RunSummary[]> {
    try {
      const r = indexSchema.safeParse(JSON.parse(await readFile(this.indexPath, 'utf8')));
      return r.success ? r.data : [];
    } catch {
      return [];
    }
  }

  private async writeAtomic(path: string, text: string): Promise<void> {
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, path);
  }
}
