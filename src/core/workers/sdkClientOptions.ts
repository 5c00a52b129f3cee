// What the OpenAI and Anthropic SDK clients of a worker are built with. runAttempts owns retries and
// the idle timeout, so the SDK never retries, its console logging is off (failures come back as
// WorkerErrors), and its own timeout is only a backstop a little after ours.
import type { WorkerConfig } from '../config';
import type { WorkerOptions } from './types';

export function sdkClientOptions(cfg: WorkerConfig, opts: WorkerOptions) {
  return { apiKey: opts.apiKey, baseURL: cfg.baseUrl, maxRetries: 0, logLevel: 'off' as const, timeout: opts.timeoutMs + 5_000 };
}
