import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/loadConfig';
import { requiredKeys, whoNeeds } from '../../../src/core/requiredKeys';

const pool = [
  { id: 'gpt', provider: 'openai', model: 'gpt-5', role: 'coder' },
  { id: 'gpt-mini', provider: 'openai', model: 'gpt-5-mini', role: 'planner' },
  { id: 'claude', provider: 'anthropic', model: 'claude-sonnet-4-5', role: 'planner' },
  { id: 'local', provider: 'openai-compatible', model: 'llama', baseUrl: 'http://127.0.0.1:11434/v1', role: 'planner' },
  { id: 'proxy', provider: 'openai-compatible', model: 'm', baseUrl: 'http://127.0.0.1:4000/v1', apiKeyEnv: 'PROXY_KEY', role: 'reviewer' },
];

describe('requiredKeys', () => {
  it('names each key once, with every worker that needs it; a local server that names no key needs none', () => {
    assert.deepEqual(requiredKeys(parseConfig({ workers: pool })), [
      { name: 'OPENAI_API_KEY', workers: ['gpt', 'gpt-mini'], policy: false },
      { name: 'ANTHROPIC_API_KEY', workers: ['claude'], policy: false },
      { name: 'PROXY_KEY', workers: ['proxy'], policy: false },
    ]);
  });

  it('asks hosted Fugu for its key alone, FUGU_API_KEY unless the policy names another', () => {
    const fugu = parseConfig({ workers: pool, policy: { backend: 'fugu' } });
    assert.deepEqual(requiredKeys(fugu), [{ name: 'FUGU_API_KEY', workers: [], policy: true }]);
    assert.deepEqual(whoNeeds(requiredKeys(fugu)[0], fugu), ['the Fugu policy']);
    const own = parseConfig({ workers: pool, policy: { backend: 'fugu', apiKeyEnv: 'SAKANA_KEY' } });
    assert.deepEqual(requiredKeys(own).map((k) => k.name), ['SAKANA_KEY']);
  });

  it("adds a conductor endpoint's key to the pool's, shared when it names the same variable", () => {
    const conductor = parseConfig({
      workers: pool,
      policy: { backend: 'conductor', baseUrl: 'http://127.0.0.1:8000/v1', model: 'c', apiKeyEnv: 'OPENAI_API_KEY' },
    });
    const openai = requiredKeys(conductor)[0];
    assert.deepEqual(openai, { name: 'OPENAI_API_KEY', workers: ['gpt', 'gpt-mini'], policy: true });
    assert.deepEqual(whoNeeds(openai, conductor), ['gpt', 'gpt-mini', 'the conductor']);
  });

  it('needs nothing more for a keyless conductor endpoint or a pool worker prompted as the conductor', () => {
    const keyless = parseConfig({ workers: pool, policy: { backend: 'conductor', baseUrl: 'http://127.0.0.1:8000/v1', model: 'c' } });
    const byWorker = parseConfig({ workers: pool, policy: { backend: 'conductor', worker: 'claude', apiKeyEnv: 'UNUSED' } });
    assert.deepEqual(requiredKeys(keyless), requiredKeys(parseConfig({ workers: pool })));
    assert.deepEqual(requiredKeys(byWorker), requiredKeys(parseConfig({ workers: pool })));
  });
});
