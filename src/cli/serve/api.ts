// One wire format of `fugu serve` (Chat Completions, Responses, Anthropic Messages): how its request
// becomes a conversation, and how a finished run (or a live one) is written back in its shape.
import type http from 'node:http';
import type { AnswerWriter } from '../../core/finalTextStream';
import type { TraceDocument } from '../../core/trace/types';
import type { ToolCall, Usage } from '../../core/workers/types';
import type { AgentRequest } from './agentRequest';
import type { ApiError } from './apiError';

/** A run that finished well: its trace, the answer's text and the client tools it called. */
export interface Answer {
  /** This response's own id (a trace continued over several requests answers each under a new id). */
  id: string;
  trace: TraceDocument;
  text: string;
  toolCalls: ToolCall[];
  /** Tokens of this request alone (a continued trace's totals also count its earlier turns). */
  usage: Usage;
  /** Streamed answers: how much of `text` was written before the first call; the rest followed the calls. */
  textBeforeCalls?: number;
}

/**
 * Writes one streamed answer as server-sent events, after the status line and headers were sent.
 * FinalTextStream decides what to write and when: text, then calls one after another (each call's
 * arguments before the next call begins), then any text that came after a call began.
 */
export interface AnswerStream extends Required<AnswerWriter> {
  /** The opening events, once the run's trace id is known. */
  start(traceId: string): void;
  /** The closing events and the end of the response; everything of `answer` was written before. */
  finish(answer: Answer): void;
  /** An error after the stream began: the format's error event, then the end. */
  fail(err: ApiError, trace: TraceDocument): void;
}

export interface ApiFormat<R extends AgentRequest = AgentRequest> {
  /** 'openai' errors are {error: {message, type, param, code}}; 'anthropic' ones {type: 'error', error: {type, message}}. */
  errorStyle: 'openai' | 'anthropic';
  /** May look up what the body refers to (kept responses) before checking it. */
  parse(body: unknown): R | Promise<R>;
  /** The non-streaming reply. */
  json(request: R, answer: Answer, created: number): unknown;
  /** `id`: this response's own id, as `Answer.id`. */
  stream(request: R, res: http.ServerResponse, id: string, created: number): AnswerStream;
  /** Called once the answer is known, before it is sent (e.g. to keep it for previous_response_id). */
  answered?(request: R, answer: Answer): void | Promise<void>;
}

/** One server-sent event; `event:` lines only for formats that name their events. */
export function sse(res: http.ServerResponse, data: unknown, event?: string): void {
  if (res.destroyed) return;
  res.write(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
}
