// The server's status code for a finished run comes from its error kind, never from its sentence.
import assert from 'node:assert/strict';
import { runOutcomeError } from '../../../../src/cli/serve/runOutcome';
import { emptyTrace } from '../../../../src/core/trace/reduce';
import type { ErrorKind, RunStatus, TraceDocument } from '../../../../src/core/trace/types';

function finished(status: RunStatus, errorKind: ErrorKind | null, policy = 'builtin'): TraceDocument {
  // The sentence says "policy failed" on purpose: only the kind may decide.
  return { ...emptyTrace(), status, errorKind, policy, error: status === 'succeeded' ? null : 'The policy failed: something.' };
}

describe('runOutcomeError', () => {
  it('a succeeded run is no error', () => {
    assert.equal(runOutcomeError(finished('succeeded', null), null, 1000), null);
  });

  it('maps each kind to its status code', () => {
    const cases: [RunStatus, ErrorKind, number][] = [
      ['failed', 'auth', 502], ['failed', 'rate_limit', 502], ['failed', 'timeout', 502], ['failed', 'network', 502],
      ['failed', 'bad_request', 502], ['failed', 'provider', 502], ['budget_exceeded', 'budget', 402],
      ['failed', 'policy', 500], ['failed', 'edits', 500], ['failed', 'check', 500], ['failed', 'internal', 500],
      ['cancelled', 'cancelled', 500],
    ];
    for (const [status, kind, code] of cases) assert.equal(runOutcomeError(finished(status, kind), null, 1000)?.status, code, kind);
  });

  it('a policy whose model call failed is a provider failure (502); one that failed on its own is ours (500)', () => {
    assert.equal(runOutcomeError(finished('failed', 'auth', 'conductor'), null, 1000)?.status, 502);
    assert.equal(runOutcomeError(finished('failed', 'policy', 'conductor'), null, 1000)?.status, 500);
  });

  it('a cancel says why it happened: the request timeout (504) or a shutdown (503)', () => {
    assert.equal(runOutcomeError(finished('cancelled', 'cancelled'), 'timeout', 1000)?.status, 504);
    assert.equal(runOutcomeError(finished('cancelled', 'cancelled'), 'shutdown', 1000)?.status, 503);
  });
});
