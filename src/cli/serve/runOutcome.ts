// What a finished run means for the HTTP client: nothing (it succeeded) or an ApiError, chosen by the
// run's error kind (never by the wording of its sentence).
import type { TraceDocument } from '../../core/trace/types';
import { errors, type ApiError } from './apiError';

export type CancelCause = 'timeout' | 'shutdown' | 'client' | null;

export function runOutcomeError(trace: TraceDocument, cause: CancelCause, timeoutMs: number): ApiError | null {
  if (trace.status === 'succeeded') return null;
  const why = trace.error ?? 'no reason was given';
  switch (trace.errorKind) {
    case 'budget':
      return errors.overBudget(`The run stopped at its budget: ${why}`);
    case 'cancelled':
      if (cause === 'timeout') return errors.timeout(timeoutMs);
      if (cause === 'shutdown') return errors.shuttingDown();
      return errors.internal(`The run was cancelled: ${why}`);
    // A provider failed after the worker's own retries (a step's call, or a policy's model call).
    case 'auth':
    case 'rate_limit':
    case 'timeout':
    case 'network':
    case 'bad_request':
    case 'provider':
      return errors.provider(why);
    // A policy that failed without a provider failing (an invalid workflow, a throw) is this server's bug.
    case 'policy':
    case 'edits':
    case 'check':
    case 'internal':
    case null:
      return errors.internal(trace.status === 'failed' ? why : `The run ended in an unexpected state (${trace.status}): ${why}`);
  }
}
