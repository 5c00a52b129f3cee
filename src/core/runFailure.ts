// How a run that did not succeed says so: a status, one sentence for people, and a kind for code.
import type { ErrorKind, RunStatus } from './trace/types';
import { WorkerError, type WorkerErrorKind } from './workers/types';

export interface RunFailure {
  status: Exclude<RunStatus, 'running' | 'succeeded'>;
  /** One sentence for the user; it names no editor command (each front end adds its own). */
  error: string;
  kind: ErrorKind;
}

/** The one mapping from a worker's failure to the run's error kind. */
export function errorKindOfWorker(kind: WorkerErrorKind): ErrorKind {
  switch (kind) {
    case 'auth':
    case 'rate_limit':
    case 'timeout':
    case 'network':
    case 'bad_request':
    case 'cancelled':
      return kind;
    case 'incomplete': // the stream ended before the provider's end marker: a cut connection
      return 'network';
    case 'server':
    case 'bad_response':
      return 'provider';
  }
}

/** The kind of an error thrown by a worker or on a worker's behalf (anything else: `otherwise`). */
export function errorKindOf(err: unknown, otherwise: ErrorKind): ErrorKind {
  return err instanceof WorkerError ? errorKindOfWorker(err.kind) : otherwise;
}

export const cancelled: RunFailure = { status: 'cancelled', error: 'The run was cancelled.', kind: 'cancelled' };

export function budgetFailure(error: string): RunFailure {
  return { status: 'budget_exceeded', error, kind: 'budget' };
}
