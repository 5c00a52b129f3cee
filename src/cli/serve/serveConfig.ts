// The `fugu serve` config file: a FuguConfig, plus `profiles` (model name -> overrides of that
// config) and `server` (limits of the HTTP server). Each profile is validated as a whole config.
import { dirname, resolve } from 'node:path';
import * as z from 'zod/mini';
import { wholeNumber, type FuguConfig } from '../../core/config';
import { ConfigError, parseConfig, parseWith } from '../../core/loadConfig';
import { applyProfile, DEFAULT_PROFILES } from '../../core/profiles';
import { editorOnlyProblem } from '../../core/workers/editorProviders';
import { readConfigJson } from '../readConfigJson';

export interface ServerSettings {
  /** Runs in flight at once; past it a request waits in the queue. */
  maxConcurrentRuns: number;
  /** Requests that may wait for a run slot; past it 429 with retry-after. Default four times the slots. */
  maxQueued?: number;
  /** Longest wait in the queue; past it 429 with retry-after. */
  queueTimeoutMs: number;
  /** Whole-run limit per request; past it the run is cancelled and the client gets 504. */
  requestTimeoutMs: number;
  /** Largest accepted request body; past it 413. */
  maxBodyBytes: number;
  /** Finished traces kept for GET /v1/traces/{id}, newest first out last. */
  keepTraces: number;
  /** SIGTERM: how long in-flight runs may finish before they are cancelled. */
  shutdownGraceMs: number;
  /** Runs stopped for client tool calls, kept in memory so the follow-up reuses their planners' outputs. */
  keepContinuations: number;
  /** Responses kept in memory for previous_response_id / item_reference. */
  keepResponses: number;
  /**
   * A folder where each finished trace is kept as <id>.json, and each stored response and stopped run in
   * its responses/ and continuations/ folders (resolved against the config file's folder).
   */
  traceDir?: string;
  /** Most files in traceDir, and in each of its two folders; the oldest are removed. */
  traceDirMaxFiles: number;
  /** A request identical to one that failed for a lasting reason within this many seconds gets that error again, with no model call (0: off). */
  failureMemoSeconds: number;
}

export interface ServeConfig {
  /** Model name -> the complete config its requests run with. */
  profiles: Record<string, FuguConfig>;
  server: ServerSettings;
}

export const DEFAULT_SERVER: ServerSettings = {
  maxConcurrentRuns: 8,
  queueTimeoutMs: 30_000,
  requestTimeoutMs: 600_000,
  maxBodyBytes: 1_048_576,
  keepTraces: 100,
  shutdownGraceMs: 10_000,
  keepContinuations: 256,
  keepResponses: 1000,
  traceDirMaxFiles: 1000,
  failureMemoSeconds: 120,
};

const server = z.strictObject({
  maxConcurrentRuns: z._default(wholeNumber(1, 1024), DEFAULT_SERVER.maxConcurrentRuns),
  maxQueued: z.optional(wholeNumber(0, 100_000)),
  queueTimeoutMs: z._default(wholeNumber(1), DEFAULT_SERVER.queueTimeoutMs),
  requestTimeoutMs: z._default(wholeNumber(1), DEFAULT_SERVER.requestTimeoutMs),
  maxBodyBytes: z._default(wholeNumber(1024), DEFAULT_SERVER.maxBodyBytes),
  keepTraces: z._default(wholeNumber(0, 10_000), DEFAULT_SERVER.keepTraces),
  shutdownGraceMs: z._default(wholeNumber(0), DEFAULT_SERVER.shutdownGraceMs),
  keepContinuations: z._default(wholeNumber(0, 100_000), DEFAULT_SERVER.keepContinuations),
  keepResponses: z._default(wholeNumber(0, 100_000), DEFAULT_SERVER.keepResponses),
  traceDir: z.optional(z.string().check(z.minLength(1))),
  traceDirMaxFiles: z._default(wholeNumber(1, 1_000_000), DEFAULT_SERVER.traceDirMaxFiles),
  failureMemoSeconds: z._default(wholeNumber(0, 86_400), DEFAULT_SERVER.failureMemoSeconds),
});

/** Retries of a failing worker call under `fugu serve` when the config does not set `maxRetries`. */
export const SERVE_MAX_RETRIES = 1;

const profileName = /^[A-Za-z0-9_.:-]{1,64}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates a serve config file's parsed JSON. Throws ConfigError naming the profile at fault. */
export function parseServeConfig(raw: unknown): ServeConfig {
  if (!isObject(raw)) throw new ConfigError('Invalid configuration: the file must hold a JSON object.');
  const { profiles: rawProfiles, server: rawServer, ...base } = raw;
  const serverSettings = parseWith(server, rawServer ?? {}, ['server']);
  if (rawProfiles !== undefined && (!isObject(rawProfiles) || Object.keys(rawProfiles).length === 0)) {
    throw new ConfigError('Invalid configuration at profiles: give an object mapping model names to config overrides.');
  }
  const overrides = (rawProfiles as Record<string, unknown> | undefined) ?? DEFAULT_PROFILES;
  const profiles: Record<string, FuguConfig> = {};
  for (const [name, over] of Object.entries(overrides)) {
    if (!profileName.test(name)) throw new ConfigError(`Invalid configuration at profiles: '${name}' is not a usable model name (letters, digits, "_", ".", ":" or "-").`);
    if (!isObject(over)) throw new ConfigError(`Invalid configuration at profiles.${name}: give an object of config overrides.`);
    try {
      profiles[name] = parseConfig(applyProfile(base, over));
      // Each HTTP request of a continued run gets the budget, unless the config says the run shares one.
      profiles[name].budget.scope ??= 'request';
      // An agent client retries a failed request itself: one retry of a failing call here, not two, so a
      // request costs at most two calls of a worker that keeps failing (the failure memo answers the
      // client's own retries), unless the config sets maxRetries.
      if (base.maxRetries === undefined && over.maxRetries === undefined) profiles[name].maxRetries = SERVE_MAX_RETRIES;
      const editorOnly = editorOnlyProblem(profiles[name]);
      if (editorOnly) throw new ConfigError(editorOnly);
    } catch (err) {
      if (err instanceof ConfigError) throw new ConfigError(`Profile '${name}': ${err.message}`);
      throw err;
    }
  }
  return { profiles, server: serverSettings };
}

export async function loadServeConfigFile(path: string): Promise<ServeConfig> {
  const config = parseServeConfig(await readConfigJson(path));
  if (config.server.traceDir) config.server.traceDir = resolve(dirname(path), config.server.traceDir);
  return config;
}
