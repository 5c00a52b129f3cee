// Scripted providers for `fugu eval --demo`: each fake plays one worker of the sample suite's pool.
// Alone, each worker gets some tasks wrong (demo.json says which); as the workflow's coder, with the
// planners' plans in view, the fix is right except where demo.json lists "workflow". The point is to
// show the whole pipeline and the report offline, not to measure anything: the models are named as
// fakes, their prices are made up, and every output says "scripted demo" first.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeRequest } from './fakeServer';
import { reply } from './reply';
import { startFakes } from './startFakes';

interface Script {
  fix?: string;
  wrong?: string;
  right?: string;
  fails: string[];
}

const PACE = { firstTokenDelayMs: 20, tokenDelayMs: 1 };

export async function startEvalDemo(suiteDir: string) {
  const script = JSON.parse(readFileSync(join(suiteDir, 'demo.json'), 'utf8')) as Record<string, Script>;
  const prompts = readFileSync(join(suiteDir, 'suite.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { id: string; prompt: string });
  const fakes = await startFakes();

  const answer = (worker: string) => (req: FakeRequest) => {
    const first = req.messages.find((m) => m.role === 'user')?.text ?? '';
    const task = prompts.find((p) => first.includes(p.prompt));
    const s = task ? script[task.id] : undefined;
    if (!task || !s) return reply.text(`I do not know this task.`, PACE);
    const withPlans = req.messages.some((m) => m.role === 'assistant' || m.role === 'model');
    const wrong = withPlans ? s.fails.includes('workflow') : s.fails.includes(worker);
    const asksForEdits = req.messages.some((m) => m.text.includes('<<<<<<< SEARCH'));
    if (s.fix !== undefined) {
      if (!asksForEdits) return reply.text(`Plan for ${task.id}: read the failing test, change the one line it points at, keep the rest.`, PACE);
      return reply.text(wrong ? s.wrong! : s.fix, PACE);
    }
    return reply.text(wrong ? s.wrong! : s.right!, PACE);
  };
  fakes.openai.setDefault(answer('gpt'));
  fakes.anthropic.setDefault(answer('claude'));
  fakes.gemini.setDefault(answer('gemini'));

  const config = {
    policy: { backend: 'builtin' },
    workers: [
      { id: 'gemini', provider: 'google', model: 'fake-scripted-gemini', role: 'planner', baseUrl: fakes.gemini.url },
      { id: 'claude', provider: 'anthropic', model: 'fake-scripted-claude', role: 'planner', baseUrl: fakes.anthropic.url },
      { id: 'gpt', provider: 'openai', model: 'fake-scripted-gpt', role: 'coder', baseUrl: fakes.openai.url },
    ],
    // Made-up prices (USD per million tokens), so the cost columns have something to show.
    prices: {
      'fake-scripted-gemini': { input: 1, output: 4 },
      'fake-scripted-claude': { input: 2, output: 8 },
      'fake-scripted-gpt': { input: 1.5, output: 6 },
    },
    maxRetries: 0,
    timeoutMs: 20_000,
  };
  return {
    config,
    env: { OPENAI_API_KEY: 'demo', ANTHROPIC_API_KEY: 'demo', GEMINI_API_KEY: 'demo' },
    close: () => fakes.close(),
  };
}
