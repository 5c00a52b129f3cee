// The CLI's and `fugu serve`'s outcome log: ~/.config/fugu/outcomes.jsonl (or $FUGU_OUTCOME_LOG),
// one per user, read by the learned policy; its problems are one line on stderr.
import { OutcomeStore, defaultOutcomeLogPath } from '../core/policies/learned/outcomeLog';

export function cliOutcomeStore(env: NodeJS.ProcessEnv = process.env, prefix = 'fugu'): OutcomeStore {
  return new OutcomeStore(defaultOutcomeLogPath(env), (message) => process.stderr.write(`${prefix}: ${message}\n`));
}
