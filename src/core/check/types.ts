// The workspace's own check (tests, type checker, build): what to run, and what came of running it.

/** A shell command line, or an argv run without a shell. `display` is what the user is shown. */
export type CheckCommand = { display: string } & ({ shell: string } | { argv: string[] });

/** Settings of the `verify` section (settings `fugu.verify.*`, the config file, `fugu solve --verify`). */
export interface VerifyConfig {
  /** Unset: detected from the workspace. */
  command?: string | string[];
  mode: 'off' | 'ask' | 'on';
  timeoutMs: number;
  maxOutputBytes: number;
}

export const VERIFY_DEFAULTS: VerifyConfig = { mode: 'on', timeoutMs: 300_000, maxOutputBytes: 64 * 1024 };

/**
 * How a check ended. 'could-not-run' (command missing, exit 126/127, no copy) is not a verdict on
 * the edits: it never triggers a correction or fails the run. 'timeout' leaves the edits unverified.
 */
export type CheckOutcome = 'passed' | 'failed' | 'timeout' | 'could-not-run' | 'cancelled';

export interface CheckRun {
  command: string;
  outcome: CheckOutcome;
  /** Null when the process did not exit on its own (killed, never started). */
  exitCode: number | null;
  durationMs: number;
  /** The output's tail (stdout and stderr interleaved), capped, ANSI codes stripped. */
  outputTail: string;
  /** One sentence for could-not-run, timeout and cancelled; null otherwise. */
  reason: string | null;
}

export function toCommand(value: string | string[]): CheckCommand {
  if (typeof value === 'string') return { shell: value, display: value };
  return { argv: [...value], display: value.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ') };
}
