import assert from 'node:assert/strict';
import { checkReport, checkVerdict, firstFailingLine } from '../../../../src/core/check/checkReport';
import type { TraceCheck } from '../../../../src/core/trace/types';

const failed = (baseline: TraceCheck['baseline']): TraceCheck => ({
  command: 'npm test --silent', outcome: 'failed', passed: false, exitCode: 1, durationMs: 900, reason: null,
  outputTail: 'TAP version 13\n✖ sum adds (1.2ms)\n  AssertionError: -1 !== 5\n# fail 1\n', baseline,
});

describe('check reports', () => {
  it('the first failing line is the first line that looks like a failure, from node, pytest or unittest', () => {
    assert.equal(firstFailingLine('TAP version 13\n✖ sum adds (1.2ms)\n  AssertionError: x\n'), '✖ sum adds (1.2ms)');
    assert.equal(firstFailingLine('....F\n======\nFAIL: test_double (tests.test_calc.T)\n'), 'FAIL: test_double (tests.test_calc.T)');
    assert.equal(firstFailingLine('collected 3 items\n\ntests/test_a.py F..\nFAILED tests/test_a.py::test_x - assert 1 == 2\n'), 'FAILED tests/test_a.py::test_x - assert 1 == 2');
    assert.equal(firstFailingLine('all quiet\nexit status 2\n'), 'exit status 2', 'else the last line');
  });

  it('the verdict the user reads names the command, the rounds and an old failure', () => {
    const base = { command: 'npm test --silent', outputTail: '✖ sum adds\n', reason: null, baselineExitCode: 0 };
    assert.equal(checkVerdict({ ...base, outcome: 'passed', rounds: 0 }), 'Checks pass (npm test --silent)');
    assert.equal(checkVerdict({ ...base, outcome: 'failed', rounds: 1 }), 'Checks still fail after 1 corrective round: ✖ sum adds');
    assert.equal(checkVerdict({ ...base, outcome: 'failed', rounds: 0, baselineExitCode: 1 }), 'Checks fail (they failed before the edits too): ✖ sum adds');
    assert.match(checkVerdict({ ...base, outcome: 'timeout', rounds: 0, reason: 'The check did not finish within 300 s and was stopped.' }), /^Edits unverified: The check did not finish/);
  });

  it("the model's report puts the baseline beside the failure", () => {
    assert.match(checkReport(failed({ outcome: 'passed', exitCode: 0, durationMs: 800, outputTail: '# pass 1', reason: null })), /the same check passed, so these failures come from the edits/);
    const old = checkReport(failed({ outcome: 'failed', exitCode: 1, durationMs: 800, outputTail: '✖ an old test', reason: null }));
    assert.match(old, /already failed \(exit 1\)/);
    assert.match(old, /✖ an old test/);
    assert.match(old, /Output \(tail\):\nTAP version 13\n✖ sum adds/);
  });
});
