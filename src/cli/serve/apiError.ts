// Errors in OpenAI's shape ({"error": {message, type, param, code}}), with the HTTP status and
// headers that make OpenAI clients do the right thing (retry only what a retry can fix).
import type http from 'node:http';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly code: string | null = null,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  body(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }

  /** The same error in Anthropic's shape, for /v1/messages. */
  anthropicBody(): { type: 'error'; error: { type: string; message: string } } {
    return { type: 'error', error: { type: ANTHROPIC_TYPES[this.status] ?? (this.status >= 500 ? 'api_error' : 'invalid_request_error'), message: this.message } };
  }
}

const ANTHROPIC_TYPES: Record<number, string> = {
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  503: 'overloaded_error',
  504: 'timeout_error',
};

// The openai SDK retries 408/409/429/5xx unless told otherwise; rerunning a whole workflow that
// failed or ran out of budget would spend the user's money again for the same result.
const NO_RETRY = { 'x-should-retry': 'false' };

export const errors = {
  badJson: (detail: string) => new ApiError(400, `The request body is not valid JSON (${detail}).`, 'invalid_request_error', 'invalid_json'),
  invalid: (message: string, param: string | null) => new ApiError(400, message, 'invalid_request_error', 'invalid_value', param),
  missing: (param: string) => new ApiError(400, `Missing required parameter: '${param}'.`, 'invalid_request_error', 'missing_required_parameter', param),
  // Worded as both OpenAI ("maximum context length", code context_length_exceeded) and Anthropic ("prompt is too long") word it, so each client compacts.
  contextOverflow: (tokens: number, window: number, who: string, param: string) =>
    new ApiError(
      400,
      `prompt is too long: ${tokens} tokens > ${window} maximum. This model's maximum context length is ${window} tokens (${who}, which writes the answer), but the request has about ${tokens} tokens; compact or shorten the conversation.`,
      'invalid_request_error',
      'context_length_exceeded',
      param,
    ),
  unknownModel: (model: string, known: string[]) =>
    new ApiError(404, `The model '${model}' does not exist on this server; use one of: ${known.join(', ')}.`, 'invalid_request_error', 'model_not_found', 'model'),
  badPath: (segment: string) => new ApiError(400, `The path segment '${segment}' has malformed percent-encoding (each % must start a valid UTF-8 escape such as %2F).`, 'invalid_request_error', 'invalid_path'),
  notFound: (what: string) => new ApiError(404, `${what} was not found.`, 'invalid_request_error', 'not_found'),
  method: (method: string, path: string) => new ApiError(405, `${method} is not allowed on ${path}.`, 'invalid_request_error', 'method_not_allowed'),
  tooLarge: (limit: number) => new ApiError(413, `The request body is larger than ${limit} bytes.`, 'invalid_request_error', 'request_too_large'),
  mediaType: () => new ApiError(415, "Send the request body as JSON with 'content-type: application/json'.", 'invalid_request_error', 'unsupported_media_type'),
  unauthorized: () =>
    new ApiError(401, 'Missing or wrong token: send "Authorization: Bearer $FUGU_SERVER_TOKEN" (Anthropic clients: "x-api-key").', 'invalid_request_error', 'invalid_api_key', null, {
      'www-authenticate': 'Bearer',
    }),
  badHost: () => new ApiError(403, 'This server only answers requests addressed to a loopback host name.', 'invalid_request_error', 'forbidden_host'),
  busy: (limit: number, queued: number, retryAfterSeconds: number) =>
    new ApiError(429, `The server is running its limit of ${limit} concurrent requests with ${queued} more waiting; retry shortly.`, 'rate_limit_error', 'too_many_concurrent_runs', null, {
      'retry-after': String(retryAfterSeconds),
    }),
  overBudget: (message: string) => new ApiError(402, message, 'insufficient_quota', 'budget_exceeded', null, NO_RETRY),
  provider: (message: string) => new ApiError(502, message, 'server_error', 'provider_error', null, NO_RETRY),
  timeout: (ms: number) => new ApiError(504, `The run did not finish within the server's request timeout (${ms} ms) and was cancelled.`, 'server_error', 'timeout', null, NO_RETRY),
  shuttingDown: () => new ApiError(503, 'The server is shutting down; the run was cancelled.', 'server_error', 'shutting_down', null, { 'retry-after': '5' }),
  internal: (message: string) => new ApiError(500, message, 'server_error', 'internal_error', null, NO_RETRY),
};

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: http.ServerResponse, err: ApiError, headers: Record<string, string> = {}, style: 'openai' | 'anthropic' = 'openai'): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, err.status, style === 'anthropic' ? err.anthropicBody() : err.body(), { ...headers, ...err.headers });
}
