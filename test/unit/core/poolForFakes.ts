// A worker pool pointed at the fake providers, shared by the core tests.
import type { FuguConfig, WorkerConfig } from '../../../src/core/config';
import type { Fakes } from '../../fakes';
import type { KeyResolver } from '../../../src/core/runTypes';

export const TEST_KEY = 'test-key-not-secret-1234567890';

export function poolFor(fakes: Fakes): WorkerConfig[] {
  return [
    { id: 'gemini', provider: 'google', model: 'gemini-2.5-pro', baseUrl: fakes.gemini.url, role: 'planner' },
    { id: 'claude', provider: 'anthropic', model: 'claude-sonnet-4', baseUrl: fakes.anthropic.url, role: 'planner' },
    { id: 'gpt', provider: 'openai', model: 'gpt-5', baseUrl: fakes.openai.url, role: 'coder' },
  ];
}

export function configFor(fakes: Fakes, over: Partial<FuguConfig> = {}): FuguConfig {
  return {
    policy: { backend: 'builtin', timeoutMs: 5000 },
    workers: poolFor(fakes),
    maxSteps: 5,
    maxRecursion: 1,
    budget: { maxCalls: 20, maxTokens: 400_000, maxCostUsd: 2 },
    timeoutMs: 5000,
    maxRetries: 2,
    ...over,
  };
}

export const testKeys: KeyResolver = async () => TEST_KEY;
