// How long to wait before retrying: what the server asked for, else exponential backoff.

/** Reads `retry-after-ms`, then `retry-after` (seconds or an HTTP date). Undefined when absent or unreadable. */
export function retryAfterFromHeaders(get: (name: string) => string | null | undefined, now = Date.now()): number | undefined {
  const ms = Number(get('retry-after-ms'));
  if (get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const raw = get('retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Gemini puts the wait in the error body: `{"@type": "...RetryInfo", "retryDelay": "37s"}`. */
export function retryAfterFromGoogleBody(body: string): number | undefined {
  const m = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(body);
  return m ? Number(m[1]) * 1000 : undefined;
}

export function backoffMs(retry: number, baseMs: number, random = Math.random): number {
  const exp = baseMs * 2 ** (retry - 1);
  return Math.round(exp * (0.8 + 0.4 * random()));
}
