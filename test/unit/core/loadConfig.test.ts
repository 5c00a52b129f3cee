import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '../../../src/core/loadConfig';

const coder = { id: 'gpt', provider: 'openai', model: 'gpt-5', role: 'coder' };

describe('parseConfig', () => {
  it('fills every default from a minimal config', () => {
    const c = parseConfig({ workers: [coder] });
    assert.equal(c.policy.backend, 'learned');
    assert.equal(c.policy.timeoutMs, 60_000);
    assert.equal(c.maxSteps, 5);
    assert.equal(c.maxRecursion, 1);
    assert.deepEqual(c.budget, { maxCalls: 20, maxTokens: 400_000, maxCostUsd: 2 });
  });

  const bad: [string, unknown, RegExp][] = [
    ['an unknown provider', { workers: [{ ...coder, provider: 'openia' }] }, /workers\[0\]\.provider/],
    ['a duplicate id', { workers: [coder, { ...coder }] }, /two workers have the id 'gpt'/],
    ['no coder', { workers: [{ ...coder, role: 'planner' }] }, /no worker can write code/],
    ['no workers', { workers: [] }, /at least one worker/],
    ['a bad base URL', { workers: [{ ...coder, baseUrl: 'localhost:11434' }] }, /workers\[0\]\.baseUrl/],
    ['maxSteps 0', { workers: [coder], maxSteps: 0 }, /maxSteps/],
    ['a negative budget', { workers: [coder], budget: { maxCostUsd: -1 } }, /budget\.maxCostUsd/],
    ['policy.worker naming nobody', { workers: [coder], policy: { backend: 'conductor', worker: 'ghost' } }, /no worker has the id 'ghost'/],
    ['a conductor without an endpoint', { workers: [coder], policy: { backend: 'conductor' } }, /policy\.baseUrl and policy\.model/],
    ['an unknown backend', { workers: [coder], policy: { backend: 'oracle' } }, /policy\.backend/],
  ];
  for (const [name, raw, re] of bad) {
    it(`rejects ${name} with a message that says where`, () => {
      assert.throws(() => parseConfig(raw), (e: unknown) => e instanceof ConfigError && re.test(e.message));
    });
  }

  it('accepts the example config the README points to', () => {
    const raw = JSON.parse(readFileSync(join(__dirname, '../../../../examples/fugu.config.json'), 'utf8'));
    assert.deepEqual(parseConfig(raw).workers.map((w) => w.role), ['planner', 'planner', 'coder']);
  });

  const refusals: [string, unknown, string][] = [
    ['a misspelt worker key', { workers: [{ ...coder, timeoutMS: 300 }] }, 'Invalid configuration: workers[0].timeoutMS is not a setting; did you mean timeoutMs?'],
    ['a misspelt budget key', { workers: [coder], budget: { maxCall: 3 } }, 'Invalid configuration: budget.maxCall is not a setting; did you mean maxCalls?'],
    ['a misspelt top-level key', { workers: [coder], maxretries: 3 }, 'Invalid configuration: maxretries is not a setting; did you mean maxRetries?'],
    [
      'an unknown key near nothing known',
      { workers: [coder], policy: { backend: 'builtin', colour: 'red' } },
      'Invalid configuration: policy.colour is not a setting; the settings here are backend, baseUrl, model, apiKeyEnv, worker, timeoutMs, planningContextTokens, learned.',
    ],
    [
      'an unknown provider',
      { workers: [{ ...coder, provider: 'mystery-ai' }] },
      'Invalid configuration: workers[0].provider is "mystery-ai"; expected one of openai, anthropic, google, openai-compatible, vscode-lm.',
    ],
    ['a word for a number', { workers: [coder], maxRetries: 'three' }, 'Invalid configuration: maxRetries is "three"; expected a whole number from 0 to 10.'],
    ['a fraction for a whole number', { workers: [coder], maxSteps: 2.5 }, 'Invalid configuration: maxSteps is 2.5; expected a whole number from 1 to 5.'],
    ['a missing model', { workers: [{ id: 'gpt', provider: 'openai' }] }, 'Invalid configuration: workers[0].model is missing; expected a non-empty string.'],
    ['a half price', { workers: [coder], prices: { 'gpt-5': { input: 1 } } }, 'Invalid configuration: prices["gpt-5"].output is missing; expected a number of at least 0.'],
    ['a negative worker timeout', { workers: [{ ...coder, timeoutMs: -5 }] }, 'Invalid configuration: workers[0].timeoutMs is -5; expected a whole number of at least 1.'],
    ['something that is not an object', 5, 'Invalid configuration: the configuration is 5; expected an object.'],
  ];
  for (const [name, raw, message] of refusals) {
    it(`refuses ${name}, naming the setting and the value`, () => {
      assert.throws(() => parseConfig(raw), (e: unknown) => e instanceof ConfigError && e.message === message);
    });
  }

  it('never repeats a key pasted into the wrong setting', () => {
    const key = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123';
    assert.throws(
      () => parseConfig({ workers: [{ ...coder, maxOutputTokens: key }] }),
      (e: unknown) => e instanceof ConfigError && e.message.startsWith('Invalid configuration: workers[0].maxOutputTokens is "***"') && !e.message.includes('abcdefgh'),
    );
  });

  it("keeps a worker's own timeout", () => {
    assert.equal(parseConfig({ workers: [{ ...coder, timeoutMs: 300 }] }).workers[0].timeoutMs, 300);
  });

  it('hosted Fugu needs no coder in the pool', () => {
    assert.equal(parseConfig({ workers: [{ ...coder, role: 'planner' }], policy: { backend: 'fugu' } }).policy.backend, 'fugu');
  });
});
