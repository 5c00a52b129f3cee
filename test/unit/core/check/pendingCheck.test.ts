// Issue 24: the question whether to check the edits never holds a run up. Real runs against the
// fake providers, real `node --test` in scratch copies; order is read from the trace events.
import assert from 'node:assert/strict';
import { checkAfterRun } from '../../../../src/core/check/checkAfterRun';
import type { PendingCheck } from '../../../../src/core/check/pendingCheck';
import { nodeWorkspaceFiles } from '../../../../src/core/edits';
import { applyEvent } from '../../../../src/core/trace/reduce';
import { runTask } from '../../../../src/core/runTask';
import type { CheckAnswer, TraceDocument, TraceEvent } from '../../../../src/core/trace/types';
import { reply } from '../../../fakes';
import { useFakes } from '../../../support/suiteFakes';
import { configFor, testKeys } from '../../../support/pool';
import { useCheckFixture } from '../../../support/checkFixture';
import { JS_PROJECT } from '../../../support/sampleWorkspace';

const TASK = 'Make sum() log its arguments in sum.js';
const GOOD = 'Done.\n\nsum.js\n```\n<<<<<<< SEARCH\nexports.sum = (a, b) => a + b;\n=======\nexports.sum = (a, b) => { console.log(a, b); return a + b; };\n>>>>>>> REPLACE\n```\n';

function question(ask: PendingCheck['ask']) {
  let answer!: (a: CheckAnswer) => void;
  const promise = new Promise<CheckAnswer>((resolve) => (answer = resolve));
  return { pending: { ask, answer: promise }, answer };
}

/** Read afresh: the compiler would keep an earlier narrowing of `trace.final.check`. */
const checkOf = (trace: TraceDocument) => trace.final.check;

const types = (events: TraceEvent[]) => events.map((e) => (e.type === 'step-started' ? `step-started ${e.round}:${e.index}` : e.type)).filter((t) => t !== 'step-delta');

describe('the check question does not hold the run up', () => {
  const fakes = useFakes();
  const fx = useCheckFixture('fugu-pending-check-');
  const setup = () => ({ ...fx.check(['node', '--test']), detected: 'package.json has a test script' });

  it('unanswered: the models run at once, the edits come back unchecked, and the question is still open in the trace', async () => {
    const ws = await fx.workspace(JS_PROJECT, { git: true });
    fakes.openai.enqueue(reply.text(GOOD));
    const q = question(setup());
    const events: TraceEvent[] = [];
    const { trace, plans } = await runTask({
      task: TASK, config: configFor(fakes), keys: testKeys, workspace: nodeWorkspaceFiles(ws.root), check: q.pending, onEvent: (e) => events.push(e),
    });
    assert.equal(trace.status, 'succeeded', trace.error ?? '');
    assert.equal(fakes.openai.stats.requests, 1, 'the coder was called without an answer');
    const t = types(events);
    assert.deepEqual(t.slice(0, 2), ['run-started', 'check-asked'], 'asked as the run starts');
    assert.ok(!t.includes('check-answered') && !t.includes('check-started'));
    assert.deepEqual(trace.final.checkQuestion, { command: 'node --test', detected: 'package.json has a test script', answer: null });
    assert.equal(trace.final.check, null);
    assert.match(trace.rounds[0].note ?? '', /No check ran yet: the edits were ready before the question about `node --test` was answered/);
    assert.equal(plans.filter((p) => p.status === 'proposed').length, 1);

    // Answered afterwards (the review's "Run checks"): the same check on the edits, as a step of the last round.
    q.answer('run');
    const after: TraceEvent[] = [];
    const check = await checkAfterRun({ trace, setup: setup(), plans, user: nodeWorkspaceFiles(ws.root), emit: (e) => (after.push(e), applyEvent(trace, e)) });
    assert.equal(check?.outcome, 'passed');
    assert.equal(check?.baseline?.outcome, 'passed', 'the baseline ran on the unmodified copy');
    assert.deepEqual(after.map((e) => e.type), ['check-started', 'check-finished']);
    const steps = trace.rounds[0].steps;
    assert.deepEqual(steps.map((s) => s.provider), ['google', 'anthropic', 'openai', 'check']);
    assert.deepEqual(steps[3].access, [2], 'the check step sees the coder step');
    assert.equal(checkOf(trace)?.passed, true, 'the check joined the trace through the reducer');
  });

  it('answered "Run checks" while the models work: the baseline starts then, and the edits are checked before the run ends', async () => {
    const ws = await fx.workspace(JS_PROJECT, { git: true });
    fakes.openai.enqueue(reply.text(GOOD));
    const q = question(setup());
    const events: TraceEvent[] = [];
    const { trace } = await runTask({
      task: TASK, config: configFor(fakes), keys: testKeys, workspace: nodeWorkspaceFiles(ws.root), check: q.pending,
      onEvent: (e) => {
        events.push(e);
        // The user answers once the first planner is under way.
        if (e.type === 'step-started' && e.round === 0 && e.index === 0) q.answer('run');
      },
    });
    assert.equal(trace.status, 'succeeded', trace.error ?? '');
    const t = types(events);
    const at = (x: string) => t.indexOf(x);
    assert.ok(at('step-started 0:0') < at('check-answered'), t.join(', '));
    assert.ok(at('check-answered') < at('check-started'), t.join(', '));
    assert.equal(trace.final.checkQuestion?.answer, 'run');
    assert.equal(trace.final.check?.passed, true);
    assert.equal(trace.rounds[0].steps[3].check?.baseline?.outcome, 'passed');
  });

  it('answered "Not now" while the models work: no check, and the round note says why', async () => {
    const ws = await fx.workspace(JS_PROJECT, { git: true });
    fakes.openai.enqueue(reply.text(GOOD));
    const q = question(setup());
    const { trace } = await runTask({
      task: TASK, config: configFor(fakes), keys: testKeys, workspace: nodeWorkspaceFiles(ws.root), check: q.pending,
      onEvent: (e) => {
        if (e.type === 'step-started' && e.index === 0) q.answer('not-now');
      },
    });
    assert.equal(trace.final.checkQuestion?.answer, 'not-now');
    assert.equal(trace.final.check, null);
    assert.match(trace.rounds[0].note ?? '', /No check ran: you chose not to run checks this time/);
  });
});
