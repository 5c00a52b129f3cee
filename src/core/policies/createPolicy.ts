// The one place a backend name becomes a Policy.

import type { FuguConfig } from '../config';
import { createBuiltinPolicy } from './builtin';
import { createConductorPolicy } from './conductor';
import { createFuguPolicy } from './fugu';
import type { Policy } from './types';

export function createPolicy(config: FuguConfig): Policy {
  switch (config.policy.backend) {
    case 'conductor':
      return createConductorPolicy();
    case 'fugu':
      return createFuguPolicy();
    case 'builtin':
    default:
      return createBuiltinPolicy();
  }
}
