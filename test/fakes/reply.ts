// What a fake server can be told to answer, and the builders tests use to say it.

export interface FakeUsage {
  inputTokens: number;
  outputTokens: number;
  /** More usage fields, sent as they are (OpenAI format only), e.g. hosted Fugu's orchestration counts. */
  extra?: Record<string, unknown>;
}

/** A normal answer, optionally streamed slowly or broken on purpose. */
export interface TextReply {
  kind: 'text';
  text: string;
  /** Split into this many pieces, or exactly these pieces. Default: one piece per word. */
  tokens?: number | string[];
  /** Delay between streamed pieces. */
  tokenDelayMs?: number;
  /** Delay before the first byte of the response (headers included). */
  firstTokenDelayMs?: number;
  /** Override the reported usage; by default input ~ prompt chars / 4, output = pieces streamed. */
  usage?: Partial<FakeUsage>;
  /** Provider-native finish reason (e.g. 'length', 'max_tokens', 'MAX_TOKENS'). */
  finishReason?: string;
  /** Send no usage at all (like some OpenAI-compatible servers). */
  omitUsage?: boolean;
  /** Destroy the socket after this many text pieces (a stream cut mid-way). */
  cutAfter?: number;
  /** End the response cleanly after the text but without the provider's finish marker. */
  noFinish?: boolean;
  /** Stop sending after this many pieces and keep the connection open (a stalled stream). */
  stallAfter?: number;
}

/** An HTTP error in the provider's own error format. */
export interface StatusReply {
  kind: 'status';
  status: number;
  message?: string;
  /** Sent as the Retry-After header: seconds, or an HTTP date string. */
  retryAfter?: number | string;
  /** Sent as the retry-after-ms header (OpenAI and Anthropic SDKs read it). */
  retryAfterMs?: number;
  /** Replace the provider-format error body with this JSON value. */
  body?: unknown;
}

/** A 200 whose body is not valid JSON (for streams: a data line that is not JSON, after some good pieces). */
export interface MalformedReply {
  kind: 'malformed';
  afterChunks?: number;
}

/** Accept the request and never answer. */
export interface HangReply {
  kind: 'hang';
}

/** A call the fake model makes; `arguments` is sent as JSON text (objects are stringified). */
export interface FakeToolCall {
  id?: string;
  name: string;
  arguments?: string | Record<string, unknown>;
}

/** An answer that calls tools (streamed in the provider's own tool-call format), optionally after some text. */
export interface ToolCallsReply {
  kind: 'tools';
  calls: FakeToolCall[];
  text?: string;
  /** Text written after the calls, in the same answer (OpenAI format only: content deltas after the tool_calls ones). */
  textAfter?: string;
  /** Split each call's arguments into this many streamed pieces (default 3). */
  argumentPieces?: number;
  tokenDelayMs?: number;
  /**
   * The stream waits for this after the last call's arguments, before its finish marker (OpenAI and
   * Anthropic; Gemini sends each call with its finishReason). A test can hold the provider's answer
   * open until it saw what the client received so far.
   */
  holdEnd?: Promise<unknown>;
  /** Destroy the socket there instead (a stream cut after the calls were written, before their finish). */
  cutAtEnd?: boolean;
}

export type Reply = TextReply | StatusReply | MalformedReply | HangReply | ToolCallsReply;

export const reply = {
  text: (text: string, opts: Omit<TextReply, 'kind' | 'text'> = {}): TextReply => ({ kind: 'text', text, ...opts }),
  status: (status: number, opts: Omit<StatusReply, 'kind' | 'status'> = {}): StatusReply => ({ kind: 'status', status, ...opts }),
  rateLimited: (retryAfter?: number | string, opts: Omit<StatusReply, 'kind' | 'status' | 'retryAfter'> = {}): StatusReply => ({
    kind: 'status',
    status: 429,
    retryAfter,
    ...opts,
  }),
  malformed: (afterChunks = 0): MalformedReply => ({ kind: 'malformed', afterChunks }),
  hang: (): HangReply => ({ kind: 'hang' }),
  toolCalls: (calls: FakeToolCall[], opts: Omit<ToolCallsReply, 'kind' | 'calls'> = {}): ToolCallsReply => ({ kind: 'tools', calls, ...opts }),
  cut: (text: string, afterPieces: number, opts: Omit<TextReply, 'kind' | 'text' | 'cutAfter'> = {}): TextReply => ({
    kind: 'text',
    text,
    cutAfter: afterPieces,
    ...opts,
  }),
  noFinish: (text: string, opts: Omit<TextReply, 'kind' | 'text' | 'noFinish'> = {}): TextReply => ({
    kind: 'text',
    text,
    noFinish: true,
    ...opts,
  }),
  stall: (text: string, afterPieces: number, opts: Omit<TextReply, 'kind' | 'text' | 'stallAfter'> = {}): TextReply => ({
    kind: 'text',
    text,
    stallAfter: afterPieces,
    ...opts,
  }),
};

/** Splits a reply into the pieces that will be streamed. */
export function splitPieces(r: TextReply): string[] {
  if (Array.isArray(r.tokens)) return r.tokens;
  if (typeof r.tokens === 'number' && r.tokens > 0) {
    const n = Math.min(r.tokens, Math.max(1, r.text.length));
    const size = Math.ceil(r.text.length / n);
    const out: string[] = [];
    for (let i = 0; i < r.text.length; i += size) out.push(r.text.slice(i, i + size));
    return out.length ? out : [''];
  }
  const words = r.text.match(/\s*\S+\s*/g);
  return words && words.length ? words : [r.text];
}

/** Roughly what a tokenizer would count: 4 characters a token. */
export function estimateTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}

/** A tool call as the fake sends it: an id, and the arguments as JSON text. */
export function normalizeCall(c: FakeToolCall, i: number): { id: string; name: string; arguments: string } {
  const args = typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments ?? {});
  return { id: c.id ?? `call_fake_${i}_${c.name}`, name: c.name, arguments: args };
}

/** Splits text into `n` pieces (at least one). */
export function splitInto(text: string, n: number): string[] {
  if (!text) return [''];
  const size = Math.max(1, Math.ceil(text.length / Math.max(1, n)));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
