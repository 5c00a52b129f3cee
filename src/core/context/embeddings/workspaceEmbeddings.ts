// The workspace's files as embeddings, one more signal for ranking (rankFiles.ts). Files are embedded
// in the background once the index exists (cached per content, so unchanged files never again); a
// task embeds only its own text, under a short timeout, and is compared with whatever is embedded by
// then. Every failure (no key, the provider's error, a timeout, a cut answer) leaves the other signals
// to rank alone and says why in one note.
import type { WorkspaceIndex } from '../workspaceIndex';
import { contentHash, type EmbeddingCache } from './embeddingCache';
import { cosine, type Embedder } from './embedder';

export interface SimilarFile {
  path: string;
  similarity: number;
}

/** What the ranking asks of embeddings: the files most like the task, and a note when something is missing. */
export interface EmbeddingSignal {
  similar(task: string): Promise<{ hits: SimilarFile[]; note?: string }>;
  /** Files whose text changed since they were embedded. */
  refresh?(paths: string[]): Promise<void>;
}

export interface WorkspaceEmbeddingsOptions {
  /** The task's own embedding must arrive within this. */
  queryTimeoutMs?: number;
  /** One request's bound while embedding files. */
  batchTimeoutMs?: number;
  /** Inputs per request... */
  batchSize?: number;
  /** ...and characters per request. */
  batchChars?: number;
  /** Files embedded at most (the index's order). */
  maxFiles?: number;
}

/** A file is embedded by its path and its head: enough to say what it is about, bounded for any model. */
const PIECE_CHARS = 4_000;
const QUERY_CHARS = 8_000;
/** Files the ranking hears about. */
const TOP_K = 20;

export function pieceOf(path: string, text: string): string {
  return `${path}\n${text.slice(0, PIECE_CHARS)}`;
}

export class WorkspaceEmbeddings implements EmbeddingSignal {
  private readonly vectors = new Map<string, Float32Array>();
  private readonly opts: Required<WorkspaceEmbeddingsOptions>;
  private failure: string | undefined;
  private cachedLoaded: Promise<void> | undefined;
  private warming: Promise<void> | undefined;
  private total = 0;
  private done = false;
  /** Requests made to the provider (files and tasks). */
  calls = 0;

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly embedder: Embedder,
    private readonly cache: EmbeddingCache,
    opts: WorkspaceEmbeddingsOptions = {},
    private readonly signal?: AbortSignal,
  ) {
    this.opts = { queryTimeoutMs: 5_000, batchTimeoutMs: 60_000, batchSize: 64, batchChars: 120_000, maxFiles: 5_000, ...opts };
  }

  /** Starts (once) embedding what the cache does not hold; resolves when every file is embedded or it gave up. */
  warm(): Promise<void> {
    this.warming ??= this.run().catch((err: unknown) => {
      this.failure ??= err instanceof Error ? err.message : String(err);
    });
    return this.warming;
  }

  private async run(): Promise<void> {
    const files = this.index
      .files()
      .slice(0, this.opts.maxFiles)
      .map((f) => f.path);
    this.total = files.length;
    // First what is cached, so a task asked now sees all of it; then the rest, a batch at a time.
    const missing: { path: string; hash: string; piece: string }[] = [];
    let resolveLoaded!: () => void;
    this.cachedLoaded = new Promise((r) => (resolveLoaded = r));
    try {
      for (const path of files) {
        const text = await this.index.text(path).catch(() => null);
        if (text === null || text.trim() === '') continue;
        const piece = pieceOf(path, text);
        const hash = contentHash(`${this.embedder.model}\n${piece}`);
        const v = await this.cache.get(hash);
        if (v) this.vectors.set(path, v);
        else missing.push({ path, hash, piece });
      }
    } finally {
      resolveLoaded();
    }
    let batch: typeof missing = [];
    let chars = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const items = batch;
      batch = [];
      chars = 0;
      await this.embedDocuments(items);
    };
    for (const m of missing) {
      if (this.signal?.aborted) return;
      if (batch.length >= this.opts.batchSize || chars + m.piece.length > this.opts.batchChars) await flush();
      batch.push(m);
      chars += m.piece.length;
    }
    await flush();
    this.done = true;
  }

  /** Files the index updated (the editor's watcher): their vectors follow their new text, from the cache or the provider. */
  async refresh(paths: string[]): Promise<void> {
    if (!this.warming) return;
    await this.warming;
    const changed: { path: string; hash: string; piece: string }[] = [];
    for (const path of paths.slice(0, this.opts.batchSize)) {
      const text = this.index.has(path) ? await this.index.text(path).catch(() => null) : null;
      if (text === null || text.trim() === '') {
        this.vectors.delete(path);
        continue;
      }
      const piece = pieceOf(path, text);
      const hash = contentHash(`${this.embedder.model}\n${piece}`);
      const v = await this.cache.get(hash);
      if (v) this.vectors.set(path, v);
      else changed.push({ path, hash, piece });
    }
    if (changed.length === 0) return;
    try {
      await this.embedDocuments(changed);
    } catch {
      // The old vectors would rank by text that is gone: drop them; the next rebuild tries again.
      for (const c of changed) this.vectors.delete(c.path);
    }
  }

  /** Embeds the files' pieces as documents and keeps each vector, in memory and in the cache. */
  private async embedDocuments(items: { path: string; hash: string; piece: string }[]): Promise<void> {
    const vs = await this.embedBounded(
      items.map((i) => i.piece),
      'document',
      this.opts.batchTimeoutMs,
    );
    for (let i = 0; i < items.length; i++) {
      this.vectors.set(items[i].path, vs[i]);
      await this.cache.put(items[i].hash, vs[i]).catch(() => undefined);
    }
  }

  private async embedBounded(texts: string[], kind: 'query' | 'document', timeoutMs: number): Promise<Float32Array[]> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = this.signal ? AbortSignal.any([this.signal, timeout]) : timeout;
    this.calls++;
    try {
      return await this.embedder.embed(texts, kind, signal);
    } catch (err) {
      if (timeout.aborted) throw new Error(`the provider did not answer within ${timeoutMs} ms`, { cause: err });
      throw err;
    }
  }

  async similar(task: string): Promise<{ hits: SimilarFile[]; note?: string }> {
    const fallback = (why: string) => ({ hits: [], note: `embeddings not used: ${why}; the other signals ranked the files` });
    // The cached vectors are read before any is compared (bounded by the query's own timeout).
    void this.warm();
    await Promise.race([this.cachedLoaded ?? this.warming, new Promise((r) => setTimeout(r, this.opts.queryTimeoutMs).unref?.())]);
    if (this.vectors.size === 0) return fallback(this.failure ? `embedding the workspace failed (${this.failure})` : 'no file is embedded yet');
    let query: Float32Array;
    try {
      [query] = await this.embedBounded([task.slice(0, QUERY_CHARS)], 'query', this.opts.queryTimeoutMs);
    } catch (err) {
      return fallback(`embedding the task failed (${err instanceof Error ? err.message : String(err)})`);
    }
    const hits = [...this.vectors]
      .filter(([p]) => this.index.has(p))
      .map(([path, v]) => ({ path, similarity: cosine(query, v) }))
      .sort((a, b) => b.similarity - a.similarity || (a.path < b.path ? -1 : 1))
      .slice(0, TOP_K);
    if (this.done || this.vectors.size >= this.total) return { hits };
    const why = this.failure ? `, the rest failed (${this.failure})` : ', the rest in the background';
    return { hits, note: `embeddings: ${this.vectors.size} of ${this.total} files embedded so far${why}` };
  }
}
