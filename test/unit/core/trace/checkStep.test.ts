import assert from 'node:assert/strict';
import { applyEvent, emptyTrace } from '../../../../src/core/trace/reduce';
import { parseTraceDocument, traceEventSchema } from '../../../../src/protocol/traceSchemas';
import { checkRun, wholeRun } from '../../../support/traceEvents';

describe('trace: the check step', () => {
  it('a check is a step of the round that made the edits: no model, no tokens, no cost, the baseline beside it', () => {
    const doc = checkRun().reduce((d, e) => applyEvent(d, e), emptyTrace());
    const steps = doc.rounds[0].steps;
    assert.deepEqual(steps.map((s) => s.provider), ['google', 'anthropic', 'openai', 'check']);
    const c = steps[3];
    assert.equal(c.status, 'failed');
    assert.equal(c.usage.inputTokens + c.usage.outputTokens, 0);
    assert.equal(c.costUsd, 0);
    assert.equal(c.output, '✖ sum adds (1ms)\n  AssertionError: -1 !== 5\nfail 1');
    assert.equal(c.check?.exitCode, 1);
    assert.equal(c.check?.baseline?.outcome, 'passed');
    assert.deepEqual(doc.final.check, {
      command: 'npm test --silent', outcome: 'failed', passed: false, exitCode: 1, baselineExitCode: 0,
      outputTail: '✖ sum adds (1ms)\n  AssertionError: -1 !== 5\nfail 1', reason: null, rounds: 0,
    });
    // The usage a check step adds to the run is none: the totals are the models' alone.
    assert.equal(doc.calls, 3);
  });

  it('every check event passes the protocol schema, and the finished document does too', () => {
    for (const e of checkRun()) assert.ok(traceEventSchema.safeParse(e).success, e.type);
    const doc = checkRun().reduce((d, e) => applyEvent(d, e), emptyTrace());
    const parsed = parseTraceDocument(JSON.parse(JSON.stringify(doc)));
    assert.ok(parsed.ok);
  });

  it('a run without a check has final.check null, and a trace stored before checks existed still loads', () => {
    const doc = wholeRun().reduce((d, e) => applyEvent(d, e), emptyTrace());
    assert.equal(doc.final.check, null);
    const old = JSON.parse(JSON.stringify(doc));
    delete old.final.check;
    const parsed = parseTraceDocument(old);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
  });

  it('a malformed check event is refused', () => {
    const bad = checkRun().find((e) => e.type === 'check-finished')!;
    const broken = JSON.parse(JSON.stringify(bad));
    broken.check.outcome = 'sort-of';
    assert.equal(traceEventSchema.safeParse(broken).success, false);
  });
});
