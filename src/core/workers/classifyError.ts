// Turns whatever an SDK threw into a kind, an HTTP status, the provider's own message and a wait hint.
// The three SDKs fail differently (Stainless APIError with status/headers, Google ApiError whose message
// is the JSON body, undici TypeErrors, DOM AbortErrors); this is the one place that knows them.
import { retryAfterFromGoogleBody, retryAfterFromHeaders } from './retryDelay';
import type { WorkerErrorKind } from './types';

export interface Failure {
  kind: WorkerErrorKind;
  status?: number;
  /** The provider's error message (or the exception's), unscrubbed. */
  providerMessage: string;
  retryAfterMs?: number;
  /** True when the failure came from a stream event rather than an HTTP status. */
  inStream?: boolean;
}

export function kindForStatus(status: number, body = ''): WorkerErrorKind {
  if (status === 401 || status === 403) return 'auth';
  // Gemini answers a bad key with 400 API_KEY_INVALID.
  if (status === 400 && /API_KEY_INVALID|API key not valid/i.test(body)) return 'auth';
  if (status === 429) return 'rate_limit';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server';
  return 'bad_request';
}

export function classifyError(e: unknown): Failure {
  const err = e as { name?: string; message?: string; status?: unknown; headers?: unknown; error?: unknown; cause?: unknown };
  const name = typeof err?.name === 'string' ? err.name : '';
  const message = typeof err?.message === 'string' ? err.message : String(e);

  if (name === 'APIConnectionTimeoutError') return { kind: 'timeout', providerMessage: message };
  if (name === 'APIUserAbortError' || name === 'AbortError') return { kind: 'cancelled', providerMessage: message };
  if (name === 'APIConnectionError') return { kind: 'network', providerMessage: causeChain(e) };

  if (typeof err?.status === 'number') {
    const status = err.status;
    const google = name === 'ApiError';
    const providerMessage = google ? googleMessage(message) : stainlessMessage(err.error) || message;
    const retryAfterMs = google ? retryAfterFromGoogleBody(message) : headerWait(err.headers);
    return { kind: kindForStatus(status, message), status, providerMessage, retryAfterMs };
  }

  // Stainless SDKs raise an APIError without status for an error event inside a 200 stream.
  if (/APIError$/.test(name) || name === 'Error' && err.error && typeof err.error === 'object') {
    const type = errorType(err.error);
    const providerMessage = stainlessMessage(err.error) || message;
    if (type === 'overloaded_error' || type === 'api_error' || type === 'server_error') return { kind: 'server', providerMessage, inStream: true };
    if (type === 'rate_limit_error') return { kind: 'rate_limit', providerMessage, inStream: true };
    if (type) return { kind: 'bad_response', providerMessage, inStream: true };
  }

  if (e instanceof SyntaxError || /JSON|Unexpected token|Unexpected end|parsing stream chunk|Incomplete JSON/i.test(message)) {
    return { kind: 'bad_response', providerMessage: message };
  }
  if (isNetwork(e)) return { kind: 'network', providerMessage: causeChain(e) };
  return { kind: 'bad_response', providerMessage: causeChain(e) };
}

function isNetwork(e: unknown): boolean {
  const text = causeChain(e);
  return /terminated|fetch failed|socket|ECONN|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|network|other side closed/i.test(text);
}

/** "TypeError: terminated <- SocketError: other side closed" */
export function causeChain(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let i = 0; cur && i < 4; i++) {
    const c = cur as { name?: string; message?: string; code?: string; cause?: unknown };
    parts.push(`${c.name ?? 'Error'}: ${c.message ?? String(cur)}${c.code ? ` (${c.code})` : ''}`);
    cur = c.cause;
  }
  return parts.join(' <- ');
}

function headerWait(headers: unknown): number | undefined {
  const h = headers as { get?: (n: string) => string | null } | undefined;
  if (!h || typeof h.get !== 'function') return undefined;
  return retryAfterFromHeaders((n) => h.get!(n));
}

function errorType(body: unknown): string | undefined {
  const b = body as { type?: unknown; error?: { type?: unknown } } | undefined;
  const t = b?.error?.type ?? b?.type;
  return typeof t === 'string' && t !== 'error' ? t : undefined;
}

function stainlessMessage(body: unknown): string {
  const b = body as { message?: unknown; error?: { message?: unknown } } | undefined;
  const m = b?.error?.message ?? b?.message;
  return typeof m === 'string' ? m : '';
}

function googleMessage(json: string): string {
  try {
    const m = JSON.parse(json)?.error?.message;
    if (typeof m === 'string') return m;
  } catch {
    // Not JSON: the SDK used the text body.
  }
  return json;
}
