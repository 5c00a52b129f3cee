import type { CheckSetup } from './checkSession';

/** A check ready to run; `detected` says why that command was chosen (null: configured). */
export type ResolvedCheck = CheckSetup & { detected: string | null };
import type { VerifyConfig } from './types';

/** The user's answer to "Check Fugu's edits with <command>?" ('not-now' is not remembered). */
export type VerifyAnswer = 'run' | 'not-now' | 'never';

export interface CheckDecision {
  mode: VerifyConfig['mode'];
  /** An untrusted workspace never runs a check, whatever the mode. */
  trusted: boolean;
  /** This workspace's remembered answer, if any. */
  remembered: 'run' | 'never' | undefined;
  /** The configured or detected command (resolved only when a check could run). */
  resolve(): Promise<ResolvedCheck | { skipped: string }>;
  ask(command: string, detected: string | null): Promise<VerifyAnswer | undefined>;
  remember(answer: 'run' | 'never'): Promise<void>;
}

/** Whether this run checks its edits, and with what; the reason when it does not (a round note). */
export async function decideCheck(d: CheckDecision): Promise<ResolvedCheck | { skipped: string }> {
  if (d.mode === 'off') return { skipped: 'checks are off (fugu.verify.mode).' };
  if (!d.trusted) return { skipped: 'the workspace is not trusted, and checks never run in an untrusted workspace.' };
  if (d.mode === 'ask' && d.remembered === 'never') return { skipped: 'you chose never to run checks in this workspace.' };
  const setup = await d.resolve();
  if ('skipped' in setup) return setup;
  if (d.mode === 'on' || d.remembered === 'run') return setup;
  const answer = await d.ask(setup.command.display, setup.detected);
  if (answer === 'run' || answer === 'never') await d.remember(answer);
  if (answer === 'run') return setup;
  return { skipped: answer === 'never' ? 'you chose never to run checks in this workspace.' : 'you chose not to run checks this time.' };
}
