// The one retry loop, timeout and cancellation path every provider goes through, so a 429 or a hang
// looks the same in the trace whichever SDK was behind it. SDK retries are off (maxRetries: 0).
import { classifyError, type Failure } from './classifyError';
import { failureMessage } from './failureMessage';
import { backoffMs } from './retryDelay';
import { scrubSecrets } from './scrubSecrets';
import type { Provider, ToolCall, ToolCallDelta, Usage, WorkerOptions, WorkerRequest, WorkerResult } from './types';
import { WorkerError } from './types';

export interface AttemptContext {
  /** Aborted when the caller cancels or the idle timeout fires; pass it to the SDK. */
  signal: AbortSignal;
  /** Text for the caller; also proof of progress. */
  onDelta(text: string): void;
  /** A piece of a tool call for the caller (see ToolCallAssembler); output too, like text. */
  onToolCallDelta(d: ToolCallDelta): void;
  /** Any event from the server (keeps the idle timeout from firing). */
  onActivity(): void;
}

export interface AttemptOutcome {
  text: string;
  /** Complete tool calls, in the order the model made them. */
  toolCalls?: ToolCall[];
  usage?: Usage;
  /** Normalised ('stop', 'length', 'content_filter', or the provider's own word). */
  finishReason?: string;
  /** The provider's end-of-answer marker arrived. */
  finished: boolean;
  /** Provider counters beyond input/output tokens (e.g. orchestration tokens). */
  extraUsage?: Record<string, number>;
}

export type Attempt = (req: WorkerRequest, ctx: AttemptContext) => Promise<AttemptOutcome>;

export interface WorkerIdentity {
  id: string;
  provider: Provider;
  model: string;
  keyEnv?: string;
  baseUrl?: string;
}

const RETRYABLE = new Set(['rate_limit', 'server', 'network']);

/** Thrown inside an attempt when the stream ended cleanly but without its finish marker. */
class IncompleteStream extends Error {}

export async function runAttempts(who: WorkerIdentity, opts: WorkerOptions, req: WorkerRequest, attempt: Attempt): Promise<WorkerResult> {
  const caller = req.signal;
  const maxDelay = opts.maxRetryDelayMs ?? 30_000;
  let retries = 0;
  for (;;) {
    if (caller?.aborted) throw toError(who, opts, { kind: 'cancelled', providerMessage: 'cancelled before the call' }, '', retries);
    const ctl = new AbortController();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        ctl.abort(new Error('timeout'));
      }, opts.timeoutMs);
    };
    const onCallerAbort = () => ctl.abort(caller?.reason);
    caller?.addEventListener('abort', onCallerAbort, { once: true });
    // The SDKs may resolve quietly or linger after an abort; this settles the call the moment it happens.
    const aborted = new Promise<never>((_, reject) => ctl.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
    aborted.catch(() => undefined);
    let streamed = '';
    // Output the caller has seen (text or a piece of a tool call): from then on, no retry.
    let reached = false;
    arm();
    try {
      const running = attempt(req, {
        signal: ctl.signal,
        onDelta: (t) => {
          if (!t || ctl.signal.aborted) return;
          streamed += t;
          reached = true;
          arm();
          req.onDelta?.(t);
        },
        onToolCallDelta: (d) => {
          if (ctl.signal.aborted) return;
          reached = true;
          arm();
          req.onToolCallDelta?.(d);
        },
        onActivity: () => {
          if (!ctl.signal.aborted) arm();
        },
      });
      running.catch(() => undefined);
      const out = await Promise.race([running, aborted]);
      if (ctl.signal.aborted) throw new Error('aborted');
      if (!out.finished) throw new IncompleteStream();
      const toolCalls = out.toolCalls ?? [];
      return {
        text: out.text,
        toolCalls,
        usage: out.usage ?? estimateUsage(req, out.text + toolCalls.map((c) => c.name + c.arguments).join('')),
        usageEstimated: out.usage ? undefined : true,
        finishReason: toolCalls.length ? 'tool_calls' : (out.finishReason ?? 'stop'),
        retries,
        ...(out.extraUsage && Object.keys(out.extraUsage).length ? { extraUsage: out.extraUsage } : {}),
      };
    } catch (e) {
      const failure: Failure = caller?.aborted
        ? { kind: 'cancelled', providerMessage: 'cancelled by the caller' }
        : timedOut
          ? { kind: 'timeout', providerMessage: `no data for ${opts.timeoutMs} ms` }
          : e instanceof IncompleteStream
            ? { kind: 'incomplete', providerMessage: 'stream ended without a finish marker' }
            : classifyError(e);
      // Retry only before the caller has seen any output, so nothing needs undoing.
      if (RETRYABLE.has(failure.kind) && !reached && retries < opts.maxRetries) {
        retries++;
        const wait = Math.min(failure.retryAfterMs ?? backoffMs(retries, opts.retryBaseMs ?? 500), maxDelay);
        req.onRetry?.({ attempt: retries, delayMs: wait, reason: failure.status ? `HTTP ${failure.status}` : failure.kind });
        if (!(await sleep(wait, caller))) throw toError(who, opts, { kind: 'cancelled', providerMessage: 'cancelled while waiting to retry' }, '', retries);
        continue;
      }
      throw toError(who, opts, failure, streamed, retries, e);
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    }
  }
}

function toError(who: WorkerIdentity, opts: WorkerOptions, f: Failure, partial: string, retries: number, cause?: unknown): WorkerError {
  const providerMessage = scrubSecrets(f.providerMessage, opts.apiKey);
  const message = failureMessage({
    workerId: who.id,
    provider: who.provider,
    model: who.model,
    kind: f.kind,
    status: f.status,
    providerMessage,
    retries,
    keyEnv: who.keyEnv,
    baseUrl: who.baseUrl,
    timeoutMs: opts.timeoutMs,
    partialChars: partial.length,
  });
  const detail = [
    `${who.provider} ${who.model}`,
    f.status ? `HTTP ${f.status}` : '',
    `kind=${f.kind}`,
    retries ? `retries=${retries}` : '',
    providerMessage,
    f.inStream ? '(error event inside the stream)' : '',
  ]
    .filter(Boolean)
    .join('; ');
  const err = new WorkerError(who.id, f.kind, scrubSecrets(message, opts.apiKey), detail, f.status, partial, retries);
  if (cause !== undefined) Object.defineProperty(err, 'cause', { value: scrubbedCause(cause, opts.apiKey), enumerable: false });
  return err;
}

/** Keeps the cause's name and message for debugging without dragging request headers along. */
function scrubbedCause(e: unknown, key: string): Error {
  const c = e as { name?: string; message?: string };
  const out = new Error(scrubSecrets(String(c?.message ?? e), key));
  out.name = String(c?.name ?? 'Error');
  return out;
}

/** ~4 characters a token; used only when the server reports no usage. */
export function estimateUsage(req: WorkerRequest, output: string): Usage {
  const chars = (req.system?.length ?? 0) + req.messages.reduce((n, m) => n + m.content.length, 0);
  return { inputTokens: Math.ceil(chars / 4), outputTokens: Math.ceil(output.length / 4) };
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(t);
      signal?.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = () => done(false);
    const t = setTimeout(() => done(true), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
