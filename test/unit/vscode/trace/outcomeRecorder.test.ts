// Edit outcomes travel one way, review → trace → history, and each is recorded once.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEvent, emptyTrace } from '../../../../src/core/trace/reduce';
import type { TraceDocument, TraceEvent } from '../../../../src/core/trace/types';
import { appendToRun, OutcomeRecorder, type RecorderRun } from '../../../../src/vscode/trace/outcomeRecorder';
import { RunHistory } from '../../../../src/vscode/trace/runHistory';
import { RUN_ID, wholeRun } from '../../../support/traceEvents';

describe('edit outcomes reach the trace once', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fugu-outcomes-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** The trace view's current run, finished, with every event it was fed. */
  function currentRun(): { run: RecorderRun; events: TraceEvent[] } {
    const events: TraceEvent[] = [];
    const doc = wholeRun().reduce(applyEvent, emptyTrace());
    const run: RecorderRun = { doc, live: false, emit: (e) => (events.push(e), applyEvent(doc, e)) };
    return { run, events };
  }

  it('an applied file is one edits event, and saying it again records nothing more', async () => {
    const history = new RunHistory(dir, () => 10);
    const { run, events } = currentRun();
    let saves = 0;
    const recorder = new OutcomeRecorder(history, () => run, () => saves++);
    assert.equal(await recorder.record(RUN_ID, [{ path: 'src/a.ts', status: 'applied', reason: null }]), true);
    // A second report of the same decision (two listeners, a repeated click) changes nothing.
    assert.equal(await recorder.record(RUN_ID, [{ path: 'src/a.ts', status: 'applied', reason: null }]), false);
    assert.deepEqual(events.map((e) => e.type), ['edits']);
    assert.equal(saves, 1, 'history written once');
    assert.deepEqual(run.doc.final.edits.map((e) => [e.path, e.status]), [['src/a.ts', 'applied']]);
    assert.deepEqual((await history.get(RUN_ID))!.final.edits, run.doc.final.edits, 'history holds what the trace shows');
  });

  it('a run from history gets the outcome through the reducer and is saved again', async () => {
    const history = new RunHistory(dir, () => 10);
    const old: TraceDocument = wholeRun().reduce(applyEvent, emptyTrace());
    await history.save(old);
    const recorder = new OutcomeRecorder(history, () => null, () => {});
    assert.equal(await recorder.record(RUN_ID, [{ path: 'src/a.ts', status: 'rejected', reason: 'Rejected in review.' }]), true);
    const saved = (await history.get(RUN_ID))!;
    assert.deepEqual(saved.final.edits.map((e) => [e.status, e.reason]), [['rejected', 'Rejected in review.']]);
    assert.equal(await recorder.record('no-such-run', [{ path: 'src/a.ts', status: 'applied', reason: null }]), false);
  });

  it('a live run gets the event but history waits for the run to finish', async () => {
    const history = new RunHistory(dir, () => 10);
    const { run, events } = currentRun();
    run.live = true;
    const recorder = new OutcomeRecorder(history, () => run, () => assert.fail('saved while live'));
    await recorder.record(RUN_ID, [{ path: 'src/a.ts', status: 'failed', reason: 'src/a.ts changed since the run began and its blocks no longer apply: gone.' }]);
    assert.equal(events.length, 1);
    assert.equal(await history.get(RUN_ID), null);
  });

  it('a check answered after the run reaches its trace and its history, whether it is on screen or only saved', async () => {
    const history = new RunHistory(dir, () => 10);
    const { run, events } = currentRun();
    const asked: TraceEvent[] = [{ type: 'check-asked', command: 'npm test', detected: null }, { type: 'check-answered', answer: 'never' }];
    const list = await appendToRun(history, run, RUN_ID, asked);
    assert.deepEqual(events.map((e) => e.type), ['check-asked', 'check-answered'], 'the view gets the events');
    assert.equal(list?.[0].id, RUN_ID);
    assert.deepEqual((await history.get(RUN_ID))!.final.checkQuestion, { command: 'npm test', detected: null, answer: 'never' });
    // Not on screen: folded into the saved trace through the reducer.
    await appendToRun(history, null, RUN_ID, [{ type: 'check-answered', answer: 'run' }]);
    assert.equal((await history.get(RUN_ID))!.final.checkQuestion?.answer, 'run');
    assert.equal(await appendToRun(history, null, 'no-such-run', asked), null);
  });
});
