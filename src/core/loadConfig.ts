import { z } from 'zod';
import type { FuguConfig } from './config';
import { PROVIDERS } from './workers/types';

/** A configuration problem, found before any call is made. `message` is one sentence for the user. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const price = z.object({ input: z.number().min(0), output: z.number().min(0) });

const worker = z.object({
  id: z.string().min(1).regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, "_", "." or "-"'),
  provider: z.enum(PROVIDERS as [string, ...string[]]),
  model: z.string().min(1),
  baseUrl: z.url().optional(),
  apiKeyEnv: z.string().min(1).optional(),
  role: z.enum(['planner', 'coder', 'reviewer', 'any']).default('any'),
  description: z.string().optional(),
  price: price.optional(),
  maxOutputTokens: z.number().int().min(1).optional(),
});

const schema = z.object({
  policy: z
    .object({
      backend: z.enum(['builtin', 'conductor', 'fugu']).default('builtin'),
      baseUrl: z.url().optional(),
      model: z.string().min(1).optional(),
      apiKeyEnv: z.string().min(1).optional(),
      worker: z.string().min(1).optional(),
      timeoutMs: z.number().int().min(1).default(60_000),
    })
    .default({ backend: 'builtin', timeoutMs: 60_000 }),
  workers: z.array(worker).min(1, 'configure at least one worker'),
  maxSteps: z.number().int().min(1).max(10).default(5),
  maxRecursion: z.number().int().min(0).max(5).default(1),
  budget: z
    .object({
      maxCalls: z.number().int().min(1).default(20),
      maxTokens: z.number().int().min(1).default(400_000),
      maxCostUsd: z.number().min(0).default(2),
    })
    .default({ maxCalls: 20, maxTokens: 400_000, maxCostUsd: 2 }),
  timeoutMs: z.number().int().min(1).default(120_000),
  maxRetries: z.number().int().min(0).max(10).default(2),
  prices: z.record(z.string(), price).optional(),
});

/** Validates a configuration object (settings or a config file) and fills defaults. Throws ConfigError. */
export function parseConfig(raw: unknown): FuguConfig {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue.path.length ? issue.path.join('.') : 'config';
    throw new ConfigError(`Invalid configuration at ${where}: ${issue.message}.`);
  }
  const cfg = r.data as FuguConfig;
  const seen = new Set<string>();
  for (const w of cfg.workers) {
    if (seen.has(w.id)) throw new ConfigError(`Invalid configuration: two workers have the id '${w.id}'; ids must be unique.`);
    seen.add(w.id);
  }
  if (cfg.policy.backend !== 'fugu' && !cfg.workers.some((w) => w.role === 'coder' || w.role === 'any')) {
    throw new ConfigError("Invalid configuration: no worker can write code; give one worker the role 'coder'.");
  }
  if (cfg.policy.worker && !seen.has(cfg.policy.worker)) {
    throw new ConfigError(`Invalid configuration at policy.worker: no worker has the id '${cfg.policy.worker}'.`);
  }
  if (cfg.policy.backend === 'conductor' && !cfg.policy.worker && !(cfg.policy.baseUrl && cfg.policy.model)) {
    throw new ConfigError('Invalid configuration at policy: the conductor backend needs policy.baseUrl and policy.model, or policy.worker.');
  }
  return cfg;
}
