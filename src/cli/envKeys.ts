import type { FuguConfig } from '../core/config';
import { requiredKeys } from '../core/requiredKeys';
import type { KeyResolver } from '../core/runTypes';
import { keyEnvOf } from '../core/workers/keyEnv';

export function envKeys(env: NodeJS.ProcessEnv): KeyResolver {
  return async (w) => {
    const name = keyEnvOf(w);
    return name ? env[name] : undefined;
  };
}

/** One sentence per missing key, for every key the configuration needs (the core's requiredKeys). */
export function missingKeys(config: FuguConfig, env: NodeJS.ProcessEnv): string[] {
  const policy = config.policy.backend === 'fugu' ? 'the hosted Fugu policy' : 'the conductor endpoint';
  return requiredKeys(config)
    .filter((k) => !env[k.name])
    .map((k) => `missing key: set ${k.name} for ${[...k.workers.map((id) => `worker '${id}'`), ...(k.policy ? [policy] : [])].join(', ')}.`);
}
