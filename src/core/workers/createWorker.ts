// The one way to get a Worker from its config. Importing this file loads no SDK: each worker
// imports its provider's SDK the first time it is called.
import type { WorkerConfig } from '../config';
import { createAnthropicWorker } from './anthropicWorker';
import { createGoogleWorker } from './googleWorker';
import { NO_KEY } from './keyEnv';
import { createOpenAIWorker } from './openaiWorker';
import { editorOnlyProblem } from './editorProviders';
import { WorkerError, type Worker, type WorkerFactories, type WorkerOptions } from './types';

export { defaultKeyEnv, keyEnvOf, NO_KEY } from './keyEnv';

/** `extra`: factories the host brings for providers the core cannot reach (the editor's vscode-lm). */
export function createWorker(cfg: WorkerConfig, opts: WorkerOptions, extra: WorkerFactories = {}): Worker {
  const hosted = extra[cfg.provider];
  if (hosted) return hosted(cfg, opts);
  switch (cfg.provider) {
    case 'openai':
      return createOpenAIWorker(cfg, opts);
    case 'openai-compatible':
      return createOpenAIWorker(cfg, { ...opts, apiKey: opts.apiKey || NO_KEY });
    case 'anthropic':
      return createAnthropicWorker(cfg, opts);
    case 'google':
      return createGoogleWorker(cfg, opts);
    case 'vscode-lm':
      throw new WorkerError(cfg.id, 'bad_request', editorOnlyProblem({ workers: [cfg] })!);
    default:
      throw new Error(`Worker '${(cfg as WorkerConfig).id}' has unknown provider '${(cfg as { provider: string }).provider}'.`);
  }
}
