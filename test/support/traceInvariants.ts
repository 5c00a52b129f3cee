// What every finished trace must satisfy, whatever went wrong on the way.
import assert from 'node:assert/strict';
import type { TraceDocument } from '../../src/core/trace/types';

const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'budget_exceeded']);
const STEP_FINAL = new Set(['succeeded', 'failed', 'cancelled', 'skipped']);

export function assertFinishedTrace(trace: TraceDocument): void {
  assert.equal(trace.version, 1);
  assert.ok(FINAL.has(trace.status), `run status ${trace.status}`);
  if (trace.status === 'succeeded') assert.equal(trace.error, null);
  else assert.ok(typeof trace.error === 'string' && trace.error.length > 0, `a ${trace.status} run says why`);
  for (const r of trace.rounds) {
    assert.ok(r, 'no hole in rounds[]');
    for (const s of r.steps) {
      const where = `round ${r.index} step ${s.index} (${s.worker})`;
      assert.ok(STEP_FINAL.has(s.status), `${where} ended '${s.status}'`);
      assert.ok(s.startMs === null || typeof s.startMs === 'number', where);
      if (s.status !== 'skipped') assert.ok(s.startMs !== null && s.endMs !== null, `${where} ${s.status} has times`);
      if (s.startMs !== null) assert.ok(s.endMs !== null && s.endMs >= s.startMs, `${where} ends after it starts`);
    }
  }
}
