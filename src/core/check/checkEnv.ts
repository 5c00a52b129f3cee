import type { FuguConfig } from '../config';
import { keyEnvOf } from '../workers/keyEnv';
import { PROVIDERS } from '../workers/types';
import { GIT_LOCATION_VARS } from './git';

/** Key variables removed whatever the configuration says (GOOGLE_API_KEY: the Google SDK reads it too). */
const ALWAYS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'GOOGLE_API_KEY', 'FUGU_API_KEY'];

/** Names that look like a secret: a check runs the workspace's code, which has no business with them. */
const SECRET_NAME = /(_API_KEY|_TOKEN|_SECRET|_SECRET_ACCESS_KEY|_PASSWORD)$|^FUGU_/i;

/** Every variable that may hold a provider key under this configuration. */
export function providerKeyVariables(config: Pick<FuguConfig, 'workers' | 'policy'> | null): string[] {
  const names = new Set(ALWAYS);
  for (const p of PROVIDERS) {
    const n = keyEnvOf({ provider: p });
    if (n) names.add(n);
  }
  for (const w of config?.workers ?? []) {
    const n = keyEnvOf(w);
    if (n) names.add(n);
  }
  if (config?.policy.apiKeyEnv) names.add(config.policy.apiKeyEnv);
  return [...names];
}

/**
 * The user's environment minus every provider key and every secret-looking variable
 * (`*_API_KEY`, `*_TOKEN`, `*_SECRET`, `*_PASSWORD`, `FUGU_*`), but for those `verify.env.pass`
 * lists. A provider key is never passed: it is ours, not the workspace's.
 */
export function checkEnv(env: NodeJS.ProcessEnv, config: (Pick<FuguConfig, 'workers' | 'policy'> & Partial<Pick<FuguConfig, 'verify'>>) | null): NodeJS.ProcessEnv {
  const pass = new Set(config?.verify?.env.pass ?? []);
  const keys = new Set(providerKeyVariables(config));
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    // git in the copy must find the copy's repository, never the user's (GIT_DIR is set inside git hooks).
    if (keys.has(name) || GIT_LOCATION_VARS.includes(name)) continue;
    if (SECRET_NAME.test(name) && !pass.has(name)) continue;
    out[name] = value;
  }
  return out;
}
