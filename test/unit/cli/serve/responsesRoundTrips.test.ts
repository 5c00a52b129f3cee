// Responses round trips with the openai SDK and the AI SDK, unchanged from npm, against `fugu serve`
// and the fakes: a tool of a namespace (as Codex offers its multi-agent tools) is called under its own
// name and namespace and its output continues the same run; and every output item of a response, a
// message written after the calls included, can be referred to by item_reference.
import assert from 'node:assert/strict';
import { createOpenAI } from '@ai-sdk/openai';
import { stepCountIs, streamText, tool as aiTool } from 'ai';
import OpenAI from 'openai';
import * as z from 'zod';
import { reply, type FakeRequest } from '../../../fakes';
import { useFakes } from '../../../support/suiteFakes';
import { codingTask, resetAgentFakes, serveConfigFor, startFor } from '../../../support/serve';
import type { RunningServer } from '../../../../src/cli/serve/startServer';

const params = (prop: string) => ({ type: 'object', properties: { [prop]: { type: 'string' } }, required: [prop], additionalProperties: false });
const TOOLS: OpenAI.Responses.Tool[] = [
  { type: 'function', name: 'exec_command', description: 'Runs a command.', parameters: params('cmd'), strict: false },
  {
    type: 'namespace',
    name: 'multi_agent_v1',
    description: 'Tools for spawning and managing sub-agents.',
    tools: [
      { type: 'function', name: 'spawn_agent', description: 'Spawn a sub-agent.', parameters: params('message'), strict: false },
      { type: 'function', name: 'close_agent', description: 'Close an agent.', parameters: params('target'), strict: false },
    ],
  },
];
const FLAT = ['exec_command', 'multi_agent_v1__spawn_agent', 'multi_agent_v1__close_agent'];

/** A coder that spawns a sub-agent through the namespaced tool, then answers with what it reported. */
function spawningCoder(req: FakeRequest) {
  if (req.toolResults.length) return reply.text(`The sub-agent said: ${req.toolResults[0].content}`, { tokenDelayMs: 1 });
  return reply.toolCalls([{ id: 'call_spawn', name: 'multi_agent_v1__spawn_agent', arguments: { message: 'Count the lines.' } }], { argumentPieces: 3 });
}

type WithTrace = { fugu: { trace_id: string } };
const traceOf = (r: unknown) => (r as WithTrace).fugu.trace_id;

describe('fugu serve: Responses round trips through namespaced tools and multi-item outputs (the openai SDK and the AI SDK)', function () {
  this.timeout(30_000);
  const fakes = useFakes({ resetEachTest: false, beforeClose: () => server.close() });
  let server: RunningServer;
  let client: OpenAI;
  const planners = () => fakes.gemini.requests.length + fakes.anthropic.requests.length;

  before(async () => {
    ({ server, client } = await startFor(serveConfigFor(fakes)));
  });
  beforeEach(() => {
    resetAgentFakes(fakes);
    fakes.openai.setDefault(spawningCoder);
  });

  /** What the coder was offered and saw last. */
  function assertCoderOffered(req: FakeRequest): void {
    assert.deepEqual(req.tools.map((t) => t.name), FLAT, 'the namespaced tools reached the coder under their flat names');
    assert.equal(req.tools[1].description, 'Tools for spawning and managing sub-agents.\n\nSpawn a sub-agent.');
  }

  it('not streamed: the call comes back as spawn_agent in namespace multi_agent_v1; the whole history sent back continues the run', async () => {
    const input: OpenAI.Responses.ResponseInputItem[] = [{ role: 'user', content: codingTask('tok-ns-json') }];
    const first = await client.responses.create({ model: 'fugu', input, tools: TOOLS, store: false });
    assertCoderOffered(fakes.openai.lastRequest!);
    const call = first.output.find((o) => o.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall;
    assert.ok(call, `a function_call among ${first.output.map((o) => o.type).join(', ')}`);
    assert.deepEqual([call.name, call.namespace, JSON.parse(call.arguments)], ['spawn_agent', 'multi_agent_v1', { message: 'Count the lines.' }]);
    assert.equal(planners(), 2);

    // As Codex does: store false, the call item sent back as it came (name + namespace), then its output.
    input.push(call, { type: 'function_call_output', call_id: call.call_id, output: '42 lines' });
    const second = await client.responses.create({ model: 'fugu', input, tools: TOOLS, store: false });
    assert.equal(second.output_text, 'The sub-agent said: 42 lines');
    assert.equal(planners(), 2, 'the planners were not called again');
    assert.equal(traceOf(second), traceOf(first), 'one run');
    const coderSaw = fakes.openai.lastRequest!;
    assert.deepEqual(coderSaw.toolCalls.map((c) => [c.id, c.name]), [['call_spawn', 'multi_agent_v1__spawn_agent']], 'the coder sees its own call under the name it used');
    assert.deepEqual(coderSaw.toolResults, [{ id: 'call_spawn', content: '42 lines' }]);
    const trace = (await (await fetch(`${server.url}/v1/traces/${traceOf(second)}`)).json()) as any;
    assert.match(trace.rounds[0].note, /Turn 2: the client sent the results of multi_agent_v1__spawn_agent/);
  });

  it('streamed: output_item.added, the argument events, output_item.done and response.completed carry name and namespace; previous_response_id continues the run', async () => {
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const e of await client.responses.create({ model: 'fugu', input: codingTask('tok-ns-stream'), tools: TOOLS, stream: true })) events.push(e);
    assertCoderOffered(fakes.openai.lastRequest!);
    const named = (item: OpenAI.Responses.ResponseOutputItem) => (item.type === 'function_call' ? `${item.namespace}/${item.name}` : item.type);
    const seen = events.flatMap((e) => {
      if (e.type === 'response.output_item.added' || e.type === 'response.output_item.done') return [`${e.type} ${named(e.item)}`];
      if (e.type === 'response.function_call_arguments.done') return [`${e.type} ${e.name}`];
      if (e.type === 'response.completed') return [`${e.type} ${e.response.output.map(named).join(',')}`];
      return [];
    });
    assert.deepEqual(seen, [
      'response.output_item.added multi_agent_v1/spawn_agent',
      'response.function_call_arguments.done spawn_agent',
      'response.output_item.done multi_agent_v1/spawn_agent',
      'response.completed multi_agent_v1/spawn_agent',
    ]);
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    const call = completed.response.output[0] as OpenAI.Responses.ResponseFunctionToolCall;

    const events2: OpenAI.Responses.ResponseStreamEvent[] = [];
    const follow = { model: 'fugu', previous_response_id: completed.response.id, input: [{ type: 'function_call_output' as const, call_id: call.call_id, output: '7 files' }], tools: TOOLS, stream: true as const };
    for await (const e of await client.responses.create(follow)) events2.push(e);
    const done = events2.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    assert.equal(done.type, 'response.completed');
    assert.equal(done.response.output_text, 'The sub-agent said: 7 files');
    assert.equal(planners(), 2, 'planned once');
    assert.equal(traceOf(done.response), traceOf(completed.response), 'one run');
  });

  describe('every output item can be referred to by item_reference', () => {
    beforeEach(() => {
      // Text before the call, and text the model goes on writing after it began the call.
      fakes.openai.setDefault((req) =>
        req.toolResults.length
          ? reply.text(`Answer from ${req.toolResults[0].content}`)
          : reply.toolCalls([{ id: 'call_w', name: 'exec_command', arguments: { cmd: 'date' } }], { text: 'Checking. ', textAfter: 'One moment.' }),
      );
    });

    /** The follow-up an AI SDK with store: true sends: the question, a reference per output item, the call's output. */
    async function followUpByReference(first: OpenAI.Responses.Response, question: string) {
      const call = first.output.find((o) => o.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall;
      const planned = planners();
      const second = await client.responses.create({
        model: 'fugu',
        tools: TOOLS,
        input: [{ role: 'user', content: question }, ...first.output.map((o) => ({ type: 'item_reference' as const, id: o.id! })), { type: 'function_call_output', call_id: call.call_id, output: 'Tuesday' }],
      });
      assert.equal(second.output_text, 'Answer from Tuesday');
      assert.equal(planners(), planned, 'the planners were not called again');
      assert.equal(traceOf(second), traceOf(first), 'one run');
      const coderSaw = fakes.openai.lastRequest!;
      const turn = coderSaw.body.messages.find((m: { tool_calls?: unknown }) => m.tool_calls);
      assert.equal(turn.content, 'Checking. One moment.', 'the referred messages are the turn of the call, in order');
      assert.equal(coderSaw.body.messages[coderSaw.body.messages.indexOf(turn) + 1].role, 'tool', 'the result follows the call');
    }

    it('streamed: the message written after the call is a third item with an id of its own, and it resolves', async () => {
      const question = codingTask('tok-ref-stream');
      const stream = await client.responses.create({ model: 'fugu', input: question, tools: TOOLS, stream: true });
      const added: string[] = [];
      let first: OpenAI.Responses.Response | undefined;
      for await (const e of stream) {
        if (e.type === 'response.output_item.added') added.push(e.item.id!);
        if (e.type === 'response.completed') first = e.response;
      }
      assert.deepEqual(first!.output.map((o) => (o.type === 'message' ? `message ${(o.content[0] as OpenAI.Responses.ResponseOutputText).text}` : o.type)), ['message Checking. ', 'function_call', 'message One moment.']);
      assert.deepEqual(first!.output.map((o) => o.id), added, 'the items completed are the ones added');
      assert.equal(new Set(added).size, 3, 'three distinct ids');
      await followUpByReference(first!, question);
    });

    it('ai with @ai-sdk/openai streaming (store: true): the second step refers to both messages and answers', async () => {
      const ran: string[] = [];
      const result = streamText({
        model: createOpenAI({ apiKey: 'unused', baseURL: `${server.url}/v1` })('fugu'),
        prompt: codingTask('tok-ref-ai'),
        tools: { exec_command: aiTool({ description: 'Runs a command.', inputSchema: z.object({ cmd: z.string() }), execute: async ({ cmd }) => (ran.push(cmd), 'Tuesday') }) },
        stopWhen: stepCountIs(3),
        maxRetries: 0,
      });
      assert.equal(await result.text, 'Answer from Tuesday');
      assert.deepEqual(ran, ['date']);
      const followUp = fakes.openai.lastRequest!.body.messages;
      assert.equal(followUp.find((m: { tool_calls?: unknown }) => m.tool_calls).content, 'Checking. One moment.', 'both messages came back by reference, as the turn of the call');
      assert.equal(planners(), 2, 'planned once');
    });

    it('not streamed: one message with all the text, then the call; both resolve', async () => {
      const question = codingTask('tok-ref-json');
      const first = await client.responses.create({ model: 'fugu', input: question, tools: TOOLS });
      assert.deepEqual(first.output.map((o) => o.type), ['message', 'function_call']);
      assert.equal(first.output_text, 'Checking. One moment.');
      await followUpByReference(first, question);
    });
  });
});
