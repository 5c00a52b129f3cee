// The named run profiles Fugu offers as models: `fugu serve`'s default model names and the
// "Fugu" / "Fugu Ultra" models in VS Code's Chat. A profile is a set of overrides of a config.

/** A light workflow and the full one with recursion. */
export const DEFAULT_PROFILES: Record<string, Record<string, unknown>> = {
  fugu: { maxRecursion: 0, maxSteps: 3 },
  'fugu-ultra': { maxRecursion: 2 },
};

// Keys merged one level deep, so a profile can change one budget figure without restating the rest.
const NESTED = new Set(['budget', 'policy', 'prices']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Base config with a profile's keys on top (nested objects merged, arrays replaced). */
export function applyProfile(base: Record<string, unknown>, profile: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(profile)) {
    out[k] = NESTED.has(k) && isObject(v) && isObject(base[k]) ? { ...(base[k] as object), ...v } : v;
  }
  return out;
}
