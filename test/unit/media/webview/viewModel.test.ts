import assert from 'node:assert/strict';
import type { TraceEvent } from '../../../../src/core/trace/types';
import { applyEvent, emptyTrace } from '../../../../src/core/trace/reduce';
import { TraceViewModel } from '../../../../media/webview/viewModel';
import { RUN_ID, runStart, wholeRun } from '../../../support/traceEvents';

function live(): TraceViewModel {
  const m = new TraceViewModel();
  m.start(RUN_ID);
  return m;
}

describe('trace view-model', () => {
  it('folds live events into the same document the core reducer builds', () => {
    const m = live();
    const events = wholeRun();
    assert.equal(m.applyBatch(RUN_ID, 0, events), 'applied');
    const expected = events.reduce((d, e) => applyEvent(d, e), emptyTrace());
    assert.deepEqual(m.doc, expected);
    assert.equal(m.seq, events.length);
    assert.equal(m.live, false, 'run-finished ends the live state');
  });

  it('accumulates streamed deltas in order and marks only that step changed', () => {
    const m = live();
    m.applyBatch(RUN_ID, 0, runStart());
    m.takeChanges();
    m.applyBatch(RUN_ID, 2, [
      { type: 'step-started', round: 0, index: 1, startMs: 5 },
      { type: 'step-delta', round: 0, index: 1, text: 'Hel' },
      { type: 'step-delta', round: 0, index: 1, text: 'lo ' },
    ]);
    m.applyBatch(RUN_ID, 5, [{ type: 'step-delta', round: 0, index: 1, text: 'world' }]);
    assert.equal(m.doc!.rounds[0].steps[1].output, 'Hello world');
    assert.equal(m.doc!.rounds[0].steps[0].output, '');
    const c = m.takeChanges();
    assert.deepEqual([...c.steps], ['0:1']);
    assert.equal(c.run, false, 'deltas must not force a whole repaint');
    assert.equal(m.takeChanges().steps.size, 0, 'changes are handed over once');
  });

  it('applies 10,000 deltas in well under a second', () => {
    const m = live();
    m.applyBatch(RUN_ID, 0, runStart());
    m.applyBatch(RUN_ID, 2, [{ type: 'step-started', round: 0, index: 2, startMs: 0 }]);
    const deltas: TraceEvent[] = Array.from({ length: 10_000 }, (_, i) => ({ type: 'step-delta', round: 0, index: 2, text: `token${i} ` }));
    const t0 = performance.now();
    // As the host sends them: batches of about a frame's worth.
    for (let i = 0; i < deltas.length; i += 100) m.applyBatch(RUN_ID, 3 + i, deltas.slice(i, i + 100));
    const ms = performance.now() - t0;
    console.log(`      10,000 deltas applied in ${ms.toFixed(1)} ms`);
    assert.ok(ms < 250, `took ${ms} ms`);
    const out = m.doc!.rounds[0].steps[2].output;
    assert.ok(out.startsWith('token0 token1 ') && out.endsWith('token9999 '));
    assert.equal(m.seq, 10_003);
  });

  it('skips events a snapshot already holds and reports a gap when some are missing', () => {
    const events = wholeRun();
    const snapshot = events.slice(0, 5).reduce((d, e) => applyEvent(d, e), emptyTrace());
    const m = new TraceViewModel();
    m.load({ doc: snapshot, seq: 5, live: true, reviewable: [] });
    // The host's batch started before the snapshot was taken: the overlap is skipped, not applied twice.
    assert.equal(m.applyBatch(RUN_ID, 3, events.slice(3, 7)), 'applied');
    assert.equal(m.doc!.rounds[0].steps[0].output, 'Plan A');
    assert.equal(m.seq, 7);
    assert.equal(m.applyBatch(RUN_ID, 3, events.slice(3, 7)), 'ignored');
    assert.equal(m.applyBatch(RUN_ID, 9, events.slice(9)), 'gap');
    assert.equal(m.applyBatch('other-run', 7, events.slice(7)), 'ignored');
  });

  it('shows a corrective round beside the first and keeps its note', () => {
    const m = live();
    m.applyBatch(RUN_ID, 0, wholeRun().slice(0, -2));
    m.takeChanges();
    const first = m.doc!.rounds[0];
    m.applyBatch(RUN_ID, m.seq, [
      { type: 'round-note', round: 0, note: 'reviewer asked for a fix' },
      { type: 'round-started', round: 1, kind: 'corrective', workflow: first.workflow, policy: first.policy, steps: [{ ...first.steps[2], status: 'pending', output: '' }] },
    ]);
    assert.equal(m.doc!.rounds.length, 2);
    assert.equal(m.doc!.rounds[1].kind, 'corrective');
    assert.equal(m.doc!.rounds[0].note, 'reviewer asked for a fix');
    assert.equal(m.takeChanges().run, true);
  });

  it('records retries on the step', () => {
    const m = live();
    const events = wholeRun();
    m.applyBatch(RUN_ID, 0, events.slice(0, 7));
    assert.equal(m.doc!.rounds[0].steps[1].retries, 1);
    assert.equal(m.doc!.rounds[0].steps[1].status, 'running');
  });

  it('toggles, selects, and forgets view state when another run loads', () => {
    const m = live();
    m.applyBatch(RUN_ID, 0, wholeRun());
    m.toggle('0:1');
    m.select('0:2');
    assert.ok(m.collapsed.has('0:1'));
    m.toggle('0:1');
    assert.ok(!m.collapsed.has('0:1'));
    m.toggle('0:0');
    const other = emptyTrace();
    other.id = 'run-2';
    m.load({ doc: other, seq: 0, live: false, reviewable: [] });
    assert.equal(m.collapsed.size, 0);
    assert.equal(m.selected, null);
  });

  it('keeps the history list and the review state of the shown run only', () => {
    const m = live();
    m.setHistory([{ id: RUN_ID, task: 't', createdAt: '', status: 'succeeded', calls: 3, costUsd: 0.03, wallMs: 1600 }]);
    assert.equal(m.takeChanges().history, true);
    m.setReview(RUN_ID, ['src/a.ts']);
    m.setReview('another', ['src/b.ts']);
    assert.deepEqual(m.reviewable, ['src/a.ts']);
    m.setHistory([]);
    assert.deepEqual(m.history, []);
  });

  it('the check question and its answer repaint the result; a check step added after the run repaints the run', () => {
    const m = live();
    m.applyBatch(RUN_ID, 0, wholeRun());
    m.takeChanges();
    const n = m.seq;
    m.applyBatch(RUN_ID, n, [{ type: 'check-asked', command: 'npm test', detected: 'package.json has a test script' }]);
    assert.equal(m.takeChanges().final, true);
    assert.deepEqual(m.doc?.final.checkQuestion, { command: 'npm test', detected: 'package.json has a test script', answer: null });
    m.applyBatch(RUN_ID, n + 1, [{ type: 'check-answered', answer: 'run' }]);
    assert.equal(m.takeChanges().final, true);
    assert.equal(m.doc?.final.checkQuestion?.answer, 'run');
    const step = { ...m.doc!.rounds[0].steps[0], index: m.doc!.rounds[0].steps.length, provider: 'check' as const, role: 'check' as const };
    m.applyBatch(RUN_ID, n + 2, [{ type: 'check-started', round: 0, step }]);
    assert.equal(m.takeChanges().run, true, 'the new step card is drawn');
  });

  it('knows "no run" only once the host answered, and keeps the demo task it offered', () => {
    const m = new TraceViewModel();
    assert.equal(m.loaded, false);
    m.loadState({ history: [], run: null, demoTask: 'Fix the discount' });
    assert.equal(m.loaded, true);
    assert.equal(m.doc, null);
    assert.equal(m.demoTask, 'Fix the discount');
  });
});
