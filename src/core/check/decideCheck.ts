import type { CheckSetup } from './checkSession';
import type { CheckAnswer } from '../trace/types';
import type { VerifyConfig } from './types';

/** A check ready to run; `detected` says why that command was chosen (null: configured). */
export type ResolvedCheck = CheckSetup & { detected: string | null };

/** The user's answer to "Check Fugu's edits with <command>?" ('not-now' is not remembered). */
export type VerifyAnswer = CheckAnswer;

export interface CheckDecision {
  mode: VerifyConfig['mode'];
  /** An untrusted workspace never runs a check, whatever the mode. */
  trusted: boolean;
  /** The answer remembered for this workspace and this command, if any (another command is asked again). */
  remembered(command: string): 'run' | 'never' | undefined;
  /** The configured or detected command (resolved only when a check could run). */
  resolve(): Promise<ResolvedCheck | { skipped: string }>;
}

/** What the run does about checks: run this one, none (and why), or ask (the run never waits for the answer). */
export type CheckPlan = ResolvedCheck | { skipped: string } | { ask: ResolvedCheck };

/** Whether this run checks its edits, and with what; the reason when it does not (a round note). */
export async function decideCheck(d: CheckDecision): Promise<CheckPlan> {
  if (d.mode === 'off') return { skipped: 'checks are off (fugu.verify.mode).' };
  if (!d.trusted) return { skipped: 'the workspace is not trusted, and checks never run in an untrusted workspace.' };
  const setup = await d.resolve();
  if ('skipped' in setup) return setup;
  if (d.mode === 'on') return setup;
  const remembered = d.remembered(setup.command.display);
  if (remembered === 'never') return { skipped: skippedBecause('never') };
  if (remembered === 'run') return setup;
  return { ask: setup };
}

/** The round note's reason when the answer was not to check. */
export function skippedBecause(answer: Exclude<CheckAnswer, 'run'>): string {
  return answer === 'never' ? 'you chose never to run checks in this workspace.' : 'you chose not to run checks this time.';
}
