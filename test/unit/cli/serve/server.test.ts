import assert from 'node:assert/strict';
import OpenAI from 'openai';
import type { TraceDocument } from '../../../../src/core/trace/types';
import type { RunningServer } from '../../../../src/cli/serve/startServer';
import { reply, startFakes, type FakeRequest } from '../../../fakes';
import { useFakes } from '../../../support/suiteFakes';
import { codingTask, poolWithReviewer, serveConfigFor, startFor, tokensIn, waitFor } from '../../../support/serve';

const planFor = (req: FakeRequest) => reply.text(`plan for ${tokensIn(req).join(' ')}`);
const codeFor = (req: FakeRequest) => reply.text(`code for ${tokensIn(req)[0] ?? 'nothing'} done`, { tokenDelayMs: 2 });

describe('fugu serve: the openai SDK against the workflow', () => {
  const fakes = useFakes({ beforeClose: () => server.close(0) });
  let server: RunningServer;
  let client: OpenAI;
  let base: string;

  before(async () => {
    ({ server, client, base } = await startFor(serveConfigFor(fakes, { server: { maxConcurrentRuns: 64 } })));
  });
  beforeEach(() => {
    fakes.gemini.setDefault(planFor);
    fakes.anthropic.setDefault(planFor);
    fakes.openai.setDefault(codeFor);
  });

  it('answers a non-streaming completion with the coder’s text, the run’s usage and the trace id', async () => {
    const raw = await client.chat.completions
      .create({ model: 'fugu', messages: [{ role: 'user', content: codingTask('tok-one') }] })
      .withResponse();
    const res = raw.data as typeof raw.data & { fugu: { trace_id: string; status: string; steps: number } };
    assert.equal(res.object, 'chat.completion');
    assert.equal(res.model, 'fugu');
    assert.equal(res.choices[0].message.role, 'assistant');
    assert.equal(res.choices[0].message.content, 'code for tok-one done');
    assert.equal(res.choices[0].finish_reason, 'stop');
    const traceId = raw.response.headers.get('x-fugu-trace-id');
    assert.ok(traceId);
    assert.equal(res.fugu.trace_id, traceId);
    assert.equal(res.id, `chatcmpl-${traceId}`);
    assert.equal(res.fugu.status, 'succeeded');
    assert.equal(res.fugu.steps, 3, 'two planners and the coder');
    // Usage is the whole run: three calls' tokens.
    const perCall = [fakes.gemini, fakes.anthropic, fakes.openai].map((f) => f.requests.length);
    assert.deepEqual(perCall, [1, 1, 1]);
    const trace = (await (await fetch(`${base}/traces/${traceId}`)).json()) as TraceDocument;
    assert.equal(trace.id, traceId);
    assert.equal(trace.status, 'succeeded');
    assert.equal(res.usage!.prompt_tokens, trace.usage.inputTokens);
    assert.equal(res.usage!.completion_tokens, trace.usage.outputTokens);
    assert.equal(res.usage!.total_tokens, trace.usage.inputTokens + trace.usage.outputTokens);
    assert.ok(res.usage!.prompt_tokens > 0);
    assert.equal(trace.final.text, res.choices[0].message.content);
    // A served run has no workspace (the client owns the files), so no check runs and none is shown.
    assert.equal(trace.final.check, null);
    assert.ok(trace.rounds.every((r) => r.steps.every((st) => st.provider !== 'check')));
  });

  it('streams the coder’s deltas as chat.completion.chunk objects, then a usage chunk and [DONE]', async () => {
    fakes.openai.setDefault((req) => reply.text(`streamed code for ${tokensIn(req)[0]} in several pieces`, { tokenDelayMs: 20 }));
    const stream = await client.chat.completions.create({
      model: 'fugu',
      messages: [{ role: 'user', content: codingTask('tok-stream') }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: any[] = [];
    const arrivals: number[] = [];
    for await (const c of stream) {
      chunks.push(c);
      arrivals.push(performance.now());
    }
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    assert.equal(text, 'streamed code for tok-stream in several pieces');
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'fugu'));
    assert.equal(chunks[0].choices[0].delta.role, 'assistant');
    const contentChunks = chunks.filter((c) => c.choices[0]?.delta?.content);
    assert.ok(contentChunks.length >= 5, `deltas arrive one by one, got ${contentChunks.length}`);
    // Live, not buffered: the first and last text arrive well apart (pieces are 20 ms apart).
    const firstText = chunks.indexOf(contentChunks[0]);
    const lastText = chunks.indexOf(contentChunks[contentChunks.length - 1]);
    assert.ok(arrivals[lastText] - arrivals[firstText] > 60, 'the deltas were streamed live');
    const finish = chunks.find((c) => c.choices[0]?.finish_reason);
    assert.equal(finish.choices[0].finish_reason, 'stop');
    const last = chunks[chunks.length - 1];
    assert.deepEqual(last.choices, []);
    assert.ok(last.usage.total_tokens > 0);
    const ids = new Set(chunks.map((c) => c.fugu.trace_id));
    assert.equal(ids.size, 1, 'every chunk names the same trace');
    assert.equal(last.fugu.status, 'succeeded');
    assert.ok(chunks.slice(0, -1).every((c) => c.usage === null), 'usage is null until the last chunk');
    const trace = (await (await fetch(`${base}/traces/${last.fugu.trace_id}`)).json()) as TraceDocument;
    assert.equal(trace.final.text, text);
    assert.equal(last.usage.prompt_tokens, trace.usage.inputTokens);
  });

  it('a stream without include_usage sends no usage field and ends with [DONE]', async () => {
    const res = await fetch(`${base}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fugu', stream: true, messages: [{ role: 'user', content: codingTask('tok-raw') }] }),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const body = await res.text();
    const lines = body.split('\n\n').filter(Boolean);
    assert.equal(lines[lines.length - 1], 'data: [DONE]');
    const objs = lines.slice(0, -1).map((l) => JSON.parse(l.replace(/^data: /, '')));
    assert.ok(objs.every((o) => !('usage' in o)));
    assert.equal(objs.map((o) => o.choices[0].delta.content ?? '').join(''), 'code for tok-raw done');
    assert.equal(objs[0].fugu.trace_id, res.headers.get('x-fugu-trace-id'));
  });

  it('the conversation reaches the workers: system and earlier turns follow the last user message', async () => {
    await client.chat.completions.create({
      model: 'fugu',
      messages: [
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: 'What is a closure?' },
        { role: 'assistant', content: 'A function with its scope.' },
        { role: 'user', content: 'And why is it useful? tok-conv' },
      ],
    });
    const seen = fakes.all.flatMap((f) => f.requests).map((r) => r.messages[0].text);
    assert.ok(seen.length >= 1);
    for (const first of seen) {
      assert.ok(first.startsWith('And why is it useful? tok-conv'), first);
      assert.match(first, /Instructions given with this request:\nAnswer in French\./);
      assert.match(first, /\[user\] What is a closure\?\n\n\[assistant\] A function with its scope\./);
    }
  });

  it('50 concurrent requests, streaming and not, each get their own answer', async () => {
    const tokens = Array.from({ length: 50 }, (_, i) => `tok-c${i}x${Math.random().toString(36).slice(2, 8)}`);
    const answers = await Promise.all(
      tokens.map(async (tok, i) => {
        const messages = [{ role: 'user' as const, content: codingTask(tok) }];
        if (i % 2 === 0) {
          const r = await client.chat.completions.create({ model: 'fugu', messages });
          return { text: r.choices[0].message.content, trace: (r as any).fugu.trace_id as string };
        }
        const s = await client.chat.completions.create({ model: 'fugu', messages, stream: true });
        let text = '';
        let trace = '';
        for await (const c of s) {
          text += c.choices[0]?.delta?.content ?? '';
          trace = (c as any).fugu.trace_id;
        }
        return { text, trace };
      }),
    );
    answers.forEach((a, i) => assert.equal(a.text, `code for ${tokens[i]} done`, `request ${i}`));
    assert.equal(new Set(answers.map((a) => a.trace)).size, 50, 'fifty distinct traces');
    assert.equal(fakes.openai.requests.length, 50);
    for (const a of answers.slice(0, 5)) {
      const t = (await (await fetch(`${base}/traces/${a.trace}`)).json()) as TraceDocument;
      assert.equal(t.final.text, a.text);
    }
  });

  it('lists the profiles as models', async () => {
    const list = await client.models.list();
    assert.deepEqual(
      list.data.map((m) => m.id),
      ['fugu', 'fugu-ultra'],
    );
    const one = await client.models.retrieve('fugu-ultra');
    assert.equal(one.id, 'fugu-ultra');
  });

  it('a client that disconnects mid-stream stops the upstream call', async () => {
    fakes.openai.setDefault(() => reply.text('word '.repeat(200), { tokenDelayMs: 20 }));
    const abort = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'fugu', messages: [{ role: 'user', content: codingTask('tok-gone') }], stream: true },
      { signal: abort.signal },
    );
    let got = 0;
    // The SDK ends the iteration quietly when its signal aborts.
    for await (const c of stream) {
      if (c.choices[0]?.delta?.content) got++;
      if (got === 3) abort.abort();
    }
    assert.equal(got, 3);
    await fakes.openai.waitForClientClose(1, 2000);
    assert.equal(fakes.openai.stats.clientClosed, 1);
    await waitFor(() => server.inFlight() === 0);
    const trace = server.traces.latest()!;
    assert.equal(trace.status, 'cancelled');
    assert.ok(fakes.openai.requests.length === 1, 'no new upstream call after the disconnect');
  });

  it('a non-streaming client that disconnects cancels the run too', async () => {
    fakes.openai.setDefault(() => reply.hang());
    const abort = new AbortController();
    const pending = client.chat.completions.create({ model: 'fugu', messages: [{ role: 'user', content: codingTask('tok-gone2') }] }, { signal: abort.signal });
    await waitFor(() => fakes.openai.requests.length === 1);
    abort.abort();
    await assert.rejects(pending, /abort/i);
    await fakes.openai.waitForClientClose(1, 2000);
    await waitFor(() => server.inFlight() === 0);
    assert.equal(server.traces.latest()!.status, 'cancelled');
  });
});

describe('fugu serve: the full profile streams only the accepted answer', () => {
  const fakes = useFakes({ resetEachTest: false, beforeClose: () => server.close(0) });
  let server: RunningServer;
  let client: OpenAI;
  before(async () => {
    ({ server, client } = await startFor(serveConfigFor(fakes, { workers: poolWithReviewer(fakes) })));
  });

  it('after a failed review and a corrective round, the stream carries the corrected code only', async () => {
    fakes.gemini.setDefault(() => reply.text('plan'));
    fakes.anthropic.on((r) => r.model === 'claude-reviewer', reply.text('Broken.\nVERDICT: FAIL'), { times: 1 });
    fakes.anthropic.on((r) => r.model === 'claude-reviewer', reply.text('Fine.\nVERDICT: PASS'));
    fakes.anthropic.setDefault(() => reply.text('plan'));
    fakes.openai.enqueue(reply.text('first code attempt'), reply.text('corrected code', { tokenDelayMs: 5 }));
    const stream = await client.chat.completions.create({
      model: 'fugu-ultra',
      messages: [{ role: 'user', content: codingTask('tok-ultra') }],
      stream: true,
    });
    let text = '';
    let fugu: any;
    for await (const c of stream) {
      text += c.choices[0]?.delta?.content ?? '';
      fugu = (c as any).fugu;
    }
    assert.equal(text, 'corrected code');
    assert.equal(fugu.rounds, 2);
    const trace = server.traces.get(fugu.trace_id)!;
    assert.equal(trace.final.text, 'corrected code');
    assert.equal(fakes.openai.requests.length, 2);
  });

  it('the light profile skips the review (no recursion)', async () => {
    fakes.reset();
    fakes.openai.setDefault(() => reply.text('light code'));
    const r = await client.chat.completions.create({ model: 'fugu', messages: [{ role: 'user', content: codingTask('tok-light') }] });
    assert.equal(r.choices[0].message.content, 'light code');
    assert.equal(fakes.anthropic.requests.filter((q) => q.model === 'claude-reviewer').length, 0);
  });
});

describe('fugu serve: workers kept across requests', () => {
  it('answers request after request with the workers it keeps, and sends a key that changed between them', async () => {
    const fakes = await startFakes();
    let key = 'sk-first-key-0000000000000000';
    const { server, client } = await startFor(serveConfigFor(fakes), { keys: async () => key });
    try {
      fakes.gemini.setDefault(planFor);
      fakes.anthropic.setDefault(planFor);
      fakes.openai.setDefault(codeFor);
      for (const token of ['tok-a', 'tok-b']) {
        const res = await client.chat.completions.create({ model: 'fugu', messages: [{ role: 'user', content: codingTask(token) }] });
        assert.equal(res.choices[0].message.content, `code for ${token} done`);
      }
      const firstCalls = fakes.all.map((f) => f.requests.length);
      assert.deepEqual(firstCalls, [2, 2, 2], 'each request called every worker');
      key = 'sk-second-key-000000000000000';
      const res = await client.chat.completions.create({ model: 'fugu', messages: [{ role: 'user', content: codingTask('tok-c') }] });
      assert.equal(res.choices[0].message.content, 'code for tok-c done');
      for (const f of fakes.all) {
        assert.deepEqual(f.requests.map((r) => r.apiKey), ['sk-first-key-0000000000000000', 'sk-first-key-0000000000000000', 'sk-second-key-000000000000000']);
      }
    } finally {
      await server.close(0);
      await fakes.close();
    }
  });
});
