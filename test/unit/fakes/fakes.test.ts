// The fakes are shared by other engineers' end-to-end tests; these pin their scripting behaviour.
import assert from 'node:assert/strict';
import { reply } from '../../fakes';
import { useFakes } from '../../support/suiteFakes';

describe('provider fakes', () => {
  const fakes = useFakes({ gemini: { apiKey: 'gem-key' } });

  it('exposes SDK-ready base URLs (OpenAI with /v1, the others without)', () => {
    assert.match(fakes.openai.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.match(fakes.anthropic.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(fakes.gemini.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers with matchers first, then the queue, then the default echo', async () => {
    fakes.openai.on((r) => r.lastUserText.includes('plan'), reply.text('PLAN'), { times: 1 }).enqueue(reply.text('QUEUED'));
    const ask = async (content: string) => {
      const res = await fetch(`${fakes.openai.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
        body: JSON.stringify({ model: 'gpt-5', messages: [{ role: 'user', content }] }),
      });
      return (await res.json()).choices[0].message.content;
    };
    assert.equal(await ask('write a plan'), 'PLAN');
    assert.equal(await ask('write a plan'), 'QUEUED', 'the matcher was limited to one use');
    assert.equal(await ask('hello'), '[gpt-5] hello');
    assert.equal(fakes.openai.requests.length, 3);
  });

  it('lists models on GET /v1/models', async () => {
    const res = await fetch(`${fakes.openai.url}/models`);
    const body = await res.json();
    assert.equal(body.object, 'list');
    assert.ok(body.data.some((m: { id: string }) => m.id === 'gpt-5'));
  });

  it('streams OpenAI chunks with finish_reason, a usage chunk when asked, then [DONE]', async () => {
    fakes.openai.enqueue(reply.text('a b', { usage: { inputTokens: 3 } }));
    const res = await fetch(`${fakes.openai.url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'x' }] }),
    });
    const events = (await res.text()).split('\n\n').filter(Boolean);
    assert.equal(events.at(-1), 'data: [DONE]');
    const usage = JSON.parse(events.at(-2)!.slice(6));
    assert.deepEqual(usage.usage, { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    assert.equal(JSON.parse(events.at(-3)!.slice(6)).choices[0].finish_reason, 'stop');
  });

  it('streams the Anthropic event sequence', async () => {
    const res = await fetch(`${fakes.anthropic.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'k' },
      body: JSON.stringify({ model: 'claude', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'one two' }] }),
    });
    const types = [...(await res.text()).matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    assert.deepEqual(types, [
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('checks the Gemini key from the header or the key= query parameter when one is set', async () => {
    const url = (q = '') => `${fakes.gemini.url}/v1beta/models/gemini-2.5-pro:generateContent${q}`;
    const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
    assert.equal((await fetch(url('?key=gem-key'), { method: 'POST', body })).status, 200);
    assert.equal((await fetch(url(), { method: 'POST', body, headers: { 'x-goog-api-key': 'gem-key' } })).status, 200);
    const bad = await fetch(url('?key=wrong'), { method: 'POST', body });
    assert.equal(bad.status, 401);
    assert.equal((await bad.json()).error.status, 'UNAUTHENTICATED');
    assert.equal(fakes.gemini.requests[0].apiKey, 'gem-key');
  });

  it('counts a response the client abandons', async () => {
    fakes.anthropic.enqueue(reply.hang());
    const ctl = new AbortController();
    const p = fetch(`${fakes.anthropic.url}/v1/messages`, { method: 'POST', body: '{"messages": []}', signal: ctl.signal }).catch(() => 'aborted');
    while (fakes.anthropic.stats.open === 0) await new Promise((r) => setTimeout(r, 5));
    ctl.abort();
    assert.equal(await p, 'aborted');
    await fakes.anthropic.waitForClientClose(1, 500);
    assert.equal(fakes.anthropic.requests[0].clientClosed, true);
  });

  it('times each request from its arrival to the end of its response (what the bench counts as the provider’s own time)', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    fakes.openai.enqueue(reply.toolCalls([{ name: 'read_file', arguments: { path: 'a.ts' } }], { holdEnd: held }));
    const res = await fetch(`${fakes.openai.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
      body: JSON.stringify({ model: 'gpt-5', stream: true, messages: [{ role: 'user', content: 'read it' }] }),
    });
    const reader = res.body!.getReader();
    await reader.read(); // the first frames are out; the finish marker is held
    const req = fakes.openai.requests[0];
    assert.equal(req.endedAt, undefined, 'a response still open has no end');
    assert.ok(req.arrivedAt <= req.receivedAt, 'the request arrived before its body was read');
    release();
    while (!(await reader.read()).done);
    while (req.endedAt === undefined) await new Promise((r) => setTimeout(r, 5));
    assert.ok(req.endedAt >= req.receivedAt, 'the response ended after the request was read');
  });
});
