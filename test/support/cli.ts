// The built `fugu` CLI as a user runs it: a child process with only PATH and the variables a test gives.
// Every test that starts `fugu` goes through `spawnCli` (or `runCli`): each process gets an outcome log of
// its own unless the test names one, so none can write to the user's.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freshOutcomeLog } from './outcomeLog';

export const ROOT = resolve(__dirname, '../../..');
export const CLI = join(ROOT, 'dist/cli.js');
/** Keys for the fake providers; none looks like a real one. */
export const CLI_TEST_KEYS = { OPENAI_API_KEY: 'sk-test-openai-0000', ANTHROPIC_API_KEY: 'test-anthropic-0000', GEMINI_API_KEY: 'test-gemini-0000' };

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Written to stdin, which is then closed (closed at once without it). */
  stdin?: string;
  /** Called with all of stderr so far on each chunk; `interrupt` sends SIGINT. */
  onStderr?: (stderr: string, interrupt: () => void) => void;
  /** Killed (SIGTERM) after this long: for a process expected to exit at once. */
  timeoutMs?: number;
  /** Node's own options before the CLI (e.g. `-r` a preload). */
  nodeArgs?: string[];
}

/** `fugu <args>` started: its environment is PATH, a fresh FUGU_OUTCOME_LOG and `opts.env` (which may name another log). */
export function spawnCli(args: string[], opts: Pick<CliOptions, 'env' | 'cwd' | 'timeoutMs' | 'nodeArgs'> = {}): ChildProcessWithoutNullStreams {
  const env = { PATH: process.env.PATH ?? '', FUGU_OUTCOME_LOG: freshOutcomeLog(), ...opts.env };
  return spawn(process.execPath, [...(opts.nodeArgs ?? []), CLI, ...args], { cwd: opts.cwd, env, ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}) });
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return new Promise((res) => {
    const child = spawnCli(args, opts);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      opts.onStderr?.(stderr, () => child.kill('SIGINT'));
    });
    child.on('close', (code) => res({ code, stdout, stderr }));
    child.stdin.end(opts.stdin);
  });
}

/** Builds dist/ when a test runs before any build did (npm test builds first). */
export function ensureCliBuilt(): void {
  if (!existsSync(CLI)) execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT });
}
