import type { VerifyConfig } from './check/types';
import type { Provider, Role } from './workers/types';

export interface Price {
  /** USD per million input tokens. */
  input: number;
  /** USD per million output tokens. */
  output: number;
}

export interface WorkerConfig {
  id: string;
  provider: Provider;
  model: string;
  baseUrl?: string;
  /** Environment variable holding the key; defaults per provider. */
  apiKeyEnv?: string;
  role: Role;
  /** Strengths shown to a conductor (never the brand). */
  description?: string;
  price?: Price;
  maxOutputTokens?: number;
  /** Idle timeout for this worker's calls; defaults to the config's timeoutMs. */
  timeoutMs?: number;
}

export type PolicyBackend = 'builtin' | 'conductor' | 'fugu';

export interface PolicyConfig {
  backend: PolicyBackend;
  /** conductor: OpenAI-compatible endpoint, or a pool worker used as a prompted conductor. */
  baseUrl?: string;
  model?: string;
  apiKeyEnv?: string;
  worker?: string;
  timeoutMs: number;
}

export interface Budget {
  maxCalls: number;
  maxTokens: number;
  maxCostUsd: number;
}

export interface FuguConfig {
  policy: PolicyConfig;
  workers: WorkerConfig[];
  maxSteps: number;
  maxRecursion: number;
  budget: Budget;
  /** Per worker call. */
  timeoutMs: number;
  maxRetries: number;
  /** Overrides of the built-in price table, keyed by model name. */
  prices?: Record<string, Price>;
  /** [verify] The workspace's own check; absent in hand-built configs means the defaults (mode 'ask'). */
  verify?: VerifyConfig;
}
