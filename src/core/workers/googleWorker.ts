// Gemini through @google/genai, streamed over SSE; an answer counts only once a finishReason arrives.
import type { WorkerConfig } from '../config';
import { keyEnvOf } from './keyEnv';
import { runAttempts, type Attempt } from './runAttempts';
import type { Usage, Worker, WorkerOptions } from './types';

// The SDK is an ES module loaded on first use; its types come from the same import() so they match.
const loadSdk = () => import('@google/genai');
type GoogleClient = InstanceType<Awaited<ReturnType<typeof loadSdk>>['GoogleGenAI']>;

const FINISH: Record<string, string> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  BLOCKLIST: 'content_filter',
  SPII: 'content_filter',
};

export function createGoogleWorker(cfg: WorkerConfig, opts: WorkerOptions): Worker {
  let client: Promise<GoogleClient> | undefined;
  const getClient = () =>
    (client ??= loadSdk().then(
      ({ GoogleGenAI }) =>
        // vertexai: false so an environment variable cannot switch us to Vertex and its credential search.
        new GoogleGenAI({ apiKey: opts.apiKey, vertexai: false, ...(cfg.baseUrl ? { httpOptions: { baseUrl: cfg.baseUrl } } : {}) }),
    ));

  const attempt: Attempt = async (req, ctx) => {
    const api = await getClient();
    const maxTokens = req.maxOutputTokens ?? cfg.maxOutputTokens;
    const stream = await api.models.generateContentStream({
      model: cfg.model,
      contents: req.messages.map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] })),
      config: {
        ...(req.system ? { systemInstruction: req.system } : {}),
        ...(maxTokens !== undefined ? { maxOutputTokens: maxTokens } : {}),
        // Without this a cancelled call keeps the HTTP body open.
        abortSignal: ctx.signal,
      },
    });
    let text = '';
    let usage: Usage | undefined;
    let finish: string | undefined;
    for await (const chunk of stream) {
      ctx.onActivity();
      const cand = chunk.candidates?.[0];
      // Read parts directly: the `text` getter warns on non-text parts, and thoughts are not the answer.
      for (const part of cand?.content?.parts ?? []) {
        if (typeof part.text === 'string' && part.text && !part.thought) {
          text += part.text;
          ctx.onDelta(part.text);
        }
      }
      if (cand?.finishReason) finish = cand.finishReason;
      const u = chunk.usageMetadata;
      if (u) usage = { inputTokens: u.promptTokenCount ?? 0, outputTokens: (u.candidatesTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0) };
    }
    return { text, usage, finishReason: finish ? (FINISH[finish] ?? finish.toLowerCase()) : undefined, finished: finish !== undefined };
  };

  const identity = { id: cfg.id, provider: cfg.provider, model: cfg.model, keyEnv: keyEnvOf(cfg), baseUrl: cfg.baseUrl };
  return { id: cfg.id, provider: cfg.provider, model: cfg.model, call: (req) => runAttempts(identity, opts, req, attempt) };
}
