// Every `fugu` process a test starts learns from, and records in, an outcome log of its own: never
// the user's ~/.config/fugu, and never one another test has taught.
import { join } from 'node:path';
import { tempDir } from './tempDir';

/** A path for a new, empty outcome log (its folder is removed when the test process exits). */
export function freshOutcomeLog(): string {
  return join(tempDir('fugu-outcomes-'), 'outcomes.jsonl');
}
