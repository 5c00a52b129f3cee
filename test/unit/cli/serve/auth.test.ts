import assert from 'node:assert/strict';
import http from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { bearerMatches, hostName, isLoopback } from '../../../../src/cli/serve/bearerToken';
import { ServeStartError, startServer } from '../../../../src/cli/serve/startServer';
import { reply } from '../../../fakes';
import { useFakes } from '../../../support/suiteFakes';
import { codingTask, serveConfigFor, startFor } from '../../../support/serve';

const TOKEN = 'serve-token-for-tests-0123456789';

function rawGet(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('fugu serve: who may call', () => {
  const fakes = useFakes({ resetEachTest: false });
  before(async () => {
    fakes.openai.setDefault(() => reply.text('authorised code'));
  });

  it('matches only the exact bearer token', () => {
    assert.equal(bearerMatches(`Bearer ${TOKEN}`, TOKEN), true);
    assert.equal(bearerMatches(`bearer ${TOKEN}`, TOKEN), true);
    assert.equal(bearerMatches(`Bearer ${TOKEN}x`, TOKEN), false);
    assert.equal(bearerMatches(`Bearer ${TOKEN.slice(0, -1)}`, TOKEN), false);
    assert.equal(bearerMatches(TOKEN, TOKEN), false, 'the scheme is required');
    assert.equal(bearerMatches(undefined, TOKEN), false);
    assert.equal(bearerMatches('Bearer ', TOKEN), false);
  });

  it('knows loopback addresses and reads host names from Host headers', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) assert.equal(isLoopback(h), true, h);
    for (const h of ['0.0.0.0', '::', '192.168.1.4', 'example.com', '127.0.0.1.evil.com', '']) assert.equal(isLoopback(h), false, h);
    assert.equal(hostName('127.0.0.1:8787'), '127.0.0.1');
    assert.equal(hostName('[::1]:8787'), '[::1]');
    assert.equal(hostName('localhost'), 'localhost');
  });

  it('Anthropic clients give the token as x-api-key or as a bearer token; a wrong one is a 401 in Anthropic’s shape', async () => {
    const { server } = await startFor(serveConfigFor(fakes), { token: TOKEN });
    try {
      fakes.gemini.setDefault(() => reply.text('plan'));
      fakes.anthropic.setDefault(() => reply.text('plan'));
      const ask = (client: Anthropic) => client.messages.create({ model: 'fugu', max_tokens: 100, messages: [{ role: 'user', content: codingTask('tok-xkey') }] });
      const viaKey = await ask(new Anthropic({ apiKey: TOKEN, authToken: null, baseURL: server.url, maxRetries: 0 }));
      assert.deepEqual(viaKey.content, [{ type: 'text', text: 'authorised code' }]);
      const viaBearer = await ask(new Anthropic({ apiKey: null, authToken: TOKEN, baseURL: server.url, maxRetries: 0 }));
      assert.equal(viaBearer.stop_reason, 'end_turn');
      await assert.rejects(ask(new Anthropic({ apiKey: `${TOKEN}x`, authToken: null, baseURL: server.url, maxRetries: 0 })), (e: unknown) => {
        const err = e as { status?: number; error?: { type?: string; error?: { type?: string } } };
        return err.status === 401 && err.error?.type === 'error' && err.error.error?.type === 'authentication_error';
      });
    } finally {
      await server.close(0);
    }
  });

  it('refuses to bind a non-loopback address without a token', async () => {
    await assert.rejects(startServer(serveConfigFor(fakes), { host: '0.0.0.0', port: 0 }), (e: unknown) => e instanceof ServeStartError && /FUGU_SERVER_TOKEN/.test(e.message));
  });

  it('on 0.0.0.0 with a token: the SDK with the token gets through, without it gets 401', async () => {
    const { server } = await startFor(serveConfigFor(fakes), { host: '0.0.0.0', token: TOKEN });
    try {
      const base = `http://127.0.0.1:${server.port}/v1`;
      const good = new OpenAI({ apiKey: TOKEN, baseURL: base, maxRetries: 0 });
      const r = await good.chat.completions.create({ model: 'fugu', messages: [{ role: 'user', content: codingTask('tok-auth') }] });
      assert.equal(r.choices[0].message.content, 'authorised code');
      const bad = new OpenAI({ apiKey: 'wrong', baseURL: base, maxRetries: 0 });
      const before = fakes.openai.requests.length;
      await assert.rejects(bad.chat.completions.create({ model: 'fugu', messages: [{ role: 'user', content: codingTask('tok-no') }] }), OpenAI.AuthenticationError);
      await assert.rejects(bad.models.list(), OpenAI.AuthenticationError);
      assert.equal((await fetch(`${base}/traces/${(r as any).fugu.trace_id}`)).status, 401, 'traces need the token too');
      assert.equal(fakes.openai.requests.length, before, 'no run for a refused request');
    } finally {
      await server.close(0);
    }
  });

  it('without a token, a request addressed to another host name is refused (DNS rebinding)', async () => {
    const { server } = await startFor(serveConfigFor(fakes));
    try {
      assert.equal(await rawGet(server.port, '/v1/models', { host: `127.0.0.1:${server.port}` }), 200);
      assert.equal(await rawGet(server.port, '/v1/models', { host: `localhost:${server.port}` }), 200);
      assert.equal(await rawGet(server.port, '/v1/models', { host: `attacker.example:${server.port}` }), 403);
    } finally {
      await server.close(0);
    }
  });
});
