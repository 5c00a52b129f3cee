// Claude through the messages API, streamed; an answer counts only once message_stop arrives.
import type { WorkerConfig } from '../config';
import { keyEnvOf } from './keyEnv';
import { runAttempts, type Attempt } from './runAttempts';
import { sdkClientOptions } from './sdkClientOptions';
import { argumentsObject, ToolCallAssembler } from './toolCallAssembler';
import type { ChatMessage, Worker, WorkerOptions, WorkerRequest } from './types';

// The SDK is an ES module loaded on first use; its types come from the same import() so they match.
const loadSdk = () => import('@anthropic-ai/sdk');
type AnthropicClient = InstanceType<Awaited<ReturnType<typeof loadSdk>>['Anthropic']>;

/** Anthropic requires max_tokens on every request. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 8192;

/** The forced tool that carries a structured answer: Claude's form of a response format. */
export const ANTHROPIC_JSON_TOOL = 'json_answer';

const STOP_REASONS: Record<string, string> = { tool_use: 'tool_calls', end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', refusal: 'content_filter' };

export function createAnthropicWorker(cfg: WorkerConfig, opts: WorkerOptions): Worker {
  let client: Promise<AnthropicClient> | undefined;
  const getClient = () =>
    (client ??= loadSdk().then(
      ({ Anthropic }) =>
        new Anthropic({
          ...sdkClientOptions(cfg, opts),
          // Never pick up ANTHROPIC_AUTH_TOKEN from the environment behind the user's back.
          authToken: null,
        }),
    ));

  const attempt: Attempt = async (req, ctx) => {
    const api = await getClient();
    const stream = await api.messages.create(
      {
        model: cfg.model,
        max_tokens: req.maxOutputTokens ?? cfg.maxOutputTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
        ...(req.system ? { system: req.system } : {}),
        messages: anthropicMessages(req.messages),
        ...toolFields(req),
        stream: true,
      } as unknown as Parameters<AnthropicClient['messages']['create']>[0] & { stream: true },
      { signal: ctx.signal },
    );
    const calls = new ToolCallAssembler(ctx.onToolCallDelta);
    // The structured answer arrives as the forced tool's input; it is the text, not a call.
    const jsonAnswer = !!req.responseFormat && !req.tools?.length;
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
      } else if (ev.type === 'content_block_start' && ev.content_block.type === 'tool_use') {
        if (!jsonAnswer) calls.add(ev.index, ev.content_block.id, ev.content_block.name, '');
      } else if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') {
        text += ev.delta.text;
        ctx.onDelta(ev.delta.text);
      } else if (ev.type === 'content_block_delta' && ev.delta.type === 'input_json_delta') {
        if (jsonAnswer) {
          text += ev.delta.partial_json;
          ctx.onDelta(ev.delta.partial_json);
        } else calls.add(ev.index, undefined, undefined, ev.delta.partial_json);
      } else if (ev.type === 'message_delta') {
        if (ev.delta.stop_reason) stop = ev.delta.stop_reason;
        output = ev.usage.output_tokens ?? output;
      } else if (ev.type === 'message_stop') {
        finished = true;
      }
    }
    return {
      text,
      toolCalls: calls.done(),
      usage: { inputTokens: input, outputTokens: output },
      finishReason: stop ? (jsonAnswer && stop === 'tool_use' ? 'stop' : (STOP_REASONS[stop] ?? stop)) : undefined,
      finished,
    };
  };

  const identity = { id: cfg.id, provider: cfg.provider, model: cfg.model, keyEnv: keyEnvOf(cfg), baseUrl: cfg.baseUrl };
  return { id: cfg.id, provider: cfg.provider, model: cfg.model, call: (req) => runAttempts(identity, opts, req, attempt) };
}

/** Turns in the messages wire format: tool results are user turns, and adjacent turns of one role are joined. */
function anthropicMessages(messages: ChatMessage[]) {
  const out: { role: 'user' | 'assistant'; content: Record<string, unknown>[] }[] = [];
  for (const m of messages) {
    const role = m.role === 'assistant' ? 'assistant' : 'user';
    const blocks: Record<string, unknown>[] = [];
    if (m.role === 'tool') blocks.push({ type: 'tool_result', tool_use_id: m.toolCallId ?? '', content: m.content });
    else if (m.content) blocks.push({ type: 'text', text: m.content });
    for (const img of m.images ?? []) blocks.push({ type: 'image', source: imageSource(img.url) });
    for (const c of m.toolCalls ?? []) blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: argumentsObject(c.arguments) });
    const last = out[out.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks.length ? blocks : [{ type: 'text', text: '' }] });
  }
  // A turn of text alone stays a plain string, as it always was on the wire.
  return out.map((t) => (t.content.length === 1 && t.content[0].type === 'text' ? { role: t.role, content: t.content[0].text as string } : t));
}

function imageSource(url: string) {
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return m ? { type: 'base64', media_type: m[1], data: m[2] } : { type: 'url', url };
}

/** tools and tool_choice; a response format becomes one forced tool whose input is the answer. */
function toolFields(req: WorkerRequest): Record<string, unknown> {
  if (req.tools?.length) {
    const tools = req.tools.map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}), input_schema: t.parameters }));
    const c = req.toolChoice;
    const single = req.parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
    const choice =
      c === 'none' ? { type: 'none' } : c === 'required' ? { type: 'any', ...single } : typeof c === 'object' ? { type: 'tool', name: c.name, ...single } : { type: 'auto', ...single };
    return { tools, tool_choice: choice };
  }
  const f = req.responseFormat;
  if (!f) return {};
  const schema = f.type === 'json_schema' ? f.schema : { type: 'object', additionalProperties: true };
  const description = f.type === 'json_schema' && f.description ? f.description : 'Give the answer as this JSON object.';
  return { tools: [{ name: ANTHROPIC_JSON_TOOL, description, input_schema: schema }], tool_choice: { type: 'tool', name: ANTHROPIC_JSON_TOOL } };
}
