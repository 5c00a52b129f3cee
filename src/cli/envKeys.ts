import type { FuguConfig } from '../core/config';
import type { KeyResolver } from '../core/runTypes';
import { keyEnvOf } from '../core/workers/keyEnv';

export function envKeys(env: NodeJS.ProcessEnv): KeyResolver {
  return async (w) => {
    const name = keyEnvOf(w);
    return name ? env[name] : undefined;
  };
}

/** One sentence per missing key, for every key the configured policy will need. */
export function missingKeys(config: FuguConfig, env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  if (config.policy.backend === 'fugu') {
    const name = config.policy.apiKeyEnv ?? 'FUGU_API_KEY';
    if (!env[name]) out.push(`missing key: set ${name} for the hosted Fugu policy.`);
    return out;
  }
  if (config.policy.backend === 'conductor' && config.policy.apiKeyEnv && !env[config.policy.apiKeyEnv]) {
    out.push(`missing key: set ${config.policy.apiKeyEnv} for the conductor endpoint.`);
  }
  for (const w of config.workers) {
    const name = keyEnvOf(w);
    if (name && !env[name]) out.push(`missing key: set ${name} for worker '${w.id}' (${w.provider}).`);
  }
  return out;
}
