// The one place tests build worker pools and configs: offline workers for policy tests, and a pool
// pointed at the fake providers for runs.
import { CONTEXT_DEFAULTS, TOOLS_DEFAULTS, type FuguConfig, type WorkerConfig } from '../../src/core/config';
import type { FakeSet } from '../fakes';
import type { KeyResolver } from '../../src/core/runTypes';
import type { Role } from '../../src/core/workers/types';

export const TEST_KEY = 'test-key-not-secret-1234567890';

export const testKeys: KeyResolver = async () => TEST_KEY;

/** A worker that is never called (an unreachable openai-compatible endpoint). */
export function worker(id: string, role: Role, extra: Partial<WorkerConfig> = {}): WorkerConfig {
  return { id, provider: 'openai-compatible', model: `${id}-model`, baseUrl: 'http://127.0.0.1:9/v1', role, ...extra };
}

/** The usual offline pool: two planners, a coder, a reviewer. */
export function standardPool(): WorkerConfig[] {
  return [worker('gemini', 'planner'), worker('claude', 'planner'), worker('gpt', 'coder'), worker('critic', 'reviewer')];
}

/** Two planners and a coder, one per provider, each pointed at its fake. */
export function poolFor(fakes: FakeSet): WorkerConfig[] {
  return [
    { id: 'gemini', provider: 'google', model: 'gemini-2.5-pro', baseUrl: fakes.gemini.url, role: 'planner' },
    { id: 'claude', provider: 'anthropic', model: 'claude-sonnet-4', baseUrl: fakes.anthropic.url, role: 'planner' },
    { id: 'gpt', provider: 'openai', model: 'gpt-5', baseUrl: fakes.openai.url, role: 'coder' },
  ];
}

/** A config around `workers` with roomy limits, no retries and long timeouts (for tests that make no calls). */
export function configWith(workers: WorkerConfig[], extra: Partial<FuguConfig> = {}): FuguConfig {
  return {
    policy: { backend: 'builtin', timeoutMs: 60_000 },
    workers,
    maxSteps: 5,
    maxRecursion: 1,
    budget: { maxCalls: 50, maxTokens: 1_000_000, maxCostUsd: 10 },
    timeoutMs: 30_000,
    maxRetries: 0,
    context: CONTEXT_DEFAULTS,
    tools: TOOLS_DEFAULTS,
    ...extra,
  };
}

/** A config over the fakes' pool with the extension's default limits (a test that needs a worker to time out sets its own timeoutMs). */
export function configFor(fakes: FakeSet, over: Partial<FuguConfig> = {}): FuguConfig {
  return configWith(poolFor(fakes), {
    policy: { backend: 'builtin', timeoutMs: 5000 },
    budget: { maxCalls: 20, maxTokens: 400_000, maxCostUsd: 2 },
    // The fakes answer in milliseconds; a busy machine can still stall a first call (an SDK loading) for seconds.
    timeoutMs: 30_000,
    maxRetries: 2,
    ...over,
  });
}
