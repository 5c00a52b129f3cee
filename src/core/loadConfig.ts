import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { closestName } from './closestName';
import { configSchema, type FuguConfig } from './config';
import { scrubSecrets } from './workers/scrubSecrets';

/** A configuration problem, found before any call is made. `message` is one sentence for the user. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

// zod/mini with the English messages: the full zod would add ~450 KB to every bundle.
z.config(en());

type Path = readonly PropertyKey[];
interface SchemaDef {
  type: string;
  innerType?: z.core.$ZodType;
  shape?: Record<string, z.core.$ZodType>;
  element?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
}
const defOf = (s: z.core.$ZodType) => s._zod.def as unknown as SchemaDef;

function unwrap(s: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  while (s && defOf(s).innerType) s = defOf(s).innerType;
  return s;
}

/** The keys of the object schema at `path` (array items and record values are stepped into); [] if none. */
export function keysAt(schema: z.core.$ZodType, path: Path): string[] {
  let s = unwrap(schema);
  for (const key of path) {
    const def = s ? defOf(s) : undefined;
    if (def?.type === 'object') s = unwrap(def.shape?.[String(key)]);
    else if (def?.type === 'array') s = unwrap(def.element);
    else if (def?.type === 'record') s = unwrap(def.valueType);
    else return [];
  }
  return s && defOf(s).type === 'object' ? Object.keys(defOf(s).shape ?? {}) : [];
}

/** `workers[0].provider`, `prices["gpt-5"].input`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(key))) out += out ? `.${String(key)}` : String(key);
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function valueAt(raw: unknown, path: Path): unknown {
  let v = raw;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/** The refused value as the user wrote it, short, and never a key pasted into the wrong place. */
function show(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return scrubSecrets(json.length > 60 ? `${json.slice(0, 57)}...` : json);
}

/**
 * One sentence for the first problem zod found: the setting, the value refused and what would do;
 * for an unknown key, the nearest known one.
 */
export function describeIssue(schema: z.core.$ZodType, raw: unknown, issue: z.core.$ZodIssue, prefix: Path = []): string {
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    const where = formatPath([...prefix, ...issue.path, key]);
    const guess = closestName(key, keysAt(schema, issue.path));
    return `${where} is not a setting; ${guess ? `did you mean ${guess}?` : `the settings here are ${keysAt(schema, issue.path).join(', ')}.`}`;
  }
  const value = valueAt(raw, issue.path);
  const where = formatPath([...prefix, ...issue.path]);
  if (!where) return `the configuration is ${show(value)}; ${issue.message}.`;
  return `${where} ${value === undefined ? 'is missing' : `is ${show(value)}`}; ${issue.message}.`;
}

/** Validates `raw` against `schema` and fills its defaults; throws ConfigError with one sentence. */
export function parseWith<S extends z.core.$ZodType>(schema: S, raw: unknown, prefix: Path = []): z.output<S> {
  const r = z.safeParse(schema, raw);
  if (!r.success) throw new ConfigError(`Invalid configuration: ${describeIssue(schema, raw, r.error.issues[0], prefix)}`);
  return r.data;
}

/** Validates a configuration object (settings or a config file) and fills defaults. Throws ConfigError. */
export function parseConfig(raw: unknown): FuguConfig {
  const cfg = parseWith(configSchema, raw);
  const seen = new Set<string>();
  for (const w of cfg.workers) {
    if (seen.has(w.id)) throw new ConfigError(`Invalid configuration: two workers have the id '${w.id}'; ids must be unique.`);
    seen.add(w.id);
  }
  if (cfg.policy.backend !== 'fugu' && !cfg.workers.some((w) => w.role === 'coder' || w.role === 'any')) {
    throw new ConfigError("Invalid configuration: no worker can write code; give one worker the role 'coder'.");
  }
  if (cfg.policy.worker && !seen.has(cfg.policy.worker)) {
    throw new ConfigError(`Invalid configuration: policy.worker is "${cfg.policy.worker}"; no worker has the id '${cfg.policy.worker}'.`);
  }
  if (cfg.policy.backend === 'conductor' && !cfg.policy.worker && !(cfg.policy.baseUrl && cfg.policy.model)) {
    throw new ConfigError('Invalid configuration: the conductor backend needs policy.baseUrl and policy.model, or policy.worker.');
  }
  return cfg;
}
