import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { CONTEXT_DEFAULTS, TOOLS_DEFAULTS, type FuguConfig } from '../../../src/core/config';
import { keyNameFor } from '../../../src/vscode/keyEnv';
import { KeyStore } from '../../../src/vscode/keys';

/** An in-memory SecretStorage with the same contract (strings by key). */
function memorySecrets(): vscode.SecretStorage {
  const m = new Map<string, string>();
  return {
    get: async (k: string) => m.get(k),
    store: async (k: string, v: string) => void m.set(k, v),
    delete: async (k: string) => void m.delete(k),
    keys: async () => [...m.keys()],
    onDidChange: (() => ({ dispose() {} })) as never,
  } as vscode.SecretStorage;
}

const base: FuguConfig = {
  policy: { backend: 'builtin', timeoutMs: 1000 },
  workers: [
    { id: 'gpt', provider: 'openai', model: 'gpt-5', role: 'coder' },
    { id: 'claude', provider: 'anthropic', model: 'c', role: 'planner' },
    { id: 'local', provider: 'openai-compatible', model: 'llama', baseUrl: 'http://127.0.0.1:11434/v1', role: 'planner' },
  ],
  maxSteps: 5,
  maxRecursion: 1,
  budget: { maxCalls: 1, maxTokens: 1, maxCostUsd: 1 },
  timeoutMs: 1000,
  maxRetries: 0,
  context: CONTEXT_DEFAULTS,
  tools: TOOLS_DEFAULTS,
};

describe('KeyStore', () => {
  it('prefers the stored key, falls back to the environment, and clears', async () => {
    const store = new KeyStore(memorySecrets(), { OPENAI_API_KEY: 'env-key' });
    const resolve = store.resolver();
    assert.equal(await resolve(base.workers[0]), 'env-key');
    assert.equal(await store.source('OPENAI_API_KEY'), 'env');
    await store.set('OPENAI_API_KEY', '  stored-key \n');
    assert.equal(await resolve(base.workers[0]), 'stored-key');
    assert.equal(await store.source('OPENAI_API_KEY'), 'secret');
    await store.clear('OPENAI_API_KEY');
    assert.equal(await resolve(base.workers[0]), 'env-key');
  });

  it('never hands the OpenAI key to a custom endpoint that names no key', async () => {
    const store = new KeyStore(memorySecrets(), { OPENAI_API_KEY: 'openai-secret' });
    assert.equal(keyNameFor(base.workers[2]), 'endpoint:local');
    assert.equal(await store.resolver()(base.workers[2]), undefined);
  });

  it('lists the missing keys with the workers that need them; a keyless local server needs none', async () => {
    const store = new KeyStore(memorySecrets(), {});
    assert.deepEqual(await store.missing(base), [
      { name: 'OPENAI_API_KEY', who: ['gpt'] },
      { name: 'ANTHROPIC_API_KEY', who: ['claude'] },
    ]);
    await store.set('OPENAI_API_KEY', 'k');
    await store.set('ANTHROPIC_API_KEY', 'k');
    assert.deepEqual(await store.missing(base), []);
  });

  it('asks only for the Fugu key when the hosted Fugu policy runs the task', async () => {
    const store = new KeyStore(memorySecrets(), {});
    assert.deepEqual(await store.missing({ ...base, policy: { backend: 'fugu', timeoutMs: 1 } }), [{ name: 'FUGU_API_KEY', who: ['the Fugu policy'] }]);
  });
});
