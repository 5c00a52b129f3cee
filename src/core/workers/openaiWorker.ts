// GPT and any OpenAI-compatible server (Ollama, vLLM, llama.cpp) through the chat completions API.
import type { WorkerConfig } from '../config';
import { keyEnvOf } from './keyEnv';
import { runAttempts, type Attempt } from './runAttempts';
import { sdkClientOptions } from './sdkClientOptions';
import { ToolCallAssembler } from './toolCallAssembler';
import type { ChatMessage, Usage, Worker, WorkerOptions, WorkerRequest } from './types';

// The SDK is an ES module loaded on first use; its types come from the same import() so they match.
const loadSdk = () => import('openai');
type OpenAIClient = InstanceType<Awaited<ReturnType<typeof loadSdk>>['OpenAI']>;

export function createOpenAIWorker(cfg: WorkerConfig, opts: WorkerOptions): Worker {
  let client: Promise<OpenAIClient> | undefined;
  const getClient = () => (client ??= loadSdk().then(({ OpenAI }) => new OpenAI(sdkClientOptions(cfg, opts))));

  const attempt: Attempt = async (req, ctx) => {
    const api = await getClient();
    const messages = [...(req.system ? [{ role: 'system' as const, content: req.system }] : []), ...req.messages.map(openaiMessage)];
    const maxTokens = req.maxOutputTokens ?? cfg.maxOutputTokens;
    // OpenAI's newer models only accept max_completion_tokens; local servers mostly know max_tokens.
    const limit = maxTokens === undefined ? {} : cfg.provider === 'openai' ? { max_completion_tokens: maxTokens } : { max_tokens: maxTokens };
    const stream = await api.chat.completions.create(
      { model: cfg.model, messages, stream: true, stream_options: { include_usage: true }, ...limit, ...toolFields(req) },
      { signal: ctx.signal },
    );
    const calls = new ToolCallAssembler(ctx.onToolCallDelta);
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
      // A call arrives in pieces keyed by index: id and name first, then the arguments' text.
      for (const t of choice?.delta?.tool_calls ?? []) calls.add(t.index, t.id, t.function?.name, t.function?.arguments);
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) {
        usage = { inputTokens: chunk.usage.prompt_tokens ?? 0, outputTokens: chunk.usage.completion_tokens ?? 0 };
        extraUsage = extraUsageOf(chunk.usage as unknown as Record<string, unknown>);
      }
    }
    return { text, toolCalls: calls.done(), usage, finishReason: finish, finished: finish !== undefined, extraUsage };
  };

  const identity = { id: cfg.id, provider: cfg.provider, model: cfg.model, keyEnv: keyEnvOf(cfg), baseUrl: cfg.baseUrl };
  return {
    id: cfg.id,
    provider: cfg.provider,
    model: cfg.model,
    call: (req) => runAttempts(identity, opts, req, attempt),
  };
}

/** A turn in the chat completions wire format. */
function openaiMessage(m: ChatMessage) {
  if (m.role === 'tool') return { role: 'tool' as const, tool_call_id: m.toolCallId ?? '', content: m.content };
  if (m.role === 'assistant') {
    const toolCalls = (m.toolCalls ?? []).map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } }));
    return { role: 'assistant' as const, content: m.content || (toolCalls.length ? null : ''), ...(toolCalls.length ? { tool_calls: toolCalls } : {}) };
  }
  if (!m.images?.length) return { role: 'user' as const, content: m.content };
  return {
    role: 'user' as const,
    content: [{ type: 'text' as const, text: m.content }, ...m.images.map((i) => ({ type: 'image_url' as const, image_url: { url: i.url } }))],
  };
}

/** tools, tool_choice, parallel_tool_calls and response_format, present only when asked for. */
function toolFields(req: WorkerRequest) {
  const out: Record<string, unknown> = {};
  if (req.tools?.length) {
    out.tools = req.tools.map((t) => ({ type: 'function', function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.parameters } }));
    if (req.toolChoice) out.tool_choice = typeof req.toolChoice === 'string' ? req.toolChoice : { type: 'function', function: { name: req.toolChoice.name } };
    if (req.parallelToolCalls !== undefined) out.parallel_tool_calls = req.parallelToolCalls;
  }
  const f = req.responseFormat;
  if (f?.type === 'json_object') out.response_format = { type: 'json_object' };
  else if (f?.type === 'json_schema') {
    out.response_format = {
      type: 'json_schema',
      json_schema: { name: f.name, schema: f.schema, ...(f.strict !== undefined ? { strict: f.strict } : {}), ...(f.description ? { description: f.description } : {}) },
    };
  }
  return out;
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
