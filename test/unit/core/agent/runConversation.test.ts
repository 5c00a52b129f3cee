// A conversation turn as a run: the client's tools go to the answering step only, a tool call stops
// the run there, and the follow-up with the results continues it (or plans again when the state is gone).
import assert from 'node:assert/strict';
import { MemoryContinuations } from '../../../../src/core/agent/continuations';
import { conversationTask, type Conversation } from '../../../../src/core/agent/conversation';
import { runConversation } from '../../../../src/core/agent/runConversation';
import { applyEvent, emptyTrace } from '../../../../src/core/trace/reduce';
import { traceDocumentSchema, traceEventSchema } from '../../../../src/protocol/traceSchemas';
import { reply } from '../../../fakes';
import { useFakes } from '../../../support/suiteFakes';
import { configFor, poolFor, testKeys } from '../../../support/pool';
import { assertFinishedTrace } from '../../../support/traceInvariants';

const TOOLS = [{ name: 'run_tests', description: 'Runs the tests.', parameters: { type: 'object', properties: { path: { type: 'string' } } } }];

describe('core/agent: a conversation turn with client tools', () => {
  const fakes = useFakes();
  beforeEach(() => {
    fakes.gemini.setDefault(() => reply.text('gemini plan'));
    fakes.anthropic.setDefault((req) => reply.text(req.model === 'claude-reviewer' ? 'Looks right.\nVERDICT: PASS' : 'claude plan'));
  });
  const plannerCalls = () => fakes.gemini.requests.length + fakes.anthropic.requests.filter((q) => q.model !== 'claude-reviewer').length;

  // planners → coder → reviewer → conductor: the review must not run on a turn that stopped for tools.
  const config = () => configFor(fakes, { workers: [...poolFor(fakes), { id: 'reviewer', provider: 'anthropic', model: 'claude-reviewer', baseUrl: fakes.anthropic.url, role: 'reviewer' }] });
  const first: Conversation = { instructions: ['Be careful.'], turns: [{ role: 'user', content: 'Fix the off-by-one in src/range.ts and run the tests.' }] };
  const run = (conversation: Conversation, continuations = new MemoryContinuations()) =>
    runConversation({ conversation, turn: conversationTask(conversation)!, options: { tools: TOOLS, toolChoice: 'auto' }, profile: 'fugu', continuations, config: config(), keys: testKeys });

  it('the coder’s tool call ends the run there: review and conductor are skipped, the calls are in the trace', async () => {
    fakes.openai.setDefault(() => reply.toolCalls([{ id: 'call_1', name: 'run_tests', arguments: { path: 'src' } }], { text: 'Running the tests first.' }));
    const r = await run(first);
    assertFinishedTrace(r.trace);
    assert.equal(traceDocumentSchema.safeParse(JSON.parse(JSON.stringify(r.trace))).success, true, 'the trace still matches its schema');
    assert.equal(r.trace.status, 'succeeded');
    assert.deepEqual(r.toolCalls, [{ id: 'call_1', name: 'run_tests', arguments: '{"path":"src"}' }]);
    assert.deepEqual(r.trace.final.toolCalls, r.toolCalls);
    assert.equal(r.trace.final.text, 'Running the tests first.');
    const steps = r.trace.rounds[0].steps;
    assert.deepEqual(steps.map((s) => [s.worker, s.status]), [['gemini', 'succeeded'], ['claude', 'succeeded'], ['gpt', 'succeeded'], ['reviewer', 'skipped'], ['conductor', 'skipped']]);
    assert.deepEqual(steps[2].toolCalls, r.toolCalls);
    assert.deepEqual(fakes.anthropic.requests.map((q) => q.tools.length), [0], 'only the planner call reached Claude, without tools');
    assert.deepEqual(fakes.openai.lastRequest!.tools.map((t) => t.name), ['run_tests']);
    assert.ok(r.resumable);
  });

  it('the follow-up with the results continues the same trace: the coder gets a second turn, the planners are not asked again', async () => {
    fakes.openai.setDefault((req) => (req.toolResults.length ? reply.text(`Fixed; tests: ${req.toolResults[0].content}`) : reply.toolCalls([{ id: 'call_2', name: 'run_tests', arguments: {} }], { text: 'Running them.' })));
    const continuations = new MemoryContinuations();
    const a = await run(first, continuations);
    const firstTurn = structuredClone(a.trace);
    const followUp: Conversation = {
      instructions: first.instructions,
      turns: [...first.turns, { role: 'assistant', content: 'Running them.', toolCalls: a.toolCalls }, { role: 'tool', toolCallId: 'call_2', content: '12 passed' }],
    };
    const before = plannerCalls();
    const events: string[] = [];
    const view = emptyTrace();
    const b = await runConversation({
      conversation: followUp, turn: conversationTask(followUp)!, options: { tools: TOOLS, toolChoice: 'auto' }, profile: 'fugu', continuations, config: config(), keys: testKeys,
      onEvent: (e) => {
        events.push('index' in e ? `${e.type}:${e.index}` : e.type);
        // What the panel does: each event crosses to the webview checked, and is folded there.
        assert.equal(traceEventSchema.safeParse(JSON.parse(JSON.stringify(e))).success, true, `${e.type} matches its schema`);
        applyEvent(view, JSON.parse(JSON.stringify(e)));
      },
    });
    assert.deepEqual(view, JSON.parse(JSON.stringify(b.trace)), 'a view folding the follow-up’s events alone has the whole run');
    assertFinishedTrace(b.trace);
    assert.equal(traceDocumentSchema.safeParse(JSON.parse(JSON.stringify(b.trace))).success, true, 'the trace still matches its schema');
    assert.equal(b.continued, true);
    assert.equal(b.trace.id, a.trace.id, 'one run: the same trace');
    assert.equal(b.trace.final.text, 'Fixed; tests: 12 passed');
    assert.equal(plannerCalls(), before, 'no planner was called');
    assert.deepEqual(events.slice(0, 2), ['run-continued:2', 'round-note'], 'the earlier trace comes first, no run-started or round-started');
    assert.ok(!events.includes('round-started') && !events.includes('step-started:0') && !events.includes('step-started:1'), 'the planners’ steps stay as they ran');

    const steps = b.trace.rounds[0].steps;
    assert.equal(b.trace.rounds.length, 1);
    assert.deepEqual(steps.map((s) => s.status), ['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded'], 'an answer in text is reviewed as always');
    assert.deepEqual(steps.slice(0, 2), firstTurn.rounds[0].steps.slice(0, 2), 'the planners keep their output, usage and cost');
    const coder = steps[2];
    assert.equal(coder.output, 'Fixed; tests: 12 passed');
    assert.equal(coder.toolCalls, undefined, 'the latest turn called nothing');
    assert.deepEqual(coder.turns, [{
      output: 'Running them.', toolCalls: a.toolCalls, results: [{ id: 'call_2', content: '12 passed', truncated: false }],
      usage: firstTurn.rounds[0].steps[2].usage, costUsd: firstTurn.rounds[0].steps[2].costUsd,
      startMs: firstTurn.rounds[0].steps[2].startMs, endMs: firstTurn.rounds[0].steps[2].endMs,
    }]);
    assert.ok(coder.startMs! >= firstTurn.rounds[0].steps[2].endMs!, 'the second turn starts after the first, on the run’s one clock');
    assert.match(b.trace.rounds[0].note ?? '', /Turn 2: the client sent the results of run_tests; step 2 continues\./);
    assert.equal(b.trace.calls, firstTurn.calls + b.spent.calls, 'the totals count both turns');
    assert.equal(b.trace.usage.inputTokens, firstTurn.usage.inputTokens + b.spent.usage.inputTokens);
    assert.equal(b.spent.calls, 2, 'this request: the coder and the reviewer');
    assert.equal(b.trace.final.toolCalls, undefined);
    assert.equal(b.resumable, undefined, 'an answer in text ends the loop');
    const coderSaw = fakes.openai.lastRequest!;
    assert.match(coderSaw.messages.map((m) => m.text).join('\n'), /gemini plan[\s\S]*claude plan/);
    assert.deepEqual(coderSaw.toolResults, [{ id: 'call_2', content: '12 passed' }]);

    const fresh = await run(followUp, new MemoryContinuations());
    assert.equal(fresh.continued, false);
    assert.notEqual(fresh.trace.id, a.trace.id, 'with the state gone the run is a new one');
    assert.equal(fresh.trace.final.text, 'Fixed; tests: 12 passed');
    assert.equal(plannerCalls(), before + 2, 'both planners ran again');
  });

  it('a third turn adds a second earlier turn to the same step', async () => {
    fakes.openai.setDefault((req) =>
      req.toolResults.length === 0 ? reply.toolCalls([{ id: 'c1', name: 'run_tests', arguments: { path: 'a' } }])
        : req.toolResults.length === 1 ? reply.toolCalls([{ id: 'c2', name: 'run_tests', arguments: { path: 'b' } }, { id: 'c3', name: 'run_tests', arguments: { path: 'c' } }])
          : reply.text('All green.'));
    const continuations = new MemoryContinuations();
    const turns = [...first.turns];
    const a = await run({ ...first, turns }, continuations);
    turns.push({ role: 'assistant', content: '', toolCalls: a.toolCalls }, { role: 'tool', toolCallId: 'c1', content: 'a ok' });
    const b = await run({ ...first, turns }, continuations);
    assert.deepEqual(b.toolCalls.map((c) => c.id), ['c2', 'c3']);
    turns.push({ role: 'assistant', content: '', toolCalls: b.toolCalls }, { role: 'tool', toolCallId: 'c2', content: 'b ok' }, { role: 'tool', toolCallId: 'c3', content: 'c ok' });
    const c = await run({ ...first, turns }, continuations);
    assert.equal(c.trace.id, a.trace.id);
    assert.equal(c.trace.final.text, 'All green.');
    const coder = c.trace.rounds[0].steps[2];
    assert.deepEqual(coder.turns!.map((t) => [t.toolCalls.map((x) => x.id), t.results.map((r) => `${r.id}=${r.content}`)]), [[['c1'], ['c1=a ok']], [['c2', 'c3'], ['c2=b ok', 'c3=c ok']]]);
    assert.match(c.trace.rounds[0].note ?? '', /Turn 2: .*Turn 3: /);
  });

  it('a follow-up leaves the earlier turns’ traces as they were, so the same follow-up sent again continues the same way', async () => {
    fakes.openai.setDefault((req) =>
      req.toolResults.length < 2 ? reply.toolCalls([{ id: `c${req.toolResults.length + 1}`, name: 'run_tests', arguments: { path: 'src' } }]) : reply.text('All green.'));
    const continuations = new MemoryContinuations();
    const turns = [...first.turns];
    const a = await run({ ...first, turns }, continuations);
    const aAsItWas = structuredClone(a.trace);
    turns.push({ role: 'assistant', content: '', toolCalls: a.toolCalls }, { role: 'tool', toolCallId: 'c1', content: 'one failure' });
    const b = await run({ ...first, turns }, continuations);
    const bAsItWas = structuredClone(b.trace);
    turns.push({ role: 'assistant', content: '', toolCalls: b.toolCalls }, { role: 'tool', toolCallId: 'c2', content: 'all pass' });
    const c = await run({ ...first, turns }, continuations);
    // A client that lost the answer sends the last follow-up again: it continues from the same kept turn.
    const again = await run({ ...first, turns }, continuations);

    assert.deepEqual(a.trace, aAsItWas, 'the first turn’s trace (as a trace store keeps it) is unchanged');
    assert.deepEqual(b.trace, bAsItWas, 'the second turn’s trace is unchanged by the third');
    for (const r of [c, again]) {
      assert.equal(r.continued, true);
      assert.equal(r.trace.id, a.trace.id);
      assert.equal(r.trace.final.text, 'All green.');
      assert.deepEqual(r.trace.rounds[0].steps[2].turns!.map((t) => t.results.map((x) => x.content)), [['one failure'], ['all pass']], 'two earlier turns, each once');
    }
    assert.deepEqual(again.trace.rounds[0].steps[2].turns, c.trace.rounds[0].steps[2].turns);
  });

  it('a follow-up that answers some other turn’s calls reuses the plan under a trace of its own', async () => {
    fakes.openai.setDefault((req) => (req.toolResults.length ? reply.text('done') : reply.toolCalls([{ id: 'call_9', name: 'run_tests', arguments: {} }])));
    const continuations = new MemoryContinuations();
    const a = await run(first, continuations);
    // The client answers a call the run never made (it edited the history): the plan is reused, the trace is new.
    const other: Conversation = { ...first, turns: [...first.turns, { role: 'assistant', content: '', toolCalls: [{ id: 'call_x', name: 'run_tests', arguments: '{}' }] }, { role: 'tool', toolCallId: 'call_x', content: 'ok' }] };
    const before = plannerCalls();
    const b = await run(other, continuations);
    assert.equal(b.continued, true);
    assert.notEqual(b.trace.id, a.trace.id);
    assert.equal(plannerCalls(), before, 'the plan was still reused');
    assert.equal(b.trace.rounds[0].policy.backend, 'reused');
    assert.match(b.trace.rounds[0].note ?? '', new RegExp(`Continues run ${a.trace.id}`));
    assert.equal(b.trace.rounds[0].steps[2].turns, undefined);
  });
});
