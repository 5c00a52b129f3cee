// The one way to get a Worker from its config. Importing this file loads no SDK: each worker
// imports its provider's SDK the first time it is called.
import type { WorkerConfig } from '../config';
import { createAnthropicWorker } from './anthropicWorker';
import { createGoogleWorker } from './googleWorker';
import { NO_KEY } from './keyEnv';
import { createOpenAIWorker } from './openaiWorker';
import type { Worker, WorkerOptions } from './types';

export { defaultKeyEnv, keyEnvOf, NO_KEY } from './keyEnv';

export function createWorker(cfg: WorkerConfig, opts: WorkerOptions): Worker {
  switch (cfg.provider) {
    case 'openai':
      return createOpenAIWorker(cfg, opts);
    case 'openai-compatible':
      return createOpenAIWorker(cfg, { ...opts, apiKey: opts.apiKey || NO_KEY });
    case 'anthropic':
      return createAnthropicWorker(cfg, opts);
    case 'google':
      return createGoogleWorker(cfg, opts);
    default:
      throw new Error(`Worker '${(cfg as WorkerConfig).id}' has unknown provider '${(cfg as { provider: string }).provider}'.`);
  }
}
