// Local OpenAI-compatible servers: no key needed, usage may be missing, max_tokens rather than max_completion_tokens.
import assert from 'node:assert/strict';
import { createWorker, defaultKeyEnv, NO_KEY } from '../../../../src/core/workers/createWorker';
import { WorkerError } from '../../../../src/core/workers/types';
import { reply, startOpenAIFake, type FakeProvider } from '../../../fakes';

describe('openai-compatible worker', () => {
  let fake: FakeProvider;
  before(async () => {
    fake = await startOpenAIFake();
  });
  after(() => fake.close());
  beforeEach(() => fake.reset());

  const worker = (apiKey = '', maxOutputTokens?: number) =>
    createWorker(
      { id: 'local', provider: 'openai-compatible', model: 'qwen2.5-coder:7b', baseUrl: fake.url, role: 'coder', maxOutputTokens },
      { apiKey, timeoutMs: 2000, maxRetries: 0 },
    );

  it("sends 'not-needed' when no key is configured", async () => {
    await worker().call({ messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(fake.lastRequest!.apiKey, NO_KEY);
  });

  it('estimates usage (~4 chars a token) and marks it when the server sends none', async () => {
    fake.enqueue(reply.text('x'.repeat(40), { omitUsage: true }));
    const res = await worker().call({ system: 'sys!', messages: [{ role: 'user', content: 'y'.repeat(36) }] });
    assert.equal(res.usageEstimated, true);
    assert.deepEqual(res.usage, { inputTokens: 10, outputTokens: 10 });
  });

  it('uses max_tokens, which local servers understand', async () => {
    await worker('', 300).call({ messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(fake.lastRequest!.body.max_tokens, 300);
    assert.equal(fake.lastRequest!.body.max_completion_tokens, undefined);
  });

  it('names the base URL instead of an environment variable when the key is rejected', async () => {
    fake.enqueue(reply.status(401));
    const err = await worker('local-secret-key').call({ messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    assert.ok(err instanceof WorkerError);
    assert.equal(err.kind, 'auth');
    assert.equal(err.message, `Worker 'local' (openai-compatible) rejected the API key (HTTP 401): check the key for ${fake.url}.`);
    assert.ok(!err.detail.includes('local-secret-key'));
  });

  it('has no default key variable; the hosted providers do', () => {
    assert.equal(defaultKeyEnv('openai-compatible'), undefined);
    assert.equal(defaultKeyEnv('openai'), 'OPENAI_API_KEY');
    assert.equal(defaultKeyEnv('anthropic'), 'ANTHROPIC_API_KEY');
    assert.equal(defaultKeyEnv('google'), 'GEMINI_API_KEY');
  });
});
