// Every provider against its protocol-faithful fake, through the real SDK, for each way a call can go wrong.
import assert from 'node:assert/strict';
import type { WorkerConfig } from '../../../../src/core/config';
import { createWorker } from '../../../../src/core/workers/createWorker';
import type { Provider, RetryInfo, WorkerRequest } from '../../../../src/core/workers/types';
import { WorkerError } from '../../../../src/core/workers/types';
import { reply, type FakeSet, type FakeProvider } from '../../../fakes';
import { useFakes } from '../../../support/suiteFakes';

const KEY = 'sk-test-SECRET-0123456789abcdef';

interface Case {
  provider: Provider;
  fake: (f: FakeSet) => FakeProvider;
  keyEnv: string;
  /** Native finish reason that means "hit the token limit". */
  lengthReason: string;
}

const CASES: Case[] = [
  { provider: 'openai', fake: (f) => f.openai, keyEnv: 'OPENAI_API_KEY', lengthReason: 'length' },
  { provider: 'anthropic', fake: (f) => f.anthropic, keyEnv: 'ANTHROPIC_API_KEY', lengthReason: 'max_tokens' },
  { provider: 'google', fake: (f) => f.gemini, keyEnv: 'GEMINI_API_KEY', lengthReason: 'MAX_TOKENS' },
];

const REQUEST: WorkerRequest = {
  system: 'You are a careful planner.',
  messages: [
    { role: 'user', content: 'Task: add a cache.' },
    { role: 'assistant', content: 'Plan A: memoise the loader.' },
    { role: 'user', content: 'Now write the plan for step 2.' },
  ],
};

async function rejects(p: Promise<unknown>): Promise<WorkerError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof WorkerError, `expected a WorkerError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the call to fail');
}

function assertNoKey(err: WorkerError): void {
  for (const text of [err.message, err.detail, String(err), JSON.stringify(err), String((err as { cause?: unknown }).cause ?? '')]) {
    assert.ok(!text.includes(KEY), `key leaked into: ${text}`);
    assert.ok(!text.includes('SECRET-0123'), `part of the key leaked into: ${text}`);
  }
}

describe('workers against provider fakes', () => {
  const fakes = useFakes();

  for (const c of CASES) {
    describe(`${c.provider} worker against its fake`, () => {
      const fake = () => c.fake(fakes);
      const worker = (over: Partial<WorkerConfig> = {}, opts: { timeoutMs?: number; maxRetries?: number; maxRetryDelayMs?: number } = {}) =>
        createWorker(
          { id: `w-${c.provider}`, provider: c.provider, model: `${c.provider}-model-1`, baseUrl: fake().url, role: 'planner', ...over },
          { apiKey: KEY, timeoutMs: opts.timeoutMs ?? 2000, maxRetries: opts.maxRetries ?? 2, retryBaseMs: 5, maxRetryDelayMs: opts.maxRetryDelayMs },
        );

      it('streams the answer as deltas and returns text, usage and finish reason', async () => {
        fake().enqueue(reply.text('The plan has three parts.', { tokens: ['The plan ', 'has three ', 'parts.'], tokenDelayMs: 5, usage: { inputTokens: 42, outputTokens: 7 } }));
        const deltas: string[] = [];
        const res = await worker().call({ ...REQUEST, onDelta: (t) => deltas.push(t) });
        assert.deepEqual(deltas, ['The plan ', 'has three ', 'parts.']);
        assert.equal(res.text, 'The plan has three parts.');
        assert.deepEqual(res.usage, { inputTokens: 42, outputTokens: 7 });
        assert.equal(res.usageEstimated, undefined);
        assert.equal(res.finishReason, 'stop');
        assert.equal(res.retries, 0);
      });

      it('reports default usage the fake derives from the prompt (chars/4 in, pieces out)', async () => {
        fake().enqueue(reply.text('a b c d e'));
        const res = await worker().call(REQUEST);
        const chars = REQUEST.system!.length + REQUEST.messages.reduce((n, m) => n + m.content.length, 0);
        assert.deepEqual(res.usage, { inputTokens: Math.ceil(chars / 4), outputTokens: 5 });
      });

      it("normalises the provider's token-limit finish reason to 'length'", async () => {
        fake().enqueue(reply.text('cut short', { finishReason: c.lengthReason }));
        const res = await worker().call(REQUEST);
        assert.equal(res.finishReason, 'length');
      });

      it('sends the model, the system prompt in its provider-specific place, and the turns in order', async () => {
        await worker({ maxOutputTokens: 1234 }).call(REQUEST);
        const r = fake().lastRequest!;
        assert.equal(r.model, `${c.provider}-model-1`);
        assert.equal(r.system, REQUEST.system);
        assert.equal(r.stream, true);
        assert.equal(r.apiKey, KEY);
        const assistant = c.provider === 'google' ? 'model' : 'assistant';
        assert.deepEqual(r.messages, [
          { role: 'user', text: 'Task: add a cache.' },
          { role: assistant, text: 'Plan A: memoise the loader.' },
          { role: 'user', text: 'Now write the plan for step 2.' },
        ]);
        if (c.provider === 'openai') {
          assert.deepEqual(r.body.messages[0], { role: 'system', content: REQUEST.system });
          assert.deepEqual(r.body.stream_options, { include_usage: true });
          assert.equal(r.body.max_completion_tokens, 1234);
          assert.equal(r.path, '/v1/chat/completions');
        } else if (c.provider === 'anthropic') {
          assert.equal(r.body.system, REQUEST.system);
          assert.ok(r.body.messages.every((m: { role: string }) => m.role !== 'system'));
          assert.equal(r.body.max_tokens, 1234);
          assert.equal(r.path, '/v1/messages');
        } else {
          assert.deepEqual(r.body.systemInstruction.parts, [{ text: REQUEST.system }]);
          assert.equal(r.body.generationConfig.maxOutputTokens, 1234);
          assert.equal(r.path, `/v1beta/models/${c.provider}-model-1:streamGenerateContent`);
          assert.equal(r.query.alt, 'sse');
        }
      });

      it('rejects a bad key as auth with a readable sentence and never shows the key', async () => {
        fake().enqueue(reply.status(401));
        const err = await rejects(worker().call(REQUEST));
        assert.equal(err.kind, 'auth');
        assert.equal(err.status, 401);
        assert.equal(err.retries, 0);
        assert.equal(fake().requests.length, 1, 'auth failures are not retried');
        assert.equal(err.message, `Worker 'w-${c.provider}' (${c.provider}) rejected the API key (HTTP 401): check ${c.keyEnv}.`);
        assert.match(err.detail, /HTTP 401/);
        assertNoKey(err);
      });

      it('treats 403 as auth too', async () => {
        fake().enqueue(reply.status(403));
        const err = await rejects(worker().call(REQUEST));
        assert.equal(err.kind, 'auth');
        assert.equal(err.status, 403);
      });

      it('waits as long as the 429 says, reports the retry, then succeeds', async () => {
        // OpenAI and Anthropic send retry-after(-ms) headers; Gemini states RetryInfo in the body.
        const r429 = c.provider === 'google' ? reply.rateLimited(0.15) : reply.rateLimited(undefined, { retryAfterMs: 150 });
        fake().enqueue(r429, reply.text('after the wait'));
        const retries: RetryInfo[] = [];
        const res = await worker().call({ ...REQUEST, onRetry: (i) => retries.push(i) });
        assert.equal(res.text, 'after the wait');
        assert.equal(res.retries, 1);
        assert.deepEqual(retries, [{ attempt: 1, delayMs: 150, reason: 'HTTP 429' }]);
        const [first, second] = fake().requests;
        const gap = second.receivedAt - first.receivedAt;
        // A timer never fires early; the upper bound is 10x, for a busy machine.
        assert.ok(gap >= 145 && gap < 1500, `retry came after ${gap.toFixed(0)} ms, wanted ~150`);
      });

      it('caps a long retry-after at maxRetryDelayMs', async () => {
        fake().enqueue(reply.rateLimited(60), reply.text('ok'));
        const retries: RetryInfo[] = [];
        const t0 = performance.now();
        await worker({}, { maxRetryDelayMs: 80 }).call({ ...REQUEST, onRetry: (i) => retries.push(i) });
        assert.equal(retries[0].delayMs, 80);
        // Far from the 60 s the server asked for (10x the capped delay and the calls).
        assert.ok(performance.now() - t0 < 10_000);
      });

      it('gives up on 500 after maxRetries with kind server', async () => {
        fake().enqueue(reply.status(500), reply.status(500), reply.status(500), reply.text('never reached'));
        const retries: RetryInfo[] = [];
        const err = await rejects(worker({}, { maxRetries: 2 }).call({ ...REQUEST, onRetry: (i) => retries.push(i) }));
        assert.equal(err.kind, 'server');
        assert.equal(err.status, 500);
        assert.equal(err.retries, 2);
        assert.equal(fake().requests.length, 3);
        assert.deepEqual(retries.map((r) => r.attempt), [1, 2]);
        assert.match(err.message, /server error \(HTTP 500\) after 2 retries/);
      });

      it('retries a 503 and succeeds', async () => {
        fake().enqueue(reply.status(503), reply.text('recovered'));
        const res = await worker().call(REQUEST);
        assert.equal(res.text, 'recovered');
        assert.equal(res.retries, 1);
      });

      it('reports a stream with a non-JSON event as bad_response, keeping what came before', async () => {
        fake().enqueue(reply.malformed(1));
        const err = await rejects(worker().call(REQUEST));
        assert.equal(err.kind, 'bad_response');
        assert.equal(err.partialText, 'ok ');
        assert.equal(fake().requests.length, 1);
      });

      it('reports a stream cut mid-way as network with the partial text, without retrying', async () => {
        fake().enqueue(reply.cut('one two three four', 2));
        const deltas: string[] = [];
        const err = await rejects(worker().call({ ...REQUEST, onDelta: (t) => deltas.push(t) }));
        assert.equal(err.kind, 'network');
        assert.equal(err.partialText, 'one two ');
        assert.deepEqual(deltas, ['one ', 'two ']);
        assert.equal(fake().requests.length, 1, 'no retry once text reached the caller');
        assert.match(err.message, /lost the connection mid-answer after 8 characters/);
      });

      it('retries a connection cut before any text and succeeds', async () => {
        fake().enqueue(reply.cut('never shown', 0), reply.text('second try'));
        const res = await worker().call(REQUEST);
        assert.equal(res.text, 'second try');
        assert.equal(res.retries, 1);
      });

      it('reports a clean end without the finish marker as incomplete (SDKs would return partial text)', async () => {
        fake().enqueue(reply.noFinish('half of the answer'));
        const err = await rejects(worker().call(REQUEST));
        assert.equal(err.kind, 'incomplete');
        assert.equal(err.partialText, 'half of the answer');
        assert.equal(err.retries, 0);
      });

      it('times out a server that never answers and closes the request', async () => {
        fake().enqueue(reply.hang());
        const t0 = performance.now();
        const err = await rejects(worker({}, { timeoutMs: 150, maxRetries: 2 }).call(REQUEST));
        const took = performance.now() - t0;
        assert.equal(err.kind, 'timeout');
        assert.ok(took >= 140 && took < 1500, `took ${took.toFixed(0)} ms`);
        assert.equal(fake().requests.length, 1, 'timeouts are not retried');
        await fake().waitForClientClose(1, 2000);
      });

      it('times out a stream that stalls, keeping the partial text', async () => {
        fake().enqueue(reply.stall('first second third', 1));
        const err = await rejects(worker({}, { timeoutMs: 150 }).call(REQUEST));
        assert.equal(err.kind, 'timeout');
        assert.equal(err.partialText, 'first ');
        await fake().waitForClientClose(1, 2000);
      });

      it('keeps a slow but steady stream alive past the timeout (the timeout is per gap)', async () => {
        // Gaps of 100 ms under a 1 s timeout (10x, for a busy machine); the whole stream takes 1.5 s.
        const text = 'a b c d e f g h i j k l m n o';
        fake().enqueue(reply.text(text, { tokenDelayMs: 100 }));
        const res = await worker({}, { timeoutMs: 1000 }).call(REQUEST);
        assert.equal(res.text, text);
      });

      it('cancels mid-stream: cancelled error, partial text kept, HTTP connection closed promptly', async () => {
        // 40 tokens 50 ms apart: a call that waited for its stream would settle 2 s later.
        fake().enqueue(reply.text('x '.repeat(40), { tokens: 40, tokenDelayMs: 50 }));
        const ctl = new AbortController();
        let abortedAt = 0;
        const p = worker().call({
          ...REQUEST,
          signal: ctl.signal,
          onDelta: () => {
            if (!abortedAt) {
              abortedAt = performance.now();
              ctl.abort();
            }
          },
        });
        const err = await rejects(p);
        assert.equal(err.kind, 'cancelled');
        assert.equal(err.message, `Worker 'w-${c.provider}' (${c.provider}) was cancelled.`);
        assert.ok(performance.now() - abortedAt < 1000, 'the call settles right after the abort, not at the end of the stream');
        assert.equal(err.partialText, 'x ');
        await fake().waitForClientClose(1, 3000);
        assert.equal(fake().stats.open, 0);
      });

      it('cancels while waiting to retry, without sending the retry', async () => {
        fake().enqueue(reply.rateLimited(undefined, { retryAfterMs: 5000 }), reply.text('no'));
        const ctl = new AbortController();
        const p = worker({}, { maxRetryDelayMs: 5000 }).call({ ...REQUEST, signal: ctl.signal, onRetry: () => setTimeout(() => ctl.abort(), 20) });
        const t0 = performance.now();
        const err = await rejects(p);
        assert.equal(err.kind, 'cancelled');
        assert.ok(performance.now() - t0 < 1000);
        assert.equal(fake().requests.length, 1);
      });

      it('does not call at all when already cancelled', async () => {
        const ctl = new AbortController();
        ctl.abort();
        const err = await rejects(worker().call({ ...REQUEST, signal: ctl.signal }));
        assert.equal(err.kind, 'cancelled');
        assert.equal(fake().requests.length, 0);
      });

      it('reports an unknown model (404) as bad_request naming the model', async () => {
        fake().enqueue(reply.status(404, { message: 'model not found' }));
        const err = await rejects(worker().call(REQUEST));
        assert.equal(err.kind, 'bad_request');
        assert.match(err.message, new RegExp(`does not know model '${c.provider}-model-1'`));
        assert.match(err.detail, /model not found/);
      });

      it('reports an unreachable server as network after retries', async () => {
        const w = createWorker(
          { id: 'gone', provider: c.provider, model: 'm', baseUrl: 'http://127.0.0.1:9' + (c.provider === 'openai' ? '/v1' : ''), role: 'any' },
          { apiKey: KEY, timeoutMs: 2000, maxRetries: 1, retryBaseMs: 5 },
        );
        const err = await rejects(w.call(REQUEST));
        assert.equal(err.kind, 'network');
        assert.equal(err.retries, 1);
        assert.match(err.message, /could not reach http:\/\/127\.0\.0\.1:9/);
        assertNoKey(err);
      });
    });
  }

  describe('provider-specific details', () => {
    it('anthropic sends max_tokens 8192 when nothing is configured', async () => {
      const w = createWorker({ id: 'c', provider: 'anthropic', model: 'claude-x', baseUrl: fakes.anthropic.url, role: 'any' }, { apiKey: KEY, timeoutMs: 2000, maxRetries: 0 });
      await w.call(REQUEST);
      assert.equal(fakes.anthropic.lastRequest!.body.max_tokens, 8192);
    });

    it('openai sends no token limit when nothing is configured', async () => {
      const w = createWorker({ id: 'g', provider: 'openai', model: 'gpt-x', baseUrl: fakes.openai.url, role: 'any' }, { apiKey: KEY, timeoutMs: 2000, maxRetries: 0 });
      await w.call(REQUEST);
      const body = fakes.openai.lastRequest!.body;
      assert.equal(body.max_tokens, undefined);
      assert.equal(body.max_completion_tokens, undefined);
    });

    it("google treats 400 API_KEY_INVALID (Gemini's answer to a bad key) as auth", async () => {
      fakes.gemini.enqueue(
        reply.status(400, {
          body: {
            error: {
              code: 400,
              message: 'API key not valid. Please pass a valid API key.',
              status: 'INVALID_ARGUMENT',
              details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }],
            },
          },
        }),
      );
      const w = createWorker({ id: 'gem', provider: 'google', model: 'gemini-2.5-pro', baseUrl: fakes.gemini.url, role: 'any' }, { apiKey: KEY, timeoutMs: 2000, maxRetries: 2 });
      const err = await rejects(w.call(REQUEST));
      assert.equal(err.kind, 'auth');
      assert.match(err.message, /check GEMINI_API_KEY/);
    });

    it('openai honours retry-after in whole seconds', async () => {
      fakes.openai.enqueue(reply.rateLimited(1), reply.text('ok'));
      const w = createWorker({ id: 'g', provider: 'openai', model: 'gpt-x', baseUrl: fakes.openai.url, role: 'any' }, { apiKey: KEY, timeoutMs: 2000, maxRetries: 1 });
      const res = await w.call(REQUEST);
      const [a, b] = fakes.openai.requests;
      assert.equal(res.retries, 1);
      assert.ok(b.receivedAt - a.receivedAt >= 990, `waited ${(b.receivedAt - a.receivedAt).toFixed(0)} ms`);
    });

    it('anthropic retries an overloaded 529', async () => {
      fakes.anthropic.enqueue(reply.status(529), reply.text('fine now'));
      const w = createWorker({ id: 'c', provider: 'anthropic', model: 'claude-x', baseUrl: fakes.anthropic.url, role: 'any' }, { apiKey: KEY, timeoutMs: 2000, maxRetries: 1, retryBaseMs: 5 });
      const res = await w.call(REQUEST);
      assert.equal(res.text, 'fine now');
      assert.equal(res.retries, 1);
    });

    it('a worker serves concurrent calls independently', async () => {
      fakes.openai.on((r) => r.lastUserText === 'one', reply.text('first', { tokenDelayMs: 10 })).on((r) => r.lastUserText === 'two', reply.text('second'));
      const w = createWorker({ id: 'g', provider: 'openai', model: 'gpt-x', baseUrl: fakes.openai.url, role: 'any' }, { apiKey: KEY, timeoutMs: 2000, maxRetries: 0 });
      const [a, b] = await Promise.all([w.call({ messages: [{ role: 'user', content: 'one' }] }), w.call({ messages: [{ role: 'user', content: 'two' }] })]);
      assert.equal(a.text, 'first');
      assert.equal(b.text, 'second');
    });
  });
});
