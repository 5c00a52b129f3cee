import assert from 'node:assert/strict';
import { UNDO_WINDOW_MS, checkReward, editReward, outcomeOf, undoReward } from '../../../../../src/core/policies/learned/rewards';
import type { CheckOutcome, LearnedRecord, TraceDocument } from '../../../../../src/core/trace/types';

const finalWith = (outcome: CheckOutcome | null) => ({
  final: { text: '', edits: [], check: outcome === null ? null : { command: 'npm test', outcome, passed: outcome === 'passed', exitCode: 0, baselineExitCode: 0, outputTail: '', reason: null, rounds: 0 } },
});

describe('learned rewards', () => {
  it('a verified run: passed 1, failed 0; a timeout, could-not-run, cancel or no check teaches nothing', () => {
    assert.equal(checkReward(finalWith('passed')), 1);
    assert.equal(checkReward(finalWith('failed')), 0);
    for (const o of ['timeout', 'could-not-run', 'cancelled'] as CheckOutcome[]) assert.equal(checkReward(finalWith(o)), null, o);
    assert.equal(checkReward(finalWith(null)), null);
  });

  it('the editor: all accepted 1, all rejected 0, a mix the accepted fraction, nothing decided nothing', () => {
    assert.equal(editReward(3, 0), 1);
    assert.equal(editReward(0, 2), 0);
    assert.equal(editReward(1, 3), 0.25);
    assert.equal(editReward(0, 0), null);
  });

  it('Undo within two minutes of accepting is a reject; later it is not', () => {
    assert.equal(undoReward(1000, 1000 + UNDO_WINDOW_MS), 0);
    assert.equal(undoReward(1000, 1001 + UNDO_WINDOW_MS), null);
  });

  it('an outcome carries the features and pick the trace kept, and the run cost and time; none for another policy', () => {
    const learned: LearnedRecord = { pick: 'single(gpt)', builtin: 'single(gpt)', explored: false, outcomes: 0, features: [3, 4352], candidates: [] };
    const policy = { backend: 'learned', rawAnswers: [], rejections: [], fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, learned };
    const trace = { rounds: [{ policy }], costUsd: 0.02, wallMs: 3000 } as unknown as TraceDocument;
    assert.deepEqual(outcomeOf(trace, 1), { f: [3, 4352], c: 'single(gpt)', r: 1, cost: 0.02, ms: 3000 });
    const other = { rounds: [{ policy: { ...policy, learned: undefined } }], costUsd: 0, wallMs: 0 } as unknown as TraceDocument;
    assert.equal(outcomeOf(other, 1), null);
  });
});
