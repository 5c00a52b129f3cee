import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '../../../src/core/loadConfig';

const coder = { id: 'gpt', provider: 'openai', model: 'gpt-5', role: 'coder' };

describe('parseConfig', () => {
  it('fills every default from a minimal config', () => {
    const c = parseConfig({ workers: [coder] });
    assert.equal(c.policy.backend, 'builtin');
    assert.equal(c.policy.timeoutMs, 60_000);
    assert.equal(c.maxSteps, 5);
    assert.equal(c.maxRecursion, 1);
    assert.deepEqual(c.budget, { maxCalls: 20, maxTokens: 400_000, maxCostUsd: 2 });
  });

  const bad: [string, unknown, RegExp][] = [
    ['an unknown provider', { workers: [{ ...coder, provider: 'openia' }] }, /workers\.0\.provider/],
    ['a duplicate id', { workers: [coder, { ...coder }] }, /two workers have the id 'gpt'/],
    ['no coder', { workers: [{ ...coder, role: 'planner' }] }, /no worker can write code/],
    ['no workers', { workers: [] }, /at least one worker/],
    ['a bad base URL', { workers: [{ ...coder, baseUrl: 'localhost:11434' }] }, /workers\.0\.baseUrl/],
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

  it('hosted Fugu needs no coder in the pool', () => {
    assert.equal(parseConfig({ workers: [{ ...coder, role: 'planner' }], policy: { backend: 'fugu' } }).policy.backend, 'fugu');
  });
});
