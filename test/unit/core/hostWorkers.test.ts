import assert from 'node:assert/strict';
import type { WorkerConfig } from '../../../src/core/config';
import { describePool } from '../../../src/core/policies/describePool';
import { runTask } from '../../../src/core/runTask';
import { NO_KEY } from '../../../src/core/workers/keyEnv';
import { createOpenAIWorker } from '../../../src/core/workers/openaiWorker';
import type { WorkerFactories } from '../../../src/core/workers/types';
import { reply, type FakeSet } from '../../fakes';
import { useFakes } from '../../support/suiteFakes';
import { configFor, TEST_KEY } from '../../support/pool';

// The editor brings the vscode-lm worker through RunOptions.workerFactories. Here the factory is a real
// OpenAI-compatible worker on the fake server, so the seam is exercised with a real SDK in plain Node.
describe('workers the host brings (provider vscode-lm)', () => {
  const fakes = useFakes();

  const lmPlanner: WorkerConfig = { id: 'copilot-claude', provider: 'vscode-lm', vendor: 'copilot', model: 'claude-sonnet-4', role: 'planner' };
  const pool = (f: FakeSet): WorkerConfig[] => [lmPlanner, { id: 'gpt', provider: 'openai', model: 'gpt-5', baseUrl: f.openai.url, role: 'coder' }];
  const hosted = (f: FakeSet): WorkerFactories => ({
    'vscode-lm': (cfg, opts) => createOpenAIWorker({ ...cfg, provider: 'openai-compatible', baseUrl: f.openai.url }, { ...opts, apiKey: NO_KEY }),
  });

  it('needs no key, costs 0 although its model has a table price, and its step says "subscription"', async () => {
    fakes.openai.on((r) => r.model === 'claude-sonnet-4', reply.text('Plan: add it.', { usage: { inputTokens: 1000, outputTokens: 1000 } }));
    fakes.openai.on((r) => r.model === 'gpt-5', reply.text('Done.', { usage: { inputTokens: 1000, outputTokens: 1000 } }));
    // Only the key-paid worker has a key: the hosted one is never refused for lacking one.
    const keys = async (w: WorkerConfig) => (w.provider === 'openai' ? TEST_KEY : undefined);
    const { trace } = await runTask({ task: 'Add a greet(name) function to src/greet.ts', config: configFor(fakes, { workers: pool(fakes), maxRecursion: 0 }), keys, workerFactories: hosted(fakes) });
    assert.equal(trace.status, 'succeeded', trace.error ?? '');
    const [plan, code] = trace.rounds[0].steps;
    assert.deepEqual([plan.provider, plan.subscription, plan.costUsd, plan.usage.outputTokens], ['vscode-lm', true, 0, 1000]);
    assert.equal(code.subscription, undefined);
    assert.ok(code.costUsd > 0, 'the key-paid worker still costs');
    assert.equal(trace.costUsd, code.costUsd);
  });

  it('without the host, the run fails in one sentence saying the worker needs VS Code', async () => {
    const { trace } = await runTask({ task: 'Explain the cart', config: configFor(fakes, { workers: pool(fakes), maxRecursion: 0 }), keys: async () => TEST_KEY });
    assert.equal(trace.status, 'failed');
    assert.match(trace.error ?? '', /Worker 'copilot-claude' uses provider 'vscode-lm', which needs VS Code/);
    assert.equal(fakes.openai.requests.filter((r) => r.model === 'claude-sonnet-4').length, 0);
  });

  it('is described to a conductor as included in a subscription, not at its table price', () => {
    const text = describePool({ workers: pool(fakes) }, { includeConductor: false });
    assert.match(text, /Model 0: role planner\. .*Cost: included in a subscription/);
    assert.match(text, /Model 1: role coder\. .*Cost: \$1\.25 per million input tokens/);
  });
});
