// Tool calling through each provider's real SDK against its fake: the tools go out in the provider's
// own format, streamed calls come back whole, and the follow-up carries the results the provider's way.
import assert from 'node:assert/strict';
import type { WorkerConfig } from '../../../../src/core/config';
import { createWorker } from '../../../../src/core/workers/createWorker';
import { WorkerError, type ChatMessage, type Provider, type ToolCallDelta, type ToolSpec } from '../../../../src/core/workers/types';
import { reply, type FakeProvider, type FakeSet } from '../../../fakes';
import { useFakes } from '../../../support/suiteFakes';

const KEY = 'test-key-not-secret-1234567890';
const CASES: { provider: Provider; fake: (f: FakeSet) => FakeProvider }[] = [
  { provider: 'openai', fake: (f) => f.openai },
  { provider: 'anthropic', fake: (f) => f.anthropic },
  { provider: 'google', fake: (f) => f.gemini },
];
const WEATHER: ToolSpec = {
  name: 'get_weather',
  description: 'Current weather in a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const TIME: ToolSpec = { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } };

describe('workers: tool calls in each provider’s wire format', () => {
  const fakes = useFakes();

  for (const c of CASES) {
    const worker = () => {
      const cfg: WorkerConfig = { id: `w-${c.provider}`, provider: c.provider, model: 'm-1', baseUrl: c.fake(fakes).url, role: 'coder' };
      return createWorker(cfg, { apiKey: KEY, timeoutMs: 5000, maxRetries: 0 });
    };

    it(`${c.provider}: two streamed calls come back whole and in order, with finishReason 'tool_calls'`, async () => {
      const fake = c.fake(fakes);
      fake.enqueue(
        reply.toolCalls(
          [
            { id: 'call_a', name: 'get_weather', arguments: { city: 'Kyoto' } },
            { id: 'call_b', name: 'get_time', arguments: { zone: 'Asia/Tokyo' } },
          ],
          { text: 'Let me look.', argumentPieces: 4 },
        ),
      );
      const deltas: string[] = [];
      const r = await worker().call({
        messages: [{ role: 'user', content: 'Weather and time in Kyoto?' }],
        tools: [WEATHER, TIME],
        toolChoice: 'required',
        onDelta: (t) => deltas.push(t),
      });
      assert.equal(r.finishReason, 'tool_calls');
      assert.deepEqual(
        r.toolCalls.map((t) => ({ id: t.id, name: t.name, args: JSON.parse(t.arguments) })),
        [
          { id: 'call_a', name: 'get_weather', args: { city: 'Kyoto' } },
          { id: 'call_b', name: 'get_time', args: { zone: 'Asia/Tokyo' } },
        ],
      );
      assert.equal(r.text, 'Let me look.');
      assert.equal(deltas.join(''), 'Let me look.', 'only text is streamed as text');
      const sent = fake.lastRequest!;
      assert.deepEqual(
        sent.tools.map((t) => [t.name, t.parameters]),
        [
          ['get_weather', WEATHER.parameters],
          ['get_time', TIME.parameters],
        ],
      );
      assert.equal(sent.tools[0].description, 'Current weather in a city.');
      const required = { openai: 'required', anthropic: { type: 'any' }, google: { mode: 'ANY' } }[c.provider as 'openai'];
      assert.deepEqual(sent.toolChoice, required);
    });

    it(`${c.provider}: each call reaches onToolCallDelta while it streams, its pieces joining to the final call`, async () => {
      c.fake(fakes).enqueue(
        reply.toolCalls(
          [
            { id: 'call_a', name: 'get_weather', arguments: { city: 'Kyoto' } },
            { id: 'call_b', name: 'get_time', arguments: { zone: 'Asia/Tokyo' } },
          ],
          { text: 'Let me look.', argumentPieces: 4 },
        ),
      );
      const pieces: ToolCallDelta[] = [];
      const r = await worker().call({ messages: [{ role: 'user', content: 'Weather and time?' }], tools: [WEATHER, TIME], onToolCallDelta: (d) => pieces.push(d) });
      const joined = [0, 1].map((i) => {
        const mine = pieces.filter((p) => p.index === i);
        return { id: mine[0].id, name: mine[0].name, arguments: mine.map((p) => p.arguments).join(''), pieces: mine.length };
      });
      assert.deepEqual(
        joined.map(({ pieces: _, ...call }) => call),
        r.toolCalls,
        'the first piece names the call, and the pieces are its final arguments',
      );
      assert.deepEqual(
        pieces.map((p) => p.index),
        [...pieces.map((p) => p.index)].sort(),
        'a call is complete before the next begins',
      );
      // OpenAI and Anthropic stream the arguments in pieces; Gemini sends each call whole.
      const expected = c.provider === 'google' ? 1 : 5;
      assert.deepEqual(
        joined.map((j) => j.pieces),
        [expected, expected],
      );
    });

    // Gemini's fake (like Gemini) always sends arguments as an object.
    if (c.provider !== 'google') it(`${c.provider}: a call written without arguments ends as {}, and its pieces say so before the next call begins`, async () => {
      c.fake(fakes).enqueue(reply.toolCalls([{ id: 'call_t', name: 'get_time', arguments: '' }, { id: 'call_w', name: 'get_weather', arguments: { city: 'Kyoto' } }]));
      const pieces: ToolCallDelta[] = [];
      const r = await worker().call({ messages: [{ role: 'user', content: 'Time and weather?' }], tools: [WEATHER, TIME], onToolCallDelta: (d) => pieces.push(d) });
      assert.deepEqual(r.toolCalls.map((t) => t.arguments), ['{}', '{"city":"Kyoto"}']);
      const firstOfNext = pieces.findIndex((p) => p.index === 1);
      assert.equal(pieces.slice(0, firstOfNext).map((p) => p.arguments).join(''), '{}');
      assert.equal(pieces.slice(firstOfNext).map((p) => p.arguments).join(''), '{"city":"Kyoto"}');
    });

    // Gemini sends each call together with its finish marker: there is no cut between them to make.
    if (c.provider !== 'google') it(`${c.provider}: a stream cut after a tool call reached the caller is not retried`, async () => {
      const fake = c.fake(fakes);
      const call = reply.toolCalls([{ id: 'call_a', name: 'get_weather', arguments: { city: 'Kyoto' } }], { cutAtEnd: true });
      fake.enqueue(call, reply.toolCalls([{ id: 'call_a', name: 'get_weather', arguments: { city: 'Kyoto' } }]));
      const cfg: WorkerConfig = { id: `w-${c.provider}`, provider: c.provider, model: 'm-1', baseUrl: fake.url, role: 'coder' };
      const w = createWorker(cfg, { apiKey: KEY, timeoutMs: 5000, maxRetries: 2, retryBaseMs: 1 });
      const pieces: ToolCallDelta[] = [];
      const err = await w.call({ messages: [{ role: 'user', content: 'Weather?' }], tools: [WEATHER], onToolCallDelta: (d) => pieces.push(d) }).then(
        () => assert.fail('a cut stream cannot succeed'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof WorkerError);
      assert.ok(pieces.length > 0, 'a piece of the call reached the caller');
      assert.equal(err.kind, 'network');
      assert.equal(err.retries, 0);
      assert.equal(fake.requests.length, 1, 'no second request after the caller saw a call');
    });

    it(`${c.provider}: the follow-up sends the call and its result back in the provider's format`, async () => {
      const fake = c.fake(fakes);
      fake.enqueue(reply.text('It is sunny in Kyoto.'));
      const messages: ChatMessage[] = [
        { role: 'user', content: 'Weather in Kyoto?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_k', name: 'get_weather', arguments: '{"city":"Kyoto"}' }] },
        { role: 'tool', toolCallId: 'call_k', content: '{"sky":"sunny"}' },
      ];
      const r = await worker().call({ messages, tools: [WEATHER], toolChoice: { name: 'get_weather' } });
      assert.equal(r.text, 'It is sunny in Kyoto.');
      assert.deepEqual(r.toolCalls, []);
      assert.equal(r.finishReason, 'stop');
      const sent = fake.lastRequest!;
      assert.deepEqual(
        sent.toolCalls.map((t) => [t.name, JSON.parse(t.arguments)]),
        [['get_weather', { city: 'Kyoto' }]],
      );
      assert.equal(sent.toolResults.length, 1);
      assert.match(sent.toolResults[0].content, /sunny/);
      if (c.provider !== 'google') assert.equal(sent.toolResults[0].id, 'call_k');
      else assert.equal(sent.toolResults[0].name, 'get_weather', 'Gemini pairs a result with its call by name');
      const named = { openai: { type: 'function', function: { name: 'get_weather' } }, anthropic: { type: 'tool', name: 'get_weather' }, google: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } }[
        c.provider as 'openai'
      ];
      assert.deepEqual(sent.toolChoice, named);
    });

    it(`${c.provider}: a JSON response format reaches the provider in its own form and images go along`, async () => {
      const fake = c.fake(fakes);
      const answer = '{"ok":true}';
      // Claude's form of structured output is a forced tool whose input is the answer.
      fake.enqueue(c.provider === 'anthropic' ? reply.toolCalls([{ name: 'json_answer', arguments: answer }]) : reply.text(answer));
      const image = 'data:image/png;base64,iVBORw0KGgo=';
      const r = await worker().call({
        messages: [{ role: 'user', content: 'Describe as JSON.', images: [{ url: image }] }],
        responseFormat: { type: 'json_schema', name: 'verdict', schema: { type: 'object', properties: { ok: { type: 'boolean' } } } },
      });
      assert.deepEqual(JSON.parse(r.text), { ok: true });
      assert.deepEqual(r.toolCalls, []);
      assert.equal(r.finishReason, 'stop');
      const body = fake.lastRequest!.body;
      if (c.provider === 'openai') assert.equal(body.response_format.json_schema.name, 'verdict');
      if (c.provider === 'anthropic') assert.deepEqual(body.tool_choice, { type: 'tool', name: 'json_answer' });
      if (c.provider === 'google') assert.equal(body.generationConfig.responseMimeType, 'application/json');
      assert.deepEqual(fake.lastRequest!.images, [c.provider === 'openai' ? image : 'image/png']);
    });
  }
});
