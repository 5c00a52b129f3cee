// `node dist/cli.js serve` as a real process: startup refusals, the SDK against it, SIGTERM.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { statSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import OpenAI from 'openai';
import { reply, startFakes, type Fakes } from '../../../fakes';
import { poolFor, TEST_KEY } from '../../../support/pool';
import { codingTask } from '../../../support/serve';
import { tempDir } from '../../../support/tempDir';

// The repository root: the nearest folder above this compiled file that holds the build script.
function findRoot(from: string): string {
  for (let d = from; d !== dirname(d); d = dirname(d)) if (existsSync(join(d, 'scripts/build.mjs'))) return d;
  throw new Error(`no repository root above ${from}`);
}
const ROOT = findRoot(__dirname);
const CLI = join(ROOT, 'dist/cli.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

interface Served {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, OPENAI_API_KEY: TEST_KEY, ANTHROPIC_API_KEY: TEST_KEY, GEMINI_API_KEY: TEST_KEY, ...extra };
  if (!extra.FUGU_SERVER_TOKEN) delete e.FUGU_SERVER_TOKEN;
  return e;
}

function serve(args: string[], extraEnv: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { cwd: ROOT, env: env(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return new Promise((res, rej) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl !== -1) res({ child, url: JSON.parse(out.slice(0, nl)).url, stderr: () => err, exit });
    });
    void exit.then((code) => rej(new Error(`fugu serve exited ${code} before listening: ${err}`)));
  });
}

describe('fugu serve as a process (dist/cli.js)', function () {
  this.timeout(60_000);
  let fakes: Fakes;
  let dir: string;
  let configPath: string;

  before(async () => {
    const stale = !existsSync(CLI) || statSync(CLI).mtimeMs < newestSource(join(ROOT, 'src'));
    if (stale) {
      const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(b.status, 0, `the build failed: ${b.stderr}`);
    }
    fakes = await startFakes();
    dir = tempDir('fugu-serve-');
    configPath = join(dir, 'serve.json');
    writeFileSync(configPath, JSON.stringify({ workers: poolFor(fakes), maxRetries: 0, timeoutMs: 5000, server: { shutdownGraceMs: 5000 } }));
  });
  after(() => fakes.close());
  beforeEach(() => {
    fakes.reset();
    fakes.all.forEach((f) => f.setDefault(() => reply.text('plan')));
  });

  it('refuses to bind 0.0.0.0 without FUGU_SERVER_TOKEN (exit 2)', () => {
    const r = spawnSync(process.execPath, [CLI, 'serve', '--config', configPath, '--host', '0.0.0.0', '--port', '0'], { env: env(), encoding: 'utf8', timeout: 10_000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /refusing to start: .*FUGU_SERVER_TOKEN/);
  });

  it('refuses a bad config and a missing key (exit 2)', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"workers": []}');
    const r = spawnSync(process.execPath, [CLI, 'serve', '--config', bad, '--port', '0'], { env: env(), encoding: 'utf8', timeout: 10_000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Profile 'fugu': Invalid configuration: workers/);
    const noKey = { ...env() };
    delete noKey.OPENAI_API_KEY;
    const k = spawnSync(process.execPath, [CLI, 'serve', '--config', configPath, '--port', '0'], { env: noKey, encoding: 'utf8', timeout: 10_000 });
    assert.equal(k.status, 2);
    assert.match(k.stderr, /missing key: set OPENAI_API_KEY/);
    const lm = join(dir, 'lm.json');
    writeFileSync(lm, JSON.stringify({ workers: [...poolFor(fakes), { id: 'copilot', provider: 'vscode-lm', vendor: 'copilot', model: 'gpt-4o', role: 'planner' }] }));
    const v = spawnSync(process.execPath, [CLI, 'serve', '--config', lm, '--port', '0'], { env: env(), encoding: 'utf8', timeout: 10_000 });
    assert.equal(v.status, 2);
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
      assert.ok(Date.now() - t0 < 3000, 'shut down promptly after the grace period');
      await fakes.openai.waitForClientClose(1, 1000);
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
