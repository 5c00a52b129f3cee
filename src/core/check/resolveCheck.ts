import type { FuguConfig } from '../config';
import { checkEnv } from './checkEnv';
import type { ResolvedCheck } from './decideCheck';
import { detectCheckCommand } from './detectCommand';
import { toCommand, VERIFY_DEFAULTS, type VerifyConfig } from './types';

/**
 * The check a run will use: the configured command, else the detected one; `{ skipped }` with the
 * reason when there is none. Mode and trust are the caller's (the editor asks, the CLI has flags).
 */
export async function resolveCheck(config: FuguConfig, root: string, env: NodeJS.ProcessEnv, command?: string | string[]): Promise<ResolvedCheck | { skipped: string }> {
  const v: VerifyConfig = config.verify ?? VERIFY_DEFAULTS;
  const configured = command ?? v.command;
  let detected: string | null = null;
  let cmd = configured ? toCommand(configured) : null;
  if (!cmd) {
    const found = await detectCheckCommand(root);
    if (!found) return { skipped: 'no check command was found in the workspace (set verify.command).' };
    cmd = found.command;
    detected = found.reason;
  }
  return {
    command: cmd, timeoutMs: v.timeoutMs, maxOutputBytes: v.maxOutputBytes, env: checkEnv(env, config), detected,
    sandbox: v.sandbox, network: v.network, copyIgnored: v.copyIgnored,
  };
}
