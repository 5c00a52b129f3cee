// Fakes + an in-process `fugu serve` + the official openai SDK pointed at it.
import OpenAI from 'openai';
import type { WorkerConfig } from '../../src/core/config';
import { parseServeConfig, type ServeConfig } from '../../src/cli/serve/serveConfig';
import { startServer, type RunningServer, type ServerOptions } from '../../src/cli/serve/startServer';
import { reply, type FakeSet, type FakeRequest } from '../fakes';
import { poolFor, testKeys } from './pool';

/** Every word of the form `tok-xxxx` in everything a fake was sent. */
export function tokensIn(req: FakeRequest): string[] {
  return [...new Set(req.messages.map((m) => m.text).join('\n').match(/tok-[a-z0-9]+/g) ?? [])];
}

/** A serve config over the fakes: the base pool, default profiles unless given. */
export function serveConfigFor(fakes: FakeSet, raw: Record<string, unknown> = {}): ServeConfig {
  return parseServeConfig({
    workers: poolFor(fakes),
    // The fakes answer in milliseconds; a busy machine can still stall a first call for seconds.
    timeoutMs: 30_000,
    maxRetries: 0,
    policy: { backend: 'builtin', timeoutMs: 5000 },
    ...raw,
  });
}

/** The pool plus a reviewer, for workflows with a review and a corrective round. */
export function poolWithReviewer(fakes: FakeSet): WorkerConfig[] {
  return [...poolFor(fakes), { id: 'reviewer', provider: 'anthropic', model: 'claude-reviewer', baseUrl: fakes.anthropic.url, role: 'reviewer' }];
}

export async function startFor(config: ServeConfig, opts: ServerOptions = {}): Promise<{ server: RunningServer; client: OpenAI; base: string }> {
  const server = await startServer(config, { port: 0, keys: testKeys, ...opts });
  const base = `${server.url}/v1`;
  const client = new OpenAI({ apiKey: opts.token ?? 'unused-by-loopback', baseURL: base, maxRetries: 0 });
  return { server, client, base };
}

/** A coding task (the builtin policy plans, then codes) carrying a unique token. */
export function codingTask(token: string): string {
  return `Implement the function parse_${token.replace(/-/g, '_')} in src/parse.ts; keep the token ${token}.`;
}

export async function waitFor(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** An agent's coder: calls the first tool offered (city Kyoto) until it has a result, then answers with the results. */
export function weatherCoder(req: FakeRequest) {
  if (req.toolResults.length) return reply.text(`Answer from ${req.toolResults.map((r) => r.content).join(' + ')}`, { tokenDelayMs: 2 });
  if (req.tools.length) return reply.toolCalls([{ name: req.tools[0].name, arguments: { city: 'Kyoto' } }], { argumentPieces: 3 });
  return reply.text('plain answer', { tokenDelayMs: 2 });
}

/** Where each agent-client test starts: fresh fakes, planners that plan, the weather coder. */
export function resetAgentFakes(fakes: FakeSet): void {
  fakes.reset();
  fakes.gemini.setDefault(() => reply.text('plan from gemini'));
  fakes.anthropic.setDefault(() => reply.text('plan from claude'));
  fakes.openai.setDefault(weatherCoder);
}
