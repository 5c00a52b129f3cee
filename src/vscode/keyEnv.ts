import type { WorkerConfig } from '../core/config';
import { defaultKeyEnv, keyEnvOf } from '../core/workers/keyEnv';

export { FUGU_KEY_ENV } from '../core/policies/fugu';

/** The variable that holds a provider's key when the worker names none (the core's defaults). */
export const PROVIDER_KEY_ENV = {
  openai: defaultKeyEnv('openai')!,
  anthropic: defaultKeyEnv('anthropic')!,
  google: defaultKeyEnv('google')!,
};

/**
 * The name a worker's key is filed under. A custom OpenAI-compatible endpoint that names no
 * variable gets its own slot (never the OpenAI key: that would send it to a third-party server).
 */
export function keyNameFor(worker: Pick<WorkerConfig, 'id' | 'provider' | 'apiKeyEnv'>): string {
  return keyEnvOf(worker) ?? `endpoint:${worker.id}`;
}
