// What a finished run means for the HTTP client: nothing (it succeeded) or an ApiError.
import type { TraceDocument } from '../../core/trace/types';
import { errors, type ApiError } from './apiError';

export type CancelCause = 'timeout' | 'shutdown' | 'client' | null;

export function runOutcomeError(trace: TraceDocument, cause: CancelCause, timeoutMs: number): ApiError | null {
  const why = trace.error ?? 'no reason was given';
  switch (trace.status) {
    case 'succeeded':
      return null;
    case 'budget_exceeded':
      return errors.overBudget(`The run stopped at its budget: ${why}`);
    case 'cancelled':
      if (cause === 'timeout') return errors.timeout(timeoutMs);
      if (cause === 'shutdown') return errors.shuttingDown();
      return errors.internal(`The run was cancelled: ${why}`);
    case 'failed': {
      // A failed step means a provider failed (after the worker's own retries), and so does a
      // remote policy that threw; an invalid workflow from the builtin policy is this server's fault.
      const stepFailed = trace.rounds.some((r) => r.steps.some((s) => s.status === 'failed'));
      const remotePolicy = trace.policy !== 'builtin' && why.startsWith('The policy failed');
      return stepFailed || remotePolicy ? errors.provider(why) : errors.internal(why);
    }
    default:
      return errors.internal(`The run ended in an unexpected state (${trace.status}).`);
  }
}
