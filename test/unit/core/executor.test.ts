import assert from 'node:assert/strict';
import { BudgetTracker } from '../../../src/core/budget';
import type { WorkerConfig } from '../../../src/core/config';
import { executeRound, pendingSteps, resolveAccess, type RoundInput } from '../../../src/core/executor';
import { applyEvent, emptyTrace } from '../../../src/core/trace/reduce';
import type { TraceDocument, TraceEvent } from '../../../src/core/trace/types';
import { createWorker } from '../../../src/core/workers/createWorker';
import type { Worker } from '../../../src/core/workers/types';
import type { Workflow } from '../../../src/core/workflow/types';
import { reply, type FakeSet } from '../../fakes';
import { useFakes } from '../../support/suiteFakes';
import { poolFor, TEST_KEY } from '../../support/pool';

const PLAN_TWO_THEN_CODE: Workflow = {
  model_id: [0, 1, 2],
  subtasks: ['Plan A', 'Plan B', 'Write the code'],
  access_list: [[], [], ['all']],
};

function harness(fakes: FakeSet, workflow: Workflow, budget = { maxCalls: 20, maxTokens: 400_000, maxCostUsd: 2 }, extra: Partial<RoundInput> = {}) {
  const pool = poolFor(fakes);
  const doc: TraceDocument = emptyTrace();
  const events: TraceEvent[] = [];
  const started = Date.now();
  const abort = new AbortController();
  const workers = new Map<string, Worker>();
  applyEvent(doc, { type: 'round-started', round: 0, kind: 'initial', workflow, policy: { backend: 'test', rawAnswers: [], rejections: [], fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 }, steps: pendingSteps(workflow, pool) });
  const run = () =>
    executeRound({
      round: 0,
      workflow,
      pool,
      task: 'Add a --verbose flag to the CLI.',
      getWorker: async (cfg: WorkerConfig) => {
        let w = workers.get(cfg.id);
        if (!w) workers.set(cfg.id, (w = createWorker(cfg, { apiKey: TEST_KEY, timeoutMs: 3000, maxRetries: 1 })));
        return w;
      },
      costOf: (_cfg, u) => (u.inputTokens + u.outputTokens) / 1e6,
      budget: new BudgetTracker(budget),
      signal: abort.signal,
      emit: (e) => {
        events.push(e);
        applyEvent(doc, e);
      },
      clock: () => Date.now() - started,
      ...extra,
    });
  return { doc, events, abort, run };
}

describe('executor', () => {
  const fakes = useFakes();
  before(async () => {
    // Load the three SDKs once so timing assertions measure the executor, not module loading.
    await Promise.all(poolFor(fakes).map((cfg) => createWorker(cfg, { apiKey: TEST_KEY, timeoutMs: 3000, maxRetries: 0 }).call({ messages: [{ role: 'user', content: 'warm up' }] })));
  });

  it('resolves access entries to sorted earlier indices', () => {
    assert.deepEqual(resolveAccess(3, ['all']), [0, 1, 2]);
    assert.deepEqual(resolveAccess(3, [2, 0, 2]), [0, 2]);
    assert.deepEqual(resolveAccess(0, []), []);
  });

  it('runs planners that see nothing of each other in parallel, and the coder after both', async () => {
    fakes.gemini.enqueue(reply.text('plan from gemini', { firstTokenDelayMs: 200, tokenDelayMs: 5 }));
    fakes.anthropic.enqueue(reply.text('plan from claude', { firstTokenDelayMs: 200, tokenDelayMs: 5 }));
    fakes.openai.enqueue(reply.text('final code', { firstTokenDelayMs: 50 }));
    const h = harness(fakes, PLAN_TWO_THEN_CODE);
    const out = await h.run();
    assert.equal(out.status, 'succeeded');
    const [a, b, c] = h.doc.rounds[0].steps;
    // Both planners start before either streams anything (order of events, not the clock).
    const firstOf = (type: string, index: number) => h.events.findIndex((e) => e.type === type && 'index' in e && e.index === index);
    assert.ok(Math.max(firstOf('step-started', 0), firstOf('step-started', 1)) < Math.min(firstOf('step-delta', 0), firstOf('step-delta', 1)), 'planners started together');
    assert.ok(a.startMs! < b.endMs! && b.startMs! < a.endMs!, 'planner intervals overlap');
    assert.ok(c.startMs! >= Math.max(a.endMs!, b.endMs!), 'coder starts after both planners');
    // (No wall-clock bound on the whole run: its overhead beside the steps is not what this test is
    // about, and a busy machine stretches it; the trace's own intervals above show the overlap.)
    assert.equal(out.outputs[2], 'final code');
    assert.equal(c.output, 'final code');
  });

  it('gives each step the task, then visible subtask/response pairs, then its own subtask', async () => {
    fakes.gemini.enqueue(reply.text('GEMINI-PLAN'));
    fakes.anthropic.enqueue(reply.text('CLAUDE-PLAN'));
    fakes.openai.enqueue(reply.text('CODE'));
    const h = harness(fakes, PLAN_TWO_THEN_CODE);
    await h.run();
    const coderReq = fakes.openai.requests[0];
    const roles = coderReq.messages.map((m) => m.role);
    assert.deepEqual(roles, ['user', 'assistant', 'user', 'assistant', 'user']);
    assert.match(coderReq.messages[0].text, /^Add a --verbose flag to the CLI\.\n\nPlan A$/);
    assert.equal(coderReq.messages[1].text, 'GEMINI-PLAN');
    assert.equal(coderReq.messages[2].text, 'Plan B');
    assert.equal(coderReq.messages[3].text, 'CLAUDE-PLAN');
    assert.equal(coderReq.messages[4].text, 'Write the code');
    // A planner with access [] sees only the task and its subtask.
    assert.deepEqual(fakes.gemini.requests[0].messages.map((m) => m.text), ['Add a --verbose flag to the CLI.\n\nPlan A']);
  });

  it('a step with a partial access list sees only those steps', async () => {
    const wf: Workflow = { model_id: [0, 1, 2], subtasks: ['A', 'B', 'C'], access_list: [[], [], [1]] };
    fakes.gemini.enqueue(reply.text('OUT-A'));
    fakes.anthropic.enqueue(reply.text('OUT-B'));
    fakes.openai.enqueue(reply.text('OUT-C'));
    const h = harness(fakes, wf);
    await h.run();
    const texts = fakes.openai.requests[0].messages.map((m) => m.text).join('|');
    assert.ok(texts.includes('OUT-B') && !texts.includes('OUT-A'), texts);
    assert.deepEqual(h.doc.rounds[0].steps[2].access, [1]);
  });

  it('stops cleanly at the call budget, keeping the finished outputs', async () => {
    fakes.gemini.enqueue(reply.text('plan 1'));
    fakes.anthropic.enqueue(reply.text('plan 2'));
    const h = harness(fakes, PLAN_TWO_THEN_CODE, { maxCalls: 2, maxTokens: 1e6, maxCostUsd: 10 });
    const out = await h.run();
    assert.equal(out.status, 'budget_exceeded');
    assert.match(out.error!, /call budget \(2 calls\)/);
    assert.equal(fakes.openai.requests.length, 0, 'the coder was never called');
    assert.deepEqual(h.doc.rounds[0].steps.map((s) => s.status), ['succeeded', 'succeeded', 'skipped']);
    assert.equal(h.doc.rounds[0].steps[0].output, 'plan 1');
  });

  it('a call whose prompt alone would cross the cost budget is not made: refused once, at its admission, with the estimate', async () => {
    const workflow: Workflow = { model_id: [0], subtasks: ['Plan'], access_list: [[]] };
    // About 15k tokens at $1 per million: over a one-cent budget before any answer.
    const h = harness(fakes, workflow, { maxCalls: 20, maxTokens: 1e6, maxCostUsd: 0.01 }, { task: 'word '.repeat(15_000) });
    const out = await h.run();
    assert.equal(out.status, 'budget_exceeded');
    assert.match(out.error!, /^Stopped before a call of step 0 \(\w+\): the call's estimated \$0\.0\d{3} \(by characters: no tokenizer\) would take the run to \$0\.0\d{3} of its \$0\.01 cost budget\.$/);
    assert.equal(fakes.gemini.requests.length, 0, 'nothing was sent');
    assert.deepEqual(h.events.filter((e) => e.type.startsWith('step-')).map((e) => e.type), ['step-started', 'step-finished']);
    assert.equal(h.doc.rounds[0].steps[0].status, 'skipped');
  });

  it('stops a streaming call that goes over the token budget', async () => {
    const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    fakes.openai.enqueue(reply.text(long, { tokenDelayMs: 2 }));
    const wf: Workflow = { model_id: [2], subtasks: ['Write a lot'], access_list: [[]] };
    const h = harness(fakes, wf, { maxCalls: 5, maxTokens: 200, maxCostUsd: 10 });
    const out = await h.run();
    assert.equal(out.status, 'budget_exceeded');
    assert.match(out.error!, /token budget \(200 tokens\)/);
    const s = h.doc.rounds[0].steps[0];
    assert.equal(s.status, 'cancelled');
    assert.ok(s.output.length > 0 && s.output.length < long.length, 'partial output kept');
    await fakes.openai.waitForClientClose(1, 2000);
  });

  it('cancellation stops every call in flight at once and keeps what streamed', async () => {
    // A token a second: had the executor waited for a stream, its step would show more text.
    const GEMINI = 'gemini thinks slowly about the plan';
    const CLAUDE = 'claude thinks slowly about the plan';
    fakes.gemini.enqueue(reply.text(GEMINI, { tokenDelayMs: 1000 }));
    fakes.anthropic.enqueue(reply.text(CLAUDE, { tokenDelayMs: 1000 }));
    const h = harness(fakes, PLAN_TWO_THEN_CODE);
    const p = h.run();
    // Both planners are streaming (their first token has arrived): cancel then.
    const streamed = (i: number) => h.events.some((e) => e.type === 'step-delta' && e.index === i);
    while (!(streamed(0) && streamed(1))) await new Promise((r) => setTimeout(r, 5));
    const atAbort = h.doc.rounds[0].steps.map((s) => s.output);
    h.abort.abort();
    const out = await p;
    assert.equal(out.status, 'cancelled');
    const [a, b, c] = h.doc.rounds[0].steps;
    assert.equal(a.status, 'cancelled');
    assert.equal(b.status, 'cancelled');
    assert.equal(c.status, 'skipped');
    assert.ok(a.output.startsWith('gemini') && b.output.startsWith('claude'), 'streamed text kept');
    // Stopped at once: no step received text after the abort, and neither stream ran to its end.
    assert.deepEqual([a.output, b.output], atAbort.slice(0, 2));
    assert.ok(a.output.length < GEMINI.length && b.output.length < CLAUDE.length, 'streams cut short');
    const abortedAt = h.events.findIndex((e) => e.type === 'step-finished');
    assert.ok(!h.events.slice(abortedAt).some((e) => e.type === 'step-delta'), 'no text after the first step stopped');
    await fakes.gemini.waitForClientClose(1, 5000);
    await fakes.anthropic.waitForClientClose(1, 5000);
    assert.equal(fakes.openai.requests.length, 0);
  });

  it('a failed step fails the run naming the worker and cause; finished outputs are kept', async () => {
    fakes.anthropic.enqueue(reply.text('claude plan'));
    fakes.gemini.enqueue(reply.status(401, { message: 'API key not valid' }));
    const wf: Workflow = { model_id: [1, 0, 2], subtasks: ['A', 'B', 'C'], access_list: [[], [0], ['all']] };
    const h = harness(fakes, wf);
    const out = await h.run();
    assert.equal(out.status, 'failed');
    assert.match(out.error!, /gemini/);
    assert.match(out.error!, /401|key/i);
    assert.ok(!out.error!.includes(TEST_KEY), 'no key in the error');
    assert.deepEqual(h.doc.rounds[0].steps.map((s) => s.status), ['succeeded', 'failed', 'skipped']);
    assert.equal(h.doc.rounds[0].steps[0].output, 'claude plan');
    assert.equal(fakes.openai.requests.length, 0);
  });

  it('a failure in one parallel planner cancels the other in flight', async () => {
    fakes.gemini.enqueue(reply.status(500), reply.status(500));
    // Long enough (4 s) to be in flight whatever the retry backoff of the failing planner.
    fakes.anthropic.enqueue(reply.text('slow '.repeat(20), { tokenDelayMs: 200 }));
    const h = harness(fakes, PLAN_TWO_THEN_CODE);
    const out = await h.run();
    assert.equal(out.status, 'failed');
    assert.equal(h.doc.rounds[0].steps[1].status, 'cancelled');
    assert.equal(h.doc.rounds[0].steps[0].status, 'failed');
    assert.ok(h.doc.rounds[0].steps[0].error!.includes('gemini'));
  });
  it("the answering step's client tool calls reach the trace piece by piece before it finishes; the planners' steps get none", async () => {
    fakes.openai.setDefault(() => reply.toolCalls([{ id: 'call_w', name: 'get_weather', arguments: { city: 'Kyoto' } }], { argumentPieces: 3 }));
    const tools = [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }];
    const h = harness(fakes, PLAN_TWO_THEN_CODE, undefined, { answer: { index: 2, options: { tools }, continuation: [] } });
    const outcome = await h.run();
    assert.deepEqual(outcome.toolCalls, [{ id: 'call_w', name: 'get_weather', arguments: '{"city":"Kyoto"}' }]);
    const pieces = h.events.filter((e) => e.type === 'step-tool-call-delta');
    assert.ok(pieces.length >= 3, 'the arguments came in pieces');
    assert.ok(pieces.every((e) => e.index === 2 && e.call === 0));
    const finished = h.events.findIndex((e) => e.type === 'step-finished' && e.index === 2);
    assert.ok(h.events.lastIndexOf(pieces[pieces.length - 1]) < finished, 'every piece came before the step finished');
    // Replaying the events shows the call being written: its arguments grow, each a prefix of the next.
    const seen: string[] = [];
    const policy = { backend: 'test', rawAnswers: [], rejections: [], fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 };
    const doc = applyEvent(emptyTrace(), { type: 'round-started', round: 0, kind: 'initial', workflow: PLAN_TWO_THEN_CODE, policy, steps: pendingSteps(PLAN_TWO_THEN_CODE, poolFor(fakes)) });
    for (const e of h.events.slice(0, finished)) {
      applyEvent(doc, e);
      const call = doc.rounds[0].steps[2].toolCalls?.[0];
      if (e.type === 'step-tool-call-delta' && call) seen.push(call.arguments);
    }
    assert.equal(doc.rounds[0].steps[2].toolCalls?.[0].name, 'get_weather');
    assert.ok(seen.some((a) => a.length > 0 && a.length < '{"city":"Kyoto"}'.length), `a partial call was visible: ${JSON.stringify(seen)}`);
    assert.ok(seen.every((a, i) => i === 0 || a.startsWith(seen[i - 1])));
    assert.deepEqual(h.doc.rounds[0].steps[2].toolCalls, outcome.toolCalls, 'step-finished leaves the final calls');
  });
});
