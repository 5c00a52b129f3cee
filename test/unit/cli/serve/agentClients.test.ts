// Agent clients installed unchanged from npm against a real `fugu serve` process and the fake providers:
// the workflow as their model, with their function tools going to the answering step and back.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { Agent, OpenAIProvider, Runner, tool as agentTool } from '@openai/agents';
import { generateText, stepCountIs, tool as aiTool } from 'ai';
import OpenAI from 'openai';
import * as z from 'zod';
import { reply } from '../../../fakes';
import { useFakes } from '../../../support/suiteFakes';
import { poolFor } from '../../../support/pool';
import { codingTask, resetAgentFakes, weatherCoder } from '../../../support/serve';
import { buildIfStale, serve, type Served } from '../../../support/serveProcess';
import { tempDir } from '../../../support/tempDir';

const WEATHER_PARAMS = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };

describe('fugu serve as the model of agent clients (a real process, clients from npm)', function () {
  this.timeout(60_000);
  const fakes = useFakes({ resetEachTest: false, beforeClose: () => stop() });
  let dir: string;
  let configPath: string;
  let s: Served;

  const start = async () => {
    s = await serve(['--config', configPath, '--port', '0']);
  };
  const stop = async () => {
    s.child.kill('SIGTERM');
    await s.exit;
  };
  const planners = () => fakes.gemini.requests.length + fakes.anthropic.requests.length;

  before(async () => {
    buildIfStale();
    dir = tempDir('fugu-agents-');
    configPath = join(dir, 'serve.json');
    writeFileSync(configPath, JSON.stringify({ workers: poolFor(fakes), maxRetries: 0, timeoutMs: 30_000, server: { shutdownGraceMs: 1000 } }));
    await start();
  });
  beforeEach(() => resetAgentFakes(fakes));

  const openai = () => new OpenAI({ apiKey: 'unused', baseURL: s.url, maxRetries: 0 });
  const chatTools = [{ type: 'function' as const, function: { name: 'get_weather', description: 'Weather in a city.', parameters: WEATHER_PARAMS } }];

  it('openai chat: a function tool round trip (call → result → answer) continues the run without planning again', async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: codingTask('tok-chat-tools') }];
    const first = await openai().chat.completions.create({ model: 'fugu', messages, tools: chatTools, tool_choice: 'required' });
    const choice = first.choices[0];
    assert.equal(choice.finish_reason, 'tool_calls');
    const call = choice.message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Kyoto' });
    assert.deepEqual(fakes.openai.lastRequest!.tools.map((t) => t.name), ['get_weather'], 'the client tools reached the coder');
    assert.equal(fakes.openai.lastRequest!.toolChoice, 'required');
    assert.ok(fakes.gemini.lastRequest!.tools.length === 0 && fakes.anthropic.lastRequest!.tools.length === 0, 'planners get no client tools');
    const planned = planners();
    assert.equal(planned, 2);

    messages.push(choice.message, { role: 'tool', tool_call_id: call.id, content: 'sunny, 21 C' });
    const second = await openai().chat.completions.create({ model: 'fugu', messages, tools: chatTools });
    assert.equal(second.choices[0].finish_reason, 'stop');
    assert.equal(second.choices[0].message.content, 'Answer from sunny, 21 C');
    assert.equal(planners(), planned, 'the planners’ outputs were reused');
    const coderSaw = fakes.openai.lastRequest!;
    assert.deepEqual(coderSaw.toolCalls.map((c) => c.id), [call.id]);
    assert.deepEqual(coderSaw.toolResults, [{ id: call.id, content: 'sunny, 21 C' }]);
    assert.match(coderSaw.messages.map((m) => m.text).join('\n'), /plan from gemini/, 'the coder still sees the plans');
    const traceId = (r: unknown) => (r as { fugu: { trace_id: string } }).fugu.trace_id;
    assert.notEqual(second.id, first.id, 'each response has its own id');
    assert.equal(traceId(second), traceId(first), 'the follow-up continues the same run');
    const trace = (await (await fetch(`${s.url}/traces/${traceId(second)}`)).json()) as any;
    const coderStep = trace.rounds[0].steps.at(-1);
    assert.equal(coderStep.output, 'Answer from sunny, 21 C');
    assert.deepEqual(coderStep.turns.map((t: any) => [t.toolCalls.map((c: any) => c.name), t.results.map((r: any) => r.content)]), [[['get_weather'], ['sunny, 21 C']]]);
    assert.match(trace.rounds[0].note, /Turn 2: the client sent the results of get_weather/);
    assert.equal(trace.usage.inputTokens, first.usage!.prompt_tokens + second.usage!.prompt_tokens, 'the trace counts both requests; each response its own');
  });

  it('openai chat streaming: two calls in one turn arrive as tool_calls deltas the SDK assembles, finish_reason tool_calls', async () => {
    fakes.openai.setDefault(() =>
      reply.toolCalls([
        { id: 'call_k', name: 'get_weather', arguments: { city: 'Kyoto' } },
        { id: 'call_o', name: 'get_weather', arguments: { city: 'Osaka' } },
      ]),
    );
    const assembled = await openai()
      .chat.completions.stream({ model: 'fugu', messages: [{ role: 'user', content: codingTask('tok-chat-two') }], tools: chatTools })
      .finalChatCompletion();
    assert.equal(assembled.choices[0].finish_reason, 'tool_calls');
    assert.deepEqual(
      assembled.choices[0].message.tool_calls!.map((c) => [c.id, (c as OpenAI.ChatCompletionMessageFunctionToolCall).function.arguments]),
      [
        ['call_k', '{"city":"Kyoto"}'],
        ['call_o', '{"city":"Osaka"}'],
      ],
    );
    fakes.openai.setDefault(weatherCoder);
    const stream = await openai().chat.completions.create({ model: 'fugu', stream: true, messages: [{ role: 'user', content: codingTask('tok-chat-stream') }], tools: chatTools });
    const args: string[] = [];
    let name = '';
    let finish: string | null = null;
    for await (const c of stream) {
      for (const t of c.choices[0]?.delta?.tool_calls ?? []) {
        if (t.function?.name) name = t.function.name;
        args[t.index] = (args[t.index] ?? '') + (t.function?.arguments ?? '');
      }
      finish = c.choices[0]?.finish_reason ?? finish;
    }
    assert.equal(name, 'get_weather');
    assert.deepEqual(JSON.parse(args[0]), { city: 'Kyoto' });
    assert.equal(finish, 'tool_calls');
  });

  it('openai responses: text, not streamed and streamed in the documented event order', async () => {
    const r = await openai().responses.create({ model: 'fugu', input: codingTask('tok-resp'), instructions: 'Be brief.', reasoning: { effort: 'low' }, include: ['reasoning.encrypted_content'], prompt_cache_key: 'k', store: false, metadata: { a: 'b' } });
    assert.equal(r.object, 'response');
    assert.equal(r.status, 'completed');
    assert.equal(r.output_text, 'plain answer');
    assert.ok(r.usage!.input_tokens > 0 && r.usage!.total_tokens === r.usage!.input_tokens + r.usage!.output_tokens);
    assert.match(fakes.openai.lastRequest!.messages[0].text, /Be brief\./, 'instructions reach the workers');

    const stream = await openai().responses.create({ model: 'fugu', input: codingTask('tok-resp-stream'), stream: true });
    const types: string[] = [];
    let text = '';
    for await (const e of stream) {
      types.push(e.type);
      if (e.type === 'response.output_text.delta') text += e.delta;
    }
    assert.equal(text, 'plain answer');
    const order = types.filter((t, i) => t !== types[i - 1]);
    assert.deepEqual(order, [
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
  });

  it('openai responses: a function call, then previous_response_id with its output, answers from the result', async () => {
    const tools = [{ type: 'function' as const, name: 'get_weather', description: 'Weather in a city.', parameters: WEATHER_PARAMS, strict: true }];
    const first = await openai().responses.create({ model: 'fugu', input: codingTask('tok-prev'), tools });
    const call = first.output.find((o) => o.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall;
    assert.ok(call, 'a function_call item');
    assert.equal(call.name, 'get_weather');
    const planned = planners();
    const second = await openai().responses.create({
      model: 'fugu',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: 'rainy' }],
      tools,
    });
    assert.equal(second.output_text, 'Answer from rainy');
    assert.equal(second.previous_response_id, first.id);
    assert.notEqual(second.id, first.id);
    assert.equal(planners(), planned, 'the planners’ outputs were reused');
    const traceOf = (r: unknown) => (r as { fugu: { trace_id: string } }).fugu.trace_id;
    assert.equal(traceOf(second), traceOf(first), 'one run across both responses');

    await assert.rejects(
      openai().responses.create({ model: 'fugu', previous_response_id: 'resp_gone', input: 'next' }),
      (e: unknown) => e instanceof OpenAI.APIError && e.status === 400 && e.code === 'previous_response_not_found',
    );
  });

  it('a Codex-shaped Responses turn: a custom free-form tool comes back as custom_tool_call, its output continues the run', async () => {
    // What Codex CLI sends (codex-rs ResponsesApiRequest): instructions, the whole history with store false,
    // function and custom tools, hosted tools, reasoning/include/prompt_cache_key/text controls.
    const tools = [
      { type: 'function', name: 'shell', description: 'Runs a command.', strict: false, parameters: { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } } } } },
      { type: 'custom', name: 'apply_patch', description: 'Applies a patch.', format: { type: 'grammar', syntax: 'lark', definition: 'start: /.+/' } },
      { type: 'web_search' },
    ];
    const base = {
      model: 'fugu',
      instructions: 'You are Codex.',
      tools,
      tool_choice: 'auto',
      parallel_tool_calls: false,
      reasoning: { effort: 'medium', summary: 'auto' },
      store: false,
      stream: true,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'session-1',
      text: { verbosity: 'low' },
    };
    const history: any[] = [
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: '<permissions>workspace-write</permissions>' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: codingTask('tok-codex') }] },
    ];
    const patch = '*** Begin Patch\n*** Update File: src/parse.ts\n@@\n-a\n+b\n*** End Patch';
    fakes.openai.setDefault((req) =>
      req.toolResults.length ? reply.text(`Patched: ${req.toolResults[0].content}`) : reply.toolCalls([{ id: 'call_patch', name: 'apply_patch', arguments: { input: patch } }]),
    );
    const events = async (body: unknown) => {
      const stream = (await openai().responses.create(body as OpenAI.Responses.ResponseCreateParamsStreaming)) as AsyncIterable<OpenAI.Responses.ResponseStreamEvent>;
      const out: OpenAI.Responses.ResponseStreamEvent[] = [];
      for await (const e of stream) out.push(e);
      return out;
    };
    const first = await events({ ...base, input: history });
    const done = first.filter((e) => e.type === 'response.output_item.done').map((e) => (e as OpenAI.Responses.ResponseOutputItemDoneEvent).item);
    const call = done.find((i) => i.type === 'custom_tool_call') as OpenAI.Responses.ResponseCustomToolCall;
    assert.ok(call, `a custom_tool_call item among ${done.map((i) => i.type).join(', ')}`);
    assert.equal(call.input, patch);
    assert.equal(first[first.length - 1].type, 'response.completed');
    const coderSaw = fakes.openai.lastRequest!;
    assert.deepEqual(coderSaw.tools.map((t) => t.name), ['shell', 'apply_patch'], 'hosted tools are left out');
    assert.equal(coderSaw.body.parallel_tool_calls, false);

    const planned = planners();
    history.push({ type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'opaque' }, { type: 'custom_tool_call', call_id: call.call_id, name: 'apply_patch', input: patch }, {
      type: 'custom_tool_call_output',
      call_id: call.call_id,
      output: 'Success. Updated src/parse.ts',
    });
    const second = await events({ ...base, input: history });
    const completed = second.find((e) => e.type === 'response.completed') as OpenAI.Responses.ResponseCompletedEvent;
    assert.equal(completed.response.output_text, 'Patched: Success. Updated src/parse.ts');
    assert.equal(planners(), planned, 'the planners’ outputs were reused');
    assert.deepEqual(fakes.openai.lastRequest!.toolCalls.map((c) => [c.name, JSON.parse(c.arguments).input]), [['apply_patch', patch]]);
  });

  it('openai: response_format json_object reaches the coder and the answer is JSON', async () => {
    fakes.openai.setDefault(() => reply.text('{"merged": [1, 2, 3]}'));
    const r = await openai().chat.completions.create({ model: 'fugu', messages: [{ role: 'user', content: codingTask('tok-json') }], response_format: { type: 'json_object' } });
    assert.deepEqual(JSON.parse(r.choices[0].message.content!), { merged: [1, 2, 3] });
    assert.deepEqual(fakes.openai.lastRequest!.body.response_format, { type: 'json_object' });
    const resp = await openai().responses.create({ model: 'fugu', input: codingTask('tok-json2'), text: { format: { type: 'json_schema', name: 'merged', schema: { type: 'object', properties: { merged: { type: 'array' } } } } } });
    assert.deepEqual(JSON.parse(resp.output_text), { merged: [1, 2, 3] });
    assert.equal(fakes.openai.lastRequest!.body.response_format.json_schema.name, 'merged');
  });

  it('@openai/agents: an agent with a function tool on its default Responses API', async () => {
    const seen: string[] = [];
    const weather = agentTool({
      name: 'get_weather',
      description: 'Weather in a city.',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => {
        seen.push(city);
        return `cloudy in ${city}`;
      },
    });
    const agent = new Agent({ name: 'forecaster', instructions: 'Use the tool.', model: 'fugu', tools: [weather] });
    const runner = new Runner({ modelProvider: new OpenAIProvider({ apiKey: 'unused', baseURL: s.url }), tracingDisabled: true });
    const result = await runner.run(agent, codingTask('tok-agents'));
    assert.deepEqual(seen, ['Kyoto']);
    assert.equal(result.finalOutput, 'Answer from cloudy in Kyoto');
    assert.equal(fakes.openai.requests.length, 2, 'the coder was called for the call and for the answer');
  });

  for (const [label, model] of [
    ['@ai-sdk/openai (default: Responses)', () => createOpenAI({ apiKey: 'unused', baseURL: s.url })('fugu')],
    ['@ai-sdk/openai-compatible (chat)', () => createOpenAICompatible({ name: 'fugu', apiKey: 'unused', baseURL: s.url })('fugu')],
  ] as const) {
    it(`ai with ${label}: a tool is called and its result answers`, async () => {
      const seen: string[] = [];
      const result = await generateText({
        model: model(),
        prompt: codingTask('tok-ai'),
        tools: {
          get_weather: aiTool({
            description: 'Weather in a city.',
            inputSchema: z.object({ city: z.string() }),
            execute: async ({ city }) => {
              seen.push(city);
              return `foggy in ${city}`;
            },
          }),
        },
        stopWhen: stepCountIs(3),
        maxRetries: 0,
      });
      assert.deepEqual(seen, ['Kyoto']);
      assert.match(result.text, /^Answer from .*foggy in Kyoto/);
      assert.equal(result.steps.length, 2);
    });
  }

  it('@anthropic-ai/sdk: /v1/messages with a tool, streaming, then the tool_result answers', async () => {
    const client = new Anthropic({ apiKey: 'unused', authToken: null, baseURL: s.url.replace(/\/v1$/, ''), maxRetries: 0 });
    const tools = [{ name: 'get_weather', description: 'Weather in a city.', input_schema: WEATHER_PARAMS as Anthropic.Tool.InputSchema }];
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: codingTask('tok-anthropic') }];
    const stream = client.messages.stream({ model: 'fugu', max_tokens: 1024, system: 'You are a coding agent.', messages, tools });
    const events: string[] = [];
    stream.on('streamEvent', (e) => events.push(e.type));
    const first = await stream.finalMessage();
    assert.equal(first.stop_reason, 'tool_use');
    const use = first.content.find((b) => b.type === 'tool_use') as Anthropic.ToolUseBlock;
    assert.deepEqual(use.input, { city: 'Kyoto' });
    assert.deepEqual(events.filter((t, i) => t !== events[i - 1]), ['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);

    messages.push({ role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'windy' }] });
    const planned = planners();
    const second = await client.messages.create({ model: 'fugu', max_tokens: 1024, system: 'You are a coding agent.', messages, tools });
    assert.equal(second.stop_reason, 'end_turn');
    assert.deepEqual(second.content, [{ type: 'text', text: 'Answer from windy' }]);
    assert.equal(planners(), planned);
    assert.notEqual(second.id, first.id, 'each message has its own id');
    const trace = (await (await fetch(`${s.url}/traces/${(second as unknown as { fugu: { trace_id: string } }).fugu.trace_id}`)).json()) as any;
    assert.deepEqual(trace.rounds[0].steps.at(-1).turns.map((t: any) => t.results.map((r: any) => [r.id, r.content])), [[[use.id, 'windy']]], 'one run: the tool_use and its result are the coder’s first turn');
    const count = await client.messages.countTokens({ model: 'fugu', messages, tools });
    assert.ok(count.input_tokens > 10);
  });

  describe('tool-call arguments reach the client while the coder writes them', () => {
    // The coder's stream stays open after its arguments until the client saw the first of them: had
    // the server waited for the step to finish, the client would see nothing, and the run would time out.
    let release: () => void;
    beforeEach(() => {
      const held = new Promise<void>((resolve) => (release = resolve));
      fakes.openai.setDefault(() => reply.toolCalls([{ id: 'call_live', name: 'get_weather', arguments: { city: 'Kyoto' } }], { argumentPieces: 3, holdEnd: held }));
    });
    /** Records what the client saw, releasing the coder at the first argument piece. */
    const seen = () => {
      const events: string[] = [];
      return {
        events,
        args(piece: string) {
          if (!piece) return;
          events.push(`args ${piece}`);
          if (!events.includes('released')) {
            release();
            events.push('released');
          }
        },
      };
    };
    const PIECES = ['args {"city', 'args ":"Kyo', 'args to"}'];

    it('openai chat: delta.tool_calls opens the call, then its arguments arrive in pieces before the finish', async () => {
      const stream = await openai().chat.completions.create({ model: 'fugu', stream: true, messages: [{ role: 'user', content: codingTask('tok-live-chat') }], tools: chatTools });
      const log = seen();
      for await (const c of stream) {
        for (const t of c.choices[0]?.delta?.tool_calls ?? []) {
          if (t.id) log.events.push(`start ${t.index} ${t.id} ${t.function?.name}`);
          log.args(t.function?.arguments ?? '');
        }
        if (c.choices[0]?.finish_reason) log.events.push(`finish ${c.choices[0].finish_reason}`);
      }
      assert.deepEqual(log.events, ['start 0 call_live get_weather', PIECES[0], 'released', ...PIECES.slice(1), 'finish tool_calls']);
    });

    it('openai responses: the function_call item is added, its arguments stream as deltas, then .done and the item', async () => {
      const stream = await openai().responses.create({ model: 'fugu', input: codingTask('tok-live-resp'), tools: [{ type: 'function', name: 'get_weather', parameters: WEATHER_PARAMS, strict: false }], stream: true });
      const log = seen();
      let done: OpenAI.Responses.ResponseFunctionToolCall | undefined;
      for await (const e of stream) {
        if (e.type === 'response.function_call_arguments.delta') log.args(e.delta);
        else if (e.type === 'response.output_item.added' || e.type === 'response.output_item.done') log.events.push(`${e.type} ${e.item.type} ${(e.item as { status?: string }).status}`);
        else if (e.type === 'response.function_call_arguments.done') log.events.push(`${e.type} ${e.arguments}`);
        else if (e.type === 'response.completed') {
          log.events.push(e.type);
          done = e.response.output.find((i) => i.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall;
        }
      }
      assert.deepEqual(log.events, [
        'response.output_item.added function_call in_progress',
        PIECES[0],
        'released',
        ...PIECES.slice(1),
        'response.function_call_arguments.done {"city":"Kyoto"}',
        'response.output_item.done function_call completed',
        'response.completed',
      ]);
      assert.equal(done?.call_id, 'call_live');
    });

    it('@anthropic-ai/sdk: a tool_use block opens, input_json_delta pieces follow, then the block stops and the message ends', async () => {
      const client = new Anthropic({ apiKey: 'unused', authToken: null, baseURL: s.url.replace(/\/v1$/, ''), maxRetries: 0 });
      const tools = [{ name: 'get_weather', description: 'Weather in a city.', input_schema: WEATHER_PARAMS as Anthropic.Tool.InputSchema }];
      const stream = client.messages.stream({ model: 'fugu', max_tokens: 1024, messages: [{ role: 'user', content: codingTask('tok-live-anthropic') }], tools });
      const log = seen();
      stream.on('streamEvent', (e) => {
        if (e.type === 'content_block_start') log.events.push(`start ${e.index} ${e.content_block.type}`);
        else if (e.type === 'content_block_delta' && e.delta.type === 'input_json_delta') log.args(e.delta.partial_json);
        else if (e.type === 'content_block_stop') log.events.push(`stop ${e.index}`);
        else if (e.type === 'message_delta') log.events.push(`message_delta ${e.delta.stop_reason}`);
      });
      const message = await stream.finalMessage();
      assert.deepEqual(log.events, ['start 0 tool_use', PIECES[0], 'released', ...PIECES.slice(1), 'stop 0', 'message_delta tool_use']);
      assert.deepEqual(message.content, [{ type: 'tool_use', id: 'call_live', name: 'get_weather', input: { city: 'Kyoto' } }]);
    });
  });

  it('text before a call: its message (responses) or text block (messages) closes before the call opens', async () => {
    fakes.openai.setDefault(() => reply.toolCalls([{ id: 'call_t', name: 'get_weather', arguments: { city: 'Kyoto' } }], { text: 'Checking. ' }));
    const stream = await openai().responses.create({ model: 'fugu', input: codingTask('tok-text-call-resp'), tools: [{ type: 'function', name: 'get_weather', parameters: WEATHER_PARAMS, strict: false }], stream: true });
    const items: string[] = [];
    let output: OpenAI.Responses.ResponseOutputItem[] = [];
    for await (const e of stream) {
      if (e.type === 'response.output_item.added' || e.type === 'response.output_item.done') items.push(`${e.type.slice(21)} ${e.output_index} ${e.item.type}`);
      if (e.type === 'response.completed') output = e.response.output;
    }
    assert.deepEqual(items, ['added 0 message', 'done 0 message', 'added 1 function_call', 'done 1 function_call']);
    assert.deepEqual(output.map((i) => i.type), ['message', 'function_call']);

    const client = new Anthropic({ apiKey: 'unused', authToken: null, baseURL: s.url.replace(/\/v1$/, ''), maxRetries: 0 });
    const tools = [{ name: 'get_weather', input_schema: WEATHER_PARAMS as Anthropic.Tool.InputSchema }];
    const messages = client.messages.stream({ model: 'fugu', max_tokens: 1024, messages: [{ role: 'user', content: codingTask('tok-text-call-msg') }], tools });
    const blocks: string[] = [];
    messages.on('streamEvent', (e) => {
      if (e.type === 'content_block_start') blocks.push(`start ${e.index} ${e.content_block.type}`);
      if (e.type === 'content_block_stop') blocks.push(`stop ${e.index}`);
    });
    const message = await messages.finalMessage();
    assert.deepEqual(blocks, ['start 0 text', 'stop 0', 'start 1 tool_use', 'stop 1']);
    assert.deepEqual(message.content.map((b) => b.type), ['text', 'tool_use']);
  });

  it('the state lost between a tool call and its result (server restarted): the follow-up plans again and answers', async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: codingTask('tok-restart') }];
    const first = await openai().chat.completions.create({ model: 'fugu', messages, tools: chatTools });
    const call = first.choices[0].message.tool_calls![0];
    await stop();
    await start();
    messages.push(first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: 'snow' });
    const planned = planners();
    const second = await openai().chat.completions.create({ model: 'fugu', messages, tools: chatTools });
    assert.equal(second.choices[0].message.content, 'Answer from snow');
    assert.equal(planners(), planned + 2, 'both planners ran again');
  });

  it('bad input on the new routes gets the same errors: OpenAI-style on /v1/responses, Anthropic-style on /v1/messages', async () => {
    const post = async (path: string, body: unknown) => {
      const r = await fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: r.status, json: (await r.json()) as any };
    };
    const noInput = await post('/responses', { model: 'fugu' });
    assert.equal(noInput.status, 400);
    assert.equal(noInput.json.error.code, 'missing_required_parameter');
    assert.equal(noInput.json.error.param, 'input');
    // Unknown item types are skipped (agents add new ones), so this input has no task.
    const badItem = await post('/responses', { model: 'fugu', input: [{ type: 'telepathy' }, { type: 'function_call_output', output: 'x' }] });
    assert.equal(badItem.status, 400);
    assert.equal(badItem.json.error.param, 'input[1].call_id');
    const noTask = await post('/responses', { model: 'fugu', input: [{ type: 'reasoning', summary: [] }] });
    assert.equal(noTask.status, 400);
    assert.match(noTask.json.error.message, /'input' needs a user message/);
    const unknownModel = await post('/responses', { model: 'gpt-9', input: 'hi' });
    assert.equal(unknownModel.status, 404);
    assert.equal(unknownModel.json.error.code, 'model_not_found');
    const badMessages = await post('/messages', { model: 'fugu', max_tokens: 10, messages: [{ role: 'robot', content: 'x' }] });
    assert.equal(badMessages.status, 400);
    assert.equal(badMessages.json.type, 'error');
    assert.equal(badMessages.json.error.type, 'invalid_request_error');
    assert.match(badMessages.json.error.message, /messages\[0\]\.role/);
    const form = await fetch(`${s.url}/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    assert.equal(form.status, 415);
    assert.equal(((await form.json()) as any).error.type, 'invalid_request_error');
    assert.equal(fakes.openai.requests.length + planners(), 0, 'nothing reached a provider');
  });
});
