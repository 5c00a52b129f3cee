import type { FuguConfig } from '../config';
import { keyEnvOf } from '../workers/keyEnv';
import { PROVIDERS } from '../workers/types';

/** Key variables removed whatever the configuration says (GOOGLE_API_KEY: the Google SDK reads it too). */
const ALWAYS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'GOOGLE_API_KEY', 'FUGU_API_KEY'];

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

/** The user's environment minus every provider key: the check runs the workspace's code, not ours. */
export function checkEnv(env: NodeJS.ProcessEnv, config: Pick<FuguConfig, 'workers' | 'policy'> | null): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const name of providerKeyVariables(config)) delete out[name];
  return out;
}
