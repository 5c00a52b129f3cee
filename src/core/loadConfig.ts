import { en } from 'zod/locales';
import * as z from 'zod/mini';
import type { FuguConfig } from './config';
import { PROVIDERS } from './workers/types';

/** A configuration problem, found before any call is made. `message` is one sentence for the user. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

// zod/mini with the English messages: the full zod would add ~450 KB to every bundle.
z.config(en());

const int = (min: number, max?: number) =>
  z.number().check(z.int(), z.minimum(min), ...(max === undefined ? [] : [z.maximum(max)]));
const num = (min: number) => z.number().check(z.minimum(min));
// 'localhost:11434' is a valid URL with the scheme 'localhost:'; only http(s) can be a base URL.
const httpUrl = () => z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });
const str = () => z.string().check(z.minLength(1));

const price = z.object({ input: num(0), output: num(0) });

const worker = z.object({
  id: z.string().check(z.minLength(1), z.regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, "_", "." or "-"')),
  provider: z.enum(PROVIDERS as [string, ...string[]]),
  model: str(),
  baseUrl: z.optional(httpUrl()),
  apiKeyEnv: z.optional(str()),
  role: z._default(z.enum(['planner', 'coder', 'reviewer', 'any']), 'any'),
  description: z.optional(z.string()),
  price: z.optional(price),
  maxOutputTokens: z.optional(int(1)),
});

const schema = z.object({
  policy: z._default(
    z.object({
      backend: z._default(z.enum(['builtin', 'conductor', 'fugu']), 'builtin'),
      baseUrl: z.optional(httpUrl()),
      model: z.optional(str()),
      apiKeyEnv: z.optional(str()),
      worker: z.optional(str()),
      timeoutMs: z._default(int(1), 60_000),
    }),
    { backend: 'builtin', timeoutMs: 60_000 },
  ),
  workers: z.array(worker).check(z.minLength(1, 'configure at least one worker')),
  maxSteps: z._default(int(1, 10), 5),
  maxRecursion: z._default(int(0, 5), 1),
  budget: z._default(
    z.object({
      maxCalls: z._default(int(1), 20),
      maxTokens: z._default(int(1), 400_000),
      maxCostUsd: z._default(num(0), 2),
    }),
    { maxCalls: 20, maxTokens: 400_000, maxCostUsd: 2 },
  ),
  timeoutMs: z._default(int(1), 120_000),
  maxRetries: z._default(int(0, 10), 2),
  prices: z.optional(z.record(z.string(), price)),
  // [verify] issue 11: the workspace's own check.
  verify: z._default(
    z.object({
      command: z.optional(z.union([str(), z.array(str()).check(z.minLength(1))])),
      mode: z._default(z.enum(['off', 'ask', 'on']), 'ask'),
      timeoutMs: z._default(int(1), 300_000),
      maxOutputBytes: z._default(int(1024), 65_536),
    }),
    { mode: 'ask', timeoutMs: 300_000, maxOutputBytes: 65_536 },
  ),
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
