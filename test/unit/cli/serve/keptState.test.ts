// With server.traceDir, the state of a tool round trip lives in the folder: the openai SDK, unchanged
// from npm, against real `fugu serve` processes that are restarted, or that share the folder, between
// the function_call and the follow-up sending only previous_response_id + function_call_output.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { useFakes } from '../../../support/suiteFakes';
import { poolFor, TEST_KEY } from '../../../support/pool';
import { codingTask, resetAgentFakes } from '../../../support/serve';
import { buildIfStale, serve, type Served } from '../../../support/serveProcess';
import { tempDir } from '../../../support/tempDir';

const tools = [{ type: 'function' as const, name: 'get_weather', description: 'Weather in a city.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false }, strict: true }];

type WithTrace = { fugu: { trace_id: string } };

describe('fugu serve: tool round trips survive a restart and span instances sharing server.traceDir', function () {
  this.timeout(60_000);
  const fakes = useFakes({ resetEachTest: false, beforeClose: () => Promise.all([...running].map(stop)) });
  let dir: string;
  let configPath: string;
  const running = new Set<Served>();

  const start = async () => {
    const s = await serve(['--config', configPath, '--port', '0']);
    running.add(s);
    return s;
  };
  const stop = async (s: Served) => {
    s.child.kill('SIGTERM');
    await s.exit;
    running.delete(s);
  };
  const client = (s: Served) => new OpenAI({ apiKey: 'unused', baseURL: s.url, maxRetries: 0 });
  const planners = () => fakes.gemini.requests.length + fakes.anthropic.requests.length;
  const traceOf = async (s: Served, r: unknown) => (await (await fetch(`${s.url}/traces/${(r as WithTrace).fugu.trace_id}`)).json()) as any;

  before(async () => {
    buildIfStale();
    dir = tempDir('fugu-kept-');
    configPath = join(dir, 'serve.json');
    // keepResponses / keepContinuations 0: even a live instance must read the folder back.
    writeFileSync(configPath, JSON.stringify({ workers: poolFor(fakes), maxRetries: 0, timeoutMs: 30_000, server: { shutdownGraceMs: 1000, traceDir: 'state', keepResponses: 0, keepContinuations: 0 } }));
  });
  beforeEach(() => resetAgentFakes(fakes));

  it('restarted between the function_call and its output: the follow-up answers, continuing the run without planning again', async () => {
    const first = await start();
    const call1 = await client(first).responses.create({ model: 'fugu', input: codingTask('tok-kept-restart'), tools });
    const call = call1.output.find((o) => o.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall;
    assert.ok(call, 'a function_call item');
    assert.equal(planners(), 2);
    await stop(first);

    const second = await start();
    const answer = await client(second).responses.create({
      model: 'fugu',
      previous_response_id: call1.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: 'rainy' }],
      tools,
    });
    assert.equal(answer.output_text, 'Answer from rainy');
    assert.equal(answer.previous_response_id, call1.id);
    assert.equal(planners(), 2, 'no planner was called again');
    const coderSaw = fakes.openai.lastRequest!;
    assert.deepEqual(coderSaw.toolResults, [{ id: call.call_id, content: 'rainy' }]);
    assert.match(coderSaw.messages.map((m) => m.text).join('\n'), /plan from gemini[\s\S]*plan from claude/, 'the coder still sees the kept plans');
    const trace = await traceOf(second, answer);
    assert.equal(trace.id, (call1 as unknown as WithTrace).fugu.trace_id, 'the restarted server continued the same run');
    assert.equal(trace.rounds[0].policy.backend, 'learned', 'the plan as it was made');
    assert.deepEqual(trace.rounds[0].steps.slice(0, 2).map((st: any) => [st.output, st.status]), [['plan from gemini', 'succeeded'], ['plan from claude', 'succeeded']]);
    assert.deepEqual(trace.rounds[0].steps[2].turns.map((t: any) => t.results.map((r: any) => [r.id, r.content])), [[[call.call_id, 'rainy']]]);
    await stop(second);

    const state = join(dir, 'state');
    const kept = [...readdirSync(join(state, 'responses')), ...readdirSync(join(state, 'continuations'))];
    assert.ok(kept.length >= 3 && kept.every((n) => /^[A-Za-z0-9_-]+\.json$/.test(n)), `whole files only: ${kept.join(', ')}`);
    const written = [join(state, 'responses'), join(state, 'continuations')].flatMap((d) => readdirSync(d).map((n) => readFileSync(join(d, n), 'utf8'))).join('\n');
    assert.ok(!written.includes(TEST_KEY), 'no key in the kept state');
    assert.match(written, /tok-kept-restart/, 'the conversation is what is kept');
  });

  it('two instances on one folder: the follow-up reaches the other one, by previous_response_id or by item_reference, and a chat follow-up too', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    // Streamed on A: the response is kept before response.completed reaches the client.
    const stream = await client(a).responses.create({ model: 'fugu', input: codingTask('tok-kept-shared'), tools, stream: true });
    let firstId = '';
    let firstTrace = '';
    let call: OpenAI.Responses.ResponseFunctionToolCall | undefined;
    for await (const e of stream) {
      if (e.type === 'response.completed') {
        firstId = e.response.id;
        firstTrace = (e.response as unknown as WithTrace).fugu.trace_id;
      }
      if (e.type === 'response.output_item.done' && e.item.type === 'function_call') call = e.item;
    }
    assert.ok(firstId && call);
    const planned = planners();

    const byId = await client(b).responses.create({ model: 'fugu', previous_response_id: firstId, input: [{ type: 'function_call_output', call_id: call.call_id, output: 'sunny' }], tools });
    assert.equal(byId.output_text, 'Answer from sunny');
    assert.equal(planners(), planned, 'B continued the run A planned');
    const continued = await traceOf(b, byId);
    assert.equal(continued.id, firstTrace, 'B continued the run A started: one trace');
    assert.deepEqual(continued.rounds[0].steps[2].turns.map((t: any) => t.toolCalls.map((c: any) => c.id)), [[call.call_id]]);

    const byItem = await client(b).responses.create({
      model: 'fugu',
      store: false,
      input: [{ role: 'user', content: codingTask('tok-kept-shared') }, { type: 'item_reference', id: call.id! }, { type: 'function_call_output', call_id: call.call_id, output: 'cloudy' }],
      tools,
    });
    assert.equal(byItem.output_text, 'Answer from cloudy');
    assert.equal(planners(), planned, 'the same conversation prefix: the same kept run');

    const chatTools = [{ type: 'function' as const, function: { name: 'get_weather', description: 'Weather in a city.', parameters: tools[0].parameters } }];
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: codingTask('tok-kept-chat') }];
    const chat1 = await client(b).chat.completions.create({ model: 'fugu', messages, tools: chatTools });
    const chatCall = chat1.choices[0].message.tool_calls![0];
    const chatPlanned = planners();
    messages.push(chat1.choices[0].message, { role: 'tool', tool_call_id: chatCall.id, content: 'foggy' });
    const chat2 = await client(a).chat.completions.create({ model: 'fugu', messages, tools: chatTools });
    assert.equal(chat2.choices[0].message.content, 'Answer from foggy');
    assert.equal(planners(), chatPlanned, 'A continued the chat run B planned');

    await assert.rejects(
      client(a).responses.create({ model: 'fugu', previous_response_id: 'resp_../../serve', input: 'next' }),
      (e: unknown) => e instanceof OpenAI.APIError && e.status === 400 && e.code === 'previous_response_not_found',
    );
    await Promise.all([stop(a), stop(b)]);
  });
});
