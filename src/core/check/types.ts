// The workspace's own check (tests, type checker, build): what to run, and what came of running it.
import * as z from 'zod/mini';
import { verifySchema, type VerifyConfig } from '../config';
import type { CheckResult } from '../trace/types';

export type { CheckOutcome } from '../trace/types';

/** A shell command line, or an argv run without a shell. `display` is what the user is shown. */
export type CheckCommand = { display: string } & ({ shell: string } | { argv: string[] });

/** Settings of the `verify` section (settings `fugu.verify.*`, the config file, `fugu solve --verify`). */
export type { VerifyConfig } from '../config';

/** What an absent `verify` section means: the schema's own defaults (mode 'ask'). */
export const VERIFY_DEFAULTS: VerifyConfig = z.parse(verifySchema, {});

/**
 * One run of the check. Its outcome: 'could-not-run' (command missing, exit 126/127, no copy) is
 * no verdict on the edits: it never triggers a correction or fails the run; 'timeout' leaves the
 * edits unverified. The trace owns the shape (CheckResult).
 */
export interface CheckRun extends CheckResult {
  command: string;
}

export function toCommand(value: string | string[]): CheckCommand {
  if (typeof value === 'string') return { shell: value, display: value };
  return { argv: [...value], display: value.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ') };
}
