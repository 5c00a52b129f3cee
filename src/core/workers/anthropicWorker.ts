// Claude through the messages API, streamed; an answer counts only once message_stop arrives.
import type { WorkerConfig } from '../config';
import { keyEnvOf } from './keyEnv';
import { runAttempts, type Attempt } from './runAttempts';
import type { Worker, WorkerOptions } from './types';

// The SDK is an ES module loaded on first use; its types come from the same import() so they match.
const loadSdk = () => import('@anthropic-ai/sdk');
type AnthropicClient = InstanceType<Awaited<ReturnType<typeof loadSdk>>['Anthropic']>;

/** Anthropic requires max_tokens on every request. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 8192;

const STOP_REASONS: Record<string, string> = { end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', refusal: 'content_filter' };

export function createAnthropicWorker(cfg: WorkerConfig, opts: WorkerOptions): Worker {
  let client: Promise<AnthropicClient> | undefined;
  const getClient = () =>
    (client ??= loadSdk().then(
      ({ Anthropic }) =>
        new Anthropic({
          apiKey: opts.apiKey,
          // Never pick up ANTHROPIC_AUTH_TOKEN from the environment behind the user's back.
          authToken: null,
          baseURL: cfg.baseUrl,
          maxRetries: 0,
          // Failures come back as WorkerErrors; the SDK's own console logging would only add noise.
          logLevel: 'off',
          timeout: opts.timeoutMs + 5_000,
        }),
    ));

  const attempt: Attempt = async (req, ctx) => {
    const api = await getClient();
    const stream = await api.messages.create(
      {
        model: cfg.model,
        max_tokens: req.maxOutputTokens ?? cfg.maxOutputTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
        ...(req.system ? { system: req.system } : {}),
        messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
        stream: true,
      },
      { signal: ctx.signal },
    );
    let text = '';
    let input = 0;
    let output = 0;
    let stop: string | undefined;
    let finished = false;
    for await (const ev of stream) {
      ctx.onActivity();
      if (ev.type === 'message_start') {
        const u = ev.message.usage;
        input = (u.input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);
        output = u.output_tokens ?? 0;
      } else if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') {
        text += ev.delta.text;
        ctx.onDelta(ev.delta.text);
      } else if (ev.type === 'message_delta') {
        if (ev.delta.stop_reason) stop = ev.delta.stop_reason;
        output = ev.usage.output_tokens ?? output;
      } else if (ev.type === 'message_stop') {
        finished = true;
      }
    }
    return {
      text,
      usage: { inputTokens: input, outputTokens: output },
      finishReason: stop ? (STOP_REASONS[stop] ?? stop) : undefined,
      finished,
    };
  };

  const identity = { id: cfg.id, provider: cfg.provider, model: cfg.model, keyEnv: keyEnvOf(cfg), baseUrl: cfg.baseUrl };
  return { id: cfg.id, provider: cfg.provider, model: cfg.model, call: (req) => runAttempts(identity, opts, req, attempt) };
}
