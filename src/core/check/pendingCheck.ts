import type { CheckAnswer } from '../trace/types';
import type { ResolvedCheck } from './decideCheck';

/**
 * A check the user is still being asked about. The run starts at once and records the question
 * ('check-asked'); the scratch copy and the baseline start when `answer` settles with 'run'. Edits
 * ready before an answer are not held back: the run ends unchecked and the editor offers the check.
 */
export interface PendingCheck {
  ask: ResolvedCheck;
  answer: Promise<CheckAnswer>;
}
