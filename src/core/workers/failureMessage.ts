// The user-facing sentence for each kind of failure: who failed, what happened, what to do.
// It names no editor command: each front end adds its own way to set a key (a button, a flag).
import type { Provider, WorkerErrorKind } from './types';

export interface FailureContext {
  workerId: string;
  provider: Provider;
  model: string;
  kind: WorkerErrorKind;
  status?: number;
  /** Already scrubbed. */
  providerMessage: string;
  retries: number;
  keyEnv?: string;
  baseUrl?: string;
  timeoutMs: number;
  partialChars: number;
}

export function failureMessage(c: FailureContext): string {
  const who = `Worker '${c.workerId}' (${c.provider})`;
  const http = c.status ? `HTTP ${c.status}` : '';
  const after = c.retries ? ` after ${c.retries} ${c.retries === 1 ? 'retry' : 'retries'}` : '';
  const keyHint = c.keyEnv ? `check ${c.keyEnv}` : `check the key for ${c.baseUrl ?? 'this server'}`;
  const where = c.baseUrl ?? `the ${c.provider} API`;
  switch (c.kind) {
    case 'auth':
      return c.status === 403
        ? `${who} was refused access to model '${c.model}' (HTTP 403): ${keyHint}, and check that the key may use this model.`
        : `${who} rejected the API key (${http || 'auth'}): ${keyHint}.`;
    case 'rate_limit':
      return `${who} was rate-limited (${http || 'rate limit'})${after}: wait a minute, or run fewer steps in parallel.`;
    case 'server':
      return `${who} got a server error (${http || 'overloaded'})${after}: the provider may be overloaded; try again later.`;
    case 'bad_request':
      return c.status === 404
        ? `${who} does not know model '${c.model}' (HTTP 404): check the model name in the worker settings.`
        : `${who} rejected the request (${http}: ${shorten(c.providerMessage)}): check the model name and worker settings.`;
    case 'timeout':
      return `${who} sent nothing for ${c.timeoutMs < 1000 ? `${c.timeoutMs} ms` : `${Math.round(c.timeoutMs / 1000)} s`}${c.partialChars ? ' in the middle of its answer' : ''}: try again, or raise the timeout setting.`;
    case 'cancelled':
      return `${who} was cancelled.`;
    case 'network':
      return c.partialChars
        ? `${who} lost the connection mid-answer after ${c.partialChars} characters${after}: try again.`
        : `${who} could not reach ${where}${after}: check the network and the base URL.`;
    case 'incomplete':
      return `${who} stopped without the provider's end-of-answer marker, so its ${c.partialChars}-character answer may be truncated: try again.`;
    case 'bad_response':
      return `${who} sent a response that could not be read: try again, and check that the base URL points at a compatible server.`;
  }
}

function shorten(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 160 ? `${one.slice(0, 157)}...` : one || 'no message';
}
