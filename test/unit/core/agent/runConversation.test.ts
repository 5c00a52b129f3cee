// A conversation turn as a run: the client's tools go to the answering step only, a tool call stops
// the run there, and the follow-up with the results continues it (or plans again when the state is gone).
import assert from 'node:assert/strict';
import { MemoryContinuations } from '../../../../src/core/agent/continuations';
import { conversationTask, type Conversation } from '../../../../src/core/agent/conversation';
import { runConversation } from '../../../../src/core/agent/runConversation';
import { traceDocumentSchema } from '../../../../src/protocol/traceSchemas';
import { reply, startFakes, type Fakes } from '../../../fakes';
import { configFor, poolFor, testKeys } from '../../../support/pool';
import { assertFinishedTrace } from '../../../support/traceInvariants';

const TOOLS = [{ name: 'run_tests', description: 'Runs the tests.', parameters: { type: 'object', properties: { path: { type: 'string' } } } }];

describe('core/agent: a conversation turn with client tools', () => {
  let fakes: Fakes;
  before(async () => (fakes = await startFakes()));
  after(() => fakes.close());
  beforeEach(() => {
    fakes.reset();
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

  it('the follow-up with the results reuses the planners’ outputs; with the state gone it plans again', async () => {
    fakes.openai.setDefault((req) => (req.toolResults.length ? reply.text(`Fixed; tests: ${req.toolResults[0].content}`) : reply.toolCalls([{ id: 'call_2', name: 'run_tests', arguments: {} }])));
    const continuations = new MemoryContinuations();
    const a = await run(first, continuations);
    const followUp: Conversation = {
      instructions: first.instructions,
      turns: [...first.turns, { role: 'assistant', content: '', toolCalls: a.toolCalls }, { role: 'tool', toolCallId: 'call_2', content: '12 passed' }],
    };
    const before = plannerCalls();
    const b = await run(followUp, continuations);
    assert.equal(b.continued, true);
    assert.equal(b.trace.final.text, 'Fixed; tests: 12 passed');
    assert.equal(plannerCalls(), before, 'no planner was called');
    assert.deepEqual(b.trace.rounds[0].steps.map((s) => s.status), ['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded'], 'an answer in text is reviewed as always');
    const steps = b.trace.rounds[0].steps;
    assert.deepEqual(steps.slice(0, 2).map((s) => [s.output, s.usage.inputTokens]), [['gemini plan', 0], ['claude plan', 0]]);
    assert.equal(b.trace.rounds[0].policy.backend, 'reused');
    assert.equal(b.trace.task, a.trace.task, 'the same task: the tool loop is not part of it');
    const coderSaw = fakes.openai.lastRequest!;
    assert.match(coderSaw.messages.map((m) => m.text).join('\n'), /gemini plan[\s\S]*claude plan/);
    assert.deepEqual(coderSaw.toolResults, [{ id: 'call_2', content: '12 passed' }]);

    const fresh = await run(followUp, new MemoryContinuations());
    assert.equal(fresh.continued, false);
    assert.equal(fresh.trace.final.text, 'Fixed; tests: 12 passed');
    assert.equal(plannerCalls(), before + 2, 'both planners ran again');
  });
});
