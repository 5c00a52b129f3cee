// One embedding model behind the provider's official SDK: OpenAI's `embeddings.create` or Gemini's
// `models.embedContent`. Each SDK is loaded on first use (never at activation). A response that does
// not carry one vector per input, all of one length, is refused (a cut or malformed answer).
import { scrubSecrets } from '../../workers/scrubSecrets';

export type EmbeddingProvider = 'openai' | 'gemini';

/** A query is embedded for retrieval; documents are what it is compared with (Gemini embeds them differently). */
export type EmbedKind = 'query' | 'document';

export interface Embedder {
  readonly provider: EmbeddingProvider;
  readonly model: string;
  embed(texts: string[], kind: EmbedKind, signal: AbortSignal): Promise<Float32Array[]>;
}

export interface EmbedderOptions {
  provider: EmbeddingProvider;
  model: string;
  apiKey: string;
  /** The worker's base URL (OpenAI's includes /v1). */
  baseUrl?: string;
  /** A backstop per request; callers also pass a signal. */
  timeoutMs: number;
}

/** An embedding call that failed, with a message that never carries the key. */
export class EmbeddingError extends Error {}

const loadOpenAI = () => import('openai');
const loadGoogle = () => import('@google/genai');

export function createEmbedder(opts: EmbedderOptions): Embedder {
  const call = opts.provider === 'openai' ? openaiCall(opts) : geminiCall(opts);
  return {
    provider: opts.provider,
    model: opts.model,
    async embed(texts, kind, signal) {
      if (texts.length === 0) return [];
      let vectors: Array<ArrayLike<number> | undefined>;
      try {
        vectors = await call(texts, kind, signal);
      } catch (err) {
        if (signal.aborted) throw new EmbeddingError('it was cancelled or timed out');
        throw new EmbeddingError(scrubSecrets(err instanceof Error ? err.message : String(err), opts.apiKey).slice(0, 300));
      }
      return checkVectors(vectors, texts.length);
    },
  };
}

function openaiCall(opts: EmbedderOptions) {
  let client: Promise<InstanceType<Awaited<ReturnType<typeof loadOpenAI>>['OpenAI']>> | undefined;
  return async (texts: string[], _kind: EmbedKind, signal: AbortSignal) => {
    client ??= loadOpenAI().then(({ OpenAI }) => new OpenAI({ apiKey: opts.apiKey, baseURL: opts.baseUrl, maxRetries: 0, logLevel: 'off', timeout: opts.timeoutMs }));
    // No encoding_format: the SDK asks for base64 and decodes it to Float32Array.
    const res = await (await client).embeddings.create({ model: opts.model, input: texts }, { signal });
    const byIndex: Array<ArrayLike<number> | undefined> = new Array(texts.length);
    for (const d of res.data ?? []) if (Number.isInteger(d.index) && d.index >= 0 && d.index < texts.length) byIndex[d.index] = d.embedding as ArrayLike<number>;
    return byIndex;
  };
}

function geminiCall(opts: EmbedderOptions) {
  let client: Promise<InstanceType<Awaited<ReturnType<typeof loadGoogle>>['GoogleGenAI']>> | undefined;
  return async (texts: string[], kind: EmbedKind, signal: AbortSignal) => {
    client ??= loadGoogle().then(
      ({ GoogleGenAI }) => new GoogleGenAI({ apiKey: opts.apiKey, vertexai: false, httpOptions: { timeout: opts.timeoutMs, ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}) } }),
    );
    const res = await (await client).models.embedContent({
      model: opts.model,
      contents: texts,
      config: { taskType: kind === 'query' ? 'RETRIEVAL_QUERY' : 'RETRIEVAL_DOCUMENT', abortSignal: signal },
    });
    return (res.embeddings ?? []).map((e) => e.values);
  };
}

function checkVectors(vectors: Array<ArrayLike<number> | undefined>, count: number): Float32Array[] {
  if (vectors.length !== count) throw new EmbeddingError(`the response carried ${vectors.length} vectors for ${count} inputs`);
  const out: Float32Array[] = [];
  for (const v of vectors) {
    if (!v || v.length === 0) throw new EmbeddingError(`the response is missing a vector (${count} inputs)`);
    const f = Float32Array.from(v);
    if (out.length > 0 && f.length !== out[0].length) throw new EmbeddingError('the response mixes vectors of different lengths');
    if (!f.every(Number.isFinite)) throw new EmbeddingError('the response carries a vector that is not numbers');
    out.push(f);
  }
  return out;
}

/** Cosine similarity of two vectors of one length (0 when either is all zeros). */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
