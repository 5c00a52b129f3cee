import type { RunOptions } from '../runTypes';
import { CheckSession } from './checkSession';
import { sweepStaleCopies } from './scratchCopy';

/**
 * The run's checks, started with the run: the scratch copy and the baseline, in parallel with the
 * models. `skipped` says why there are none, for a round note.
 */
export function startChecks(opts: RunOptions, signal: AbortSignal): { session: CheckSession | null; skipped: string | null } {
  const req = opts.check;
  if (!req) return { session: null, skipped: null };
  if ('skipped' in req) return { session: null, skipped: req.skipped };
  if (!opts.workspace) return { session: null, skipped: 'the run has no workspace.' };
  // Copies a crashed run left behind go first; it never holds up this run.
  void sweepStaleCopies(req.tmpRoot).catch(() => undefined);
  return { session: new CheckSession(opts.workspace.root, req, signal), skipped: null };
}
