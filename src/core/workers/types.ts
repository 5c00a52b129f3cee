import type { WorkerConfig } from '../config';

// One interface over every provider. Workers are created per config and load their SDK on first call.

// 'vscode-lm' is VS Code's Language Model API: only the extension can create such a worker (see editorProviders.ts).
export type Provider = 'openai' | 'anthropic' | 'google' | 'openai-compatible' | 'vscode-lm';
export const PROVIDERS: readonly Provider[] = ['openai', 'anthropic', 'google', 'openai-compatible', 'vscode-lm'];

export type Role = 'planner' | 'coder' | 'reviewer' | 'any';

/** A tool the model may call; `parameters` is a JSON schema of an object. */
export interface ToolSpec {
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
}

/** A call the model made; `arguments` is JSON text, exactly as the model wrote it. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * A piece of a tool call as the provider streams it. `index` is the call's place in
 * `WorkerResult.toolCalls`; its first piece carries `id` and `name`; the pieces' `arguments`
 * joined are the call's final arguments.
 */
export interface ToolCallDelta {
  index: number;
  id?: string;
  name?: string;
  arguments: string;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** Structured output: any JSON object, or one matching a schema. */
export type ResponseFormat =
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict?: boolean; description?: string };

/** An image given with a user turn: a `data:` URL (base64) or an http(s) URL. */
export interface ImagePart {
  url: string;
}

/**
 * One turn. `content` is always the text, so every caller can measure and join it; the extras
 * carry what only some turns have: an assistant's tool calls, a tool result's call id, a user's images.
 */
export interface ChatMessage {
  role: 'user' | 'assistant' | 'tool';
  content: string;
  /** assistant: the calls this turn made (its text may be empty). */
  toolCalls?: ToolCall[];
  /** tool: the call this is the result of. */
  toolCallId?: string;
  /** user: images that follow the text. */
  images?: ImagePart[];
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface RetryInfo {
  attempt: number; // 1 for the first retry
  delayMs: number;
  reason: string; // e.g. "HTTP 429"
}

export interface WorkerRequest {
  system?: string;
  messages: ChatMessage[];
  signal?: AbortSignal;
  onDelta?: (text: string) => void;
  onRetry?: (info: RetryInfo) => void;
  maxOutputTokens?: number;
  /** Tools the model may call; its calls come back in `WorkerResult.toolCalls`. */
  tools?: ToolSpec[];
  /** Each piece of a tool call as it streams (counts as output: no retry after it). */
  onToolCallDelta?: (d: ToolCallDelta) => void;
  toolChoice?: ToolChoice;
  /** False asks for at most one call per turn (providers that cannot say it ignore it). */
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
}

export interface WorkerResult {
  text: string;
  /** The tool calls of this turn, in order (finishReason 'tool_calls'); empty when it only wrote text. */
  toolCalls: ToolCall[];
  usage: Usage;
  finishReason: string;
  retries: number;
  /** Provider-reported extra counters (e.g. hosted Fugu orchestration tokens). */
  extraUsage?: Record<string, number>;
  /** True when the server reported no usage and `usage` was estimated from characters (~4 per token). */
  usageEstimated?: boolean;
}

/** How a worker talks to its provider; the key is passed in, never read here. */
export interface WorkerOptions {
  apiKey: string;
  /** Nothing received for this long (no first byte, or a stalled stream) is a 'timeout'. */
  timeoutMs: number;
  /** Retries for 429, 5xx and connection failures, only before the first streamed text or tool call. */
  maxRetries: number;
  /** First backoff when the server gives no retry-after; doubles each retry. Default 500 ms. */
  retryBaseMs?: number;
  /** Longest wait between retries, whatever retry-after says. Default 30 s. */
  maxRetryDelayMs?: number;
}

/** Makes a worker for a provider the core cannot reach itself (the editor passes these in). */
export type WorkerFactory = (cfg: WorkerConfig, opts: WorkerOptions) => Worker;
export type WorkerFactories = Partial<Record<Provider, WorkerFactory>>;

export interface Worker {
  readonly id: string;
  readonly provider: Provider;
  readonly model: string;
  call(req: WorkerRequest): Promise<WorkerResult>;
}

export type WorkerErrorKind =
  | 'auth' // 401/403
  | 'rate_limit' // 429 after retries
  | 'server' // 5xx after retries
  | 'bad_request' // other 4xx
  | 'timeout'
  | 'cancelled'
  | 'network' // connection refused, reset, stream cut
  | 'incomplete' // stream ended without the provider's finish marker
  | 'bad_response'; // malformed JSON, unexpected shape

/** An error as a value with two faces: `message` is one sentence for the user, `detail` is for the log. */
export class WorkerError extends Error {
  constructor(
    readonly workerId: string,
    readonly kind: WorkerErrorKind,
    message: string,
    readonly detail = '',
    readonly status?: number,
    /** Text streamed before the failure; kept in the trace. */
    readonly partialText = '',
    readonly retries = 0,
  ) {
    super(message);
    this.name = 'WorkerError';
  }
}
