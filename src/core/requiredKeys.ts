// Which keys a configuration needs, and who needs each: the one answer the extension's key store,
// the CLI's preflight and runTask all use.
import type { PolicyConfig, WorkerConfig } from './config';
import { fuguKeyEnv } from './policies/fugu';
import { keyEnvOf } from './workers/keyEnv';

export interface RequiredKey {
  /** The environment variable the key stands for (also its name in the editor's secret storage). */
  name: string;
  /** Ids of the pool workers that need it, in config order. */
  workers: string[];
  /** Whether the policy needs it (hosted Fugu, or a conductor endpoint). */
  policy: boolean;
}

/** What requiredKeys reads: the pool and the policy, which may come from settings that are not all valid. */
export interface KeyedConfig {
  workers: readonly Pick<WorkerConfig, 'id' | 'provider' | 'apiKeyEnv'>[];
  policy: Partial<PolicyConfig>;
}

/**
 * The keys a run with this configuration needs. Hosted Fugu runs the whole task on its side, so it
 * needs only its own key; otherwise every pool worker that names a key variable (a local server
 * that names none needs none), and a conductor endpoint that names one.
 */
export function requiredKeys(config: KeyedConfig): RequiredKey[] {
  const needs = new Map<string, RequiredKey>();
  const need = (name: string | undefined, worker: string | null) => {
    if (!name) return;
    const k = needs.get(name) ?? { name, workers: [], policy: false };
    if (worker === null) k.policy = true;
    else k.workers.push(worker);
    needs.set(name, k);
  };
  const { policy } = config;
  if (policy.backend === 'fugu') {
    need(fuguKeyEnv(policy), null);
  } else {
    for (const w of config.workers) need(keyEnvOf(w), w.id);
    // A pool worker prompted as the conductor is already counted above.
    if (policy.backend === 'conductor' && !policy.worker) need(keyEnvOf({ provider: 'openai-compatible', apiKeyEnv: policy.apiKeyEnv }), null);
  }
  return [...needs.values()];
}

/** Who needs a key, in words: the worker ids, then `the Fugu policy` or `the conductor`. */
export function whoNeeds(key: RequiredKey, config: KeyedConfig): string[] {
  return [...key.workers, ...(key.policy ? [config.policy.backend === 'fugu' ? 'the Fugu policy' : 'the conductor'] : [])];
}
