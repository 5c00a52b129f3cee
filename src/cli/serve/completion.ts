// The response objects, shaped as OpenAI sends them: `chat.completion` and `chat.completion.chunk`,
// each with a `fugu` field that names the trace.
import type { TraceDocument } from '../../core/trace/types';
import type { ToolCall, Usage } from '../../core/workers/types';
import type { Answer } from './api';

export interface FuguSummary {
  trace_id: string;
  status?: TraceDocument['status'];
  rounds?: number;
  /** Steps that ran (succeeded, failed or cancelled), over every round. */
  steps?: number;
  calls?: number;
  cost_usd?: number;
  wall_ms?: number;
}

export interface CompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export function summarize(trace: TraceDocument): FuguSummary {
  const steps = trace.rounds.reduce((n, r) => n + r.steps.filter((s) => s.status !== 'pending' && s.status !== 'skipped').length, 0);
  return {
    trace_id: trace.id,
    status: trace.status,
    rounds: trace.rounds.length,
    steps,
    calls: trace.calls,
    cost_usd: trace.costUsd,
    wall_ms: trace.wallMs,
  };
}

/** The request's tokens, every worker and policy call of it included. */
export function usageOf({ inputTokens, outputTokens }: Usage): CompletionUsage {
  return { prompt_tokens: inputTokens, completion_tokens: outputTokens, total_tokens: inputTokens + outputTokens };
}

export function completionId(id: string): string {
  return `chatcmpl-${id}`;
}

/** Chat's form of tool calls. */
export function chatToolCalls(calls: ToolCall[]) {
  return calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } }));
}

export function completion(model: string, created: number, { id, trace, text, toolCalls, usage }: Answer) {
  const calls = toolCalls.length ? { tool_calls: chatToolCalls(toolCalls) } : {};
  return {
    id: completionId(id),
    object: 'chat.completion' as const,
    created,
    model,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: { role: 'assistant' as const, content: toolCalls.length && !text ? null : text, refusal: null, ...calls },
        logprobs: null,
        finish_reason: toolCalls.length ? ('tool_calls' as const) : ('stop' as const),
      },
    ],
    usage: usageOf(usage),
    fugu: summarize(trace),
  };
}

export interface ChunkContext {
  id: string;
  model: string;
  created: number;
  includeUsage: boolean;
}

/** What every `chat.completion.chunk` of one response repeats. */
function chunkHead(ctx: ChunkContext) {
  return { id: ctx.id, object: 'chat.completion.chunk' as const, created: ctx.created, model: ctx.model, system_fingerprint: null };
}

/** One streamed chunk; `usage: null` on every chunk but the last when the client asked for usage. */
export function chunk(
  ctx: ChunkContext,
  delta: { role?: 'assistant'; content?: string; tool_calls?: unknown[] },
  finishReason: 'stop' | 'tool_calls' | null,
  fugu: FuguSummary,
) {
  return {
    ...chunkHead(ctx),
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(ctx.includeUsage ? { usage: null } : {}),
    fugu,
  };
}

/** The extra last chunk of `stream_options.include_usage`: no choices, the run's usage. */
export function usageChunk(ctx: ChunkContext, { trace, usage }: Answer) {
  return {
    ...chunkHead(ctx),
    choices: [],
    usage: usageOf(usage),
    fugu: summarize(trace),
  };
}
