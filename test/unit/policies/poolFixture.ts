// Worker pools and configs for policy tests (no network).
import type { FuguConfig, WorkerConfig } from '../../../src/core/config';
import type { Role } from '../../../src/core/workers/types';

export function worker(id: string, role: Role, extra: Partial<WorkerConfig> = {}): WorkerConfig {
  return { id, provider: 'openai-compatible', model: `${id}-model`, baseUrl: 'http://127.0.0.1:9/v1', role, ...extra };
}

export function configWith(workers: WorkerConfig[], extra: Partial<FuguConfig> = {}): FuguConfig {
  return {
    policy: { backend: 'builtin', timeoutMs: 60_000 },
    workers,
    maxSteps: 5,
    maxRecursion: 1,
    budget: { maxCalls: 50, maxTokens: 1_000_000, maxCostUsd: 10 },
    timeoutMs: 30_000,
    maxRetries: 0,
    ...extra,
  };
}

/** The usual pool: two planners, a coder, a reviewer. */
export function standardPool(): WorkerConfig[] {
  return [worker('gemini', 'planner'), worker('claude', 'planner'), worker('gpt', 'coder'), worker('critic', 'reviewer')];
}
