// The one place a backend name becomes a Policy.

import type { FuguConfig } from '../config';
import { createBuiltinPolicy } from './builtin';
import { createConductorPolicy } from './conductor';
import { createFuguPolicy } from './fugu';
import type { Policy } from './types';

/** The learned policy, its model loaded on its first plan (never when the extension activates). */
function lazyLearnedPolicy(): Policy {
  const load = () => import('./learned/learnedPolicy.js').then((m) => m.createLearnedPolicy());
  let policy: Promise<Policy> | null = null;
  const get = () => (policy ??= load());
  return {
    name: 'learned',
    plan: async (input) => (await get()).plan(input),
    recurse: async (input) => (await get()).recurse(input),
  };
}

export function createPolicy(config: FuguConfig): Policy {
  switch (config.policy.backend) {
    case 'conductor':
      return createConductorPolicy();
    case 'fugu':
      return createFuguPolicy();
    case 'builtin':
      return createBuiltinPolicy();
    case 'learned':
    default:
      return lazyLearnedPolicy();
  }
}
