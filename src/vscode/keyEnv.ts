import type { WorkerConfig } from '../core/config';
import type { Provider } from '../core/workers/types';

/** The variable that holds a provider's key when the worker names none. */
export const PROVIDER_KEY_ENV: Record<Exclude<Provider, 'openai-compatible'>, string> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  google: 'GEMINI_API_KEY',
};

export const FUGU_KEY_ENV = 'FUGU_API_KEY';

/**
 * The name a worker's key is filed under. A custom OpenAI-compatible endpoint that names no
 * variable gets its own slot (never the OpenAI key: that would send it to a third-party server).
 */
export function keyNameFor(worker: Pick<WorkerConfig, 'id' | 'provider' | 'apiKeyEnv'>): string {
  if (worker.apiKeyEnv) return worker.apiKeyEnv;
  if (worker.provider === 'openai-compatible') return `endpoint:${worker.id}`;
  return PROVIDER_KEY_ENV[worker.provider];
}

/** Whether a worker can run without a key (a local server that names no key variable). */
export function keyOptional(worker: Pick<WorkerConfig, 'provider' | 'apiKeyEnv'>): boolean {
  return worker.provider === 'openai-compatible' && !worker.apiKeyEnv;
}
