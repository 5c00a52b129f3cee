// `node dist/cli.js serve` as a real process: startup refusals, the SDK against it, SIGTERM.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { reply } from '../../../fakes';
import { useFakes } from '../../../support/suiteFakes';
import { poolFor } from '../../../support/pool';
import { codingTask } from '../../../support/serve';
import { runCli } from '../../../support/cli';
import { buildIfStale, env, serve } from '../../../support/serveProcess';
import { tempDir } from '../../../support/tempDir';

describe('fugu serve as a process (dist/cli.js)', function () {
  this.timeout(60_000);
  const fakes = useFakes();
  let dir: string;
  let configPath: string;

  before(async () => {
    buildIfStale();
    dir = tempDir('fugu-serve-');
    configPath = join(dir, 'serve.json');
    writeFileSync(configPath, JSON.stringify({ workers: poolFor(fakes), maxRetries: 0, timeoutMs: 30_000, server: { shutdownGraceMs: 5000 } }));
  });
  beforeEach(() => {
    fakes.all.forEach((f) => f.setDefault(() => reply.text('plan')));
  });

  // Each of these exits at once; one that did not would be killed after 10 s.
  const refused = (args: string[], e = env()) => runCli(['serve', ...args, '--port', '0'], { env: e, timeoutMs: 10_000 });

  it('refuses to bind 0.0.0.0 without FUGU_SERVER_TOKEN (exit 2)', async () => {
    const r = await refused(['--config', configPath, '--host', '0.0.0.0']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /refusing to start: .*FUGU_SERVER_TOKEN/);
  });

  it('refuses a bad config and a missing key (exit 2)', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"workers": []}');
    const r = await refused(['--config', bad]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Profile 'fugu': Invalid configuration: workers/);
    const noKey = { ...env() };
    delete noKey.OPENAI_API_KEY;
    const k = await refused(['--config', configPath], noKey);
    assert.equal(k.code, 2);
    assert.match(k.stderr, /missing key: set OPENAI_API_KEY/);
    const lm = join(dir, 'lm.json');
    writeFileSync(lm, JSON.stringify({ workers: [...poolFor(fakes), { id: 'copilot', provider: 'vscode-lm', vendor: 'copilot', model: 'gpt-4o', role: 'planner' }] }));
    const v = await refused(['--config', lm]);
    assert.equal(v.code, 2);
    assert.match(v.stderr, /Profile 'fugu': Worker 'copilot' uses provider 'vscode-lm', which needs VS Code/);
  });

  it('serves the SDK, then on SIGTERM finishes the run in flight and exits 0', async () => {
    const s = await serve(['--config', configPath, '--port', '0']);
    try {
      const client = new OpenAI({ apiKey: 'x', baseURL: s.url, maxRetries: 0 });
      fakes.openai.setDefault(() => reply.text('process code'));
      const quick = await client.chat.completions.create({ model: 'fugu', messages: [{ role: 'user', content: codingTask('tok-p1') }] });
      assert.equal(quick.choices[0].message.content, 'process code');

      fakes.openai.setDefault(() => reply.text('late code', { firstTokenDelayMs: 600 }));
      // Headers come with the first text, so the request is in flight while create() is pending.
      const texts = (async () => {
        const stream = await client.chat.completions.create({ model: 'fugu', messages: [{ role: 'user', content: codingTask('tok-p2') }], stream: true });
        let t = '';
        for await (const c of stream) t += c.choices[0]?.delta?.content ?? '';
        return t;
      })();
      await waitUntil(() => fakes.openai.requests.length === 2);
      s.child.kill('SIGTERM');
      assert.equal(await texts, 'late code', 'the in-flight run finished within the grace period');
      assert.equal(await s.exit, 0);
      assert.match(s.stderr(), /SIGTERM: finishing 1 run/);
      await assert.rejects(fetch(`${s.url}/models`), 'no longer listening');
    } finally {
      s.child.kill('SIGKILL');
    }
  });

  it('on SIGTERM past the grace period, cancels the run (503, upstream closed) and exits 0', async () => {
    const s = await serve(['--config', configPath, '--port', '0', '--grace-ms', '200']);
    try {
      const client = new OpenAI({ apiKey: 'x', baseURL: s.url, maxRetries: 0 });
      fakes.openai.setDefault(() => reply.hang());
      const pending = client.chat.completions.create({ model: 'fugu', messages: [{ role: 'user', content: codingTask('tok-p3') }] });
      await waitUntil(() => fakes.openai.requests.length === 1);
      const t0 = Date.now();
      s.child.kill('SIGTERM');
      await assert.rejects(pending, (e: unknown) => e instanceof OpenAI.APIError && e.status === 503 && e.code === 'shutting_down');
      assert.equal(await s.exit, 0);
      // The run would hang forever; the grace period is 0.2 s, a process exit takes a few hundred ms.
      assert.ok(Date.now() - t0 < 10_000, 'shut down after the grace period, not after the run');
      await fakes.openai.waitForClientClose(1, 5000);
    } finally {
      s.child.kill('SIGKILL');
    }
  });

  it('on 0.0.0.0 with a token requires it', async () => {
    const token = 'process-token-0123456789abcdef';
    const s = await serve(['--config', configPath, '--host', '0.0.0.0', '--port', '0'], { FUGU_SERVER_TOKEN: token });
    try {
      const url = s.url.replace('0.0.0.0', '127.0.0.1');
      assert.equal((await fetch(`${url}/models`)).status, 401);
      const ok = await fetch(`${url}/models`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(ok.status, 200);
      s.child.kill('SIGTERM');
      assert.equal(await s.exit, 0);
    } finally {
      s.child.kill('SIGKILL');
    }
  });
});

async function waitUntil(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
