// GPT and any OpenAI-compatible server (Ollama, vLLM, llama.cpp) through the chat completions API.
import type { WorkerConfig } from '../config';
import { keyEnvOf } from './keyEnv';
import { runAttempts, type Attempt } from './runAttempts';
import type { Usage, Worker, WorkerOptions } from './types';

// The SDK is an ES module loaded on first use; its types come from the same import() so they match.
const loadSdk = () => import('openai');
type OpenAIClient = InstanceType<Awaited<ReturnType<typeof loadSdk>>['OpenAI']>;

export function createOpenAIWorker(cfg: WorkerConfig, opts: WorkerOptions): Worker {
  let client: Promise<OpenAIClient> | undefined;
  const getClient = () =>
    (client ??= loadSdk().then(
      ({ OpenAI }) =>
        new OpenAI({
          apiKey: opts.apiKey,
          baseURL: cfg.baseUrl,
          maxRetries: 0,
          // Failures come back as WorkerErrors; the SDK's own console logging would only add noise.
          logLevel: 'off',
          // A backstop only: runAttempts owns the idle timeout.
          timeout: opts.timeoutMs + 5_000,
        }),
    ));

  const attempt: Attempt = async (req, ctx) => {
    const api = await getClient();
    const messages = [
      ...(req.system ? [{ role: 'system' as const, content: req.system }] : []),
      ...req.messages.map((m) => ({ role: m.role, content: m.content })),
    ];
    const maxTokens = req.maxOutputTokens ?? cfg.maxOutputTokens;
    // OpenAI's newer models only accept max_completion_tokens; local servers mostly know max_tokens.
    const limit = maxTokens === undefined ? {} : cfg.provider === 'openai' ? { max_completion_tokens: maxTokens } : { max_tokens: maxTokens };
    const stream = await api.chat.completions.create(
      { model: cfg.model, messages, stream: true, stream_options: { include_usage: true }, ...limit },
      { signal: ctx.signal },
    );
    let text = '';
    let usage: Usage | undefined;
    let finish: string | undefined;
    let extraUsage: Record<string, number> | undefined;
    for await (const chunk of stream) {
      ctx.onActivity();
      const choice = chunk.choices?.[0];
      const delta = choice?.delta?.content;
      if (delta) {
        text += delta;
        ctx.onDelta(delta);
      }
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) {
        usage = { inputTokens: chunk.usage.prompt_tokens ?? 0, outputTokens: chunk.usage.completion_tokens ?? 0 };
        extraUsage = extraUsageOf(chunk.usage as unknown as Record<string, unknown>);
      }
    }
    return { text, usage, finishReason: finish, finished: finish !== undefined, extraUsage };
  };

  const identity = { id: cfg.id, provider: cfg.provider, model: cfg.model, keyEnv: keyEnvOf(cfg), baseUrl: cfg.baseUrl };
  return {
    id: cfg.id,
    provider: cfg.provider,
    model: cfg.model,
    call: (req) => runAttempts(identity, opts, req, attempt),
  };
}

const BASE_USAGE = new Set(['prompt_tokens', 'completion_tokens', 'total_tokens']);

/**
 * Every other numeric usage counter, nested ones as dotted names
 * (`completion_tokens_details.reasoning_tokens`): hosted Fugu reports its orchestration work here.
 */
export function extraUsageOf(usage: Record<string, unknown>, prefix = ''): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(usage)) {
    if (!prefix && BASE_USAGE.has(k)) continue;
    const name = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'number' && Number.isFinite(v)) out[name] = v;
    else if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, extraUsageOf(v as Record<string, unknown>, name));
  }
  return out;
}
