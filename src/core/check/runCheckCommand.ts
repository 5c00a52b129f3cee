// Runs the check command in its own process group, so a timeout or a cancel kills everything it
// started (a test runner's workers included), not just the shell.
import { spawn } from 'node:child_process';
import { OutputTail } from './outputTail';
import type { CheckCommand, CheckRun } from './types';

export interface RunCheckOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
  /** After SIGTERM, how long the group has before SIGKILL. */
  graceMs?: number;
}

export function runCheckCommand(cmd: CheckCommand, opts: RunCheckOptions): Promise<CheckRun> {
  const started = Date.now();
  const base = { command: cmd.display };
  const tail = new OutputTail(opts.maxOutputBytes);
  if (opts.signal?.aborted) {
    return Promise.resolve({ ...base, outcome: 'cancelled', exitCode: null, durationMs: 0, outputTail: '', reason: 'The run was cancelled before the check started.' });
  }
  return new Promise<CheckRun>((resolve) => {
    const [file, args] = 'shell' in cmd ? ['/bin/sh', ['-c', cmd.shell]] : [cmd.argv[0], cmd.argv.slice(1)];
    const child = spawn(file, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stopped: 'timeout' | 'cancelled' | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;
    const killGroup = (sig: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // The group is already gone.
      }
    };
    const stop = (why: 'timeout' | 'cancelled') => {
      if (stopped || settled) return;
      stopped = why;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), opts.graceMs ?? 1000);
    };
    const timer = setTimeout(() => stop('timeout'), opts.timeoutMs);
    const onAbort = () => stop('cancelled');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (run: Omit<CheckRun, 'command' | 'durationMs' | 'outputTail'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      // Whatever the shell left behind (a background server, a runner's workers) goes with it.
      killGroup('SIGKILL');
      if (killTimer) clearTimeout(killTimer);
      resolve({ ...base, ...run, durationMs: Date.now() - started, outputTail: tail.text() });
    };
    child.stdout.on('data', (c: Buffer) => tail.push(c));
    child.stderr.on('data', (c: Buffer) => tail.push(c));
    child.on('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'ENOENT' ? `${file} was not found` : err.message;
      finish({ outcome: 'could-not-run', exitCode: null, reason: `The check could not start: ${why}.` });
    });
    // Background processes the command left behind would hold the pipes open: they go with it.
    child.on('exit', () => killGroup('SIGKILL'));
    child.on('close', (code, signal) => {
      if (stopped === 'timeout') {
        finish({ outcome: 'timeout', exitCode: null, reason: `The check did not finish within ${Math.round(opts.timeoutMs / 1000)} s and was stopped.` });
      } else if (stopped === 'cancelled') {
        finish({ outcome: 'cancelled', exitCode: null, reason: 'The run was cancelled during the check.' });
      } else if (code === 126 || code === 127) {
        // The shell's "not executable" / "not found": nothing was tested.
        finish({ outcome: 'could-not-run', exitCode: code, reason: `The check could not run: ${code === 127 ? 'command not found' : 'command not executable'} (exit ${code}).` });
      } else if (code === null) {
        finish({ outcome: 'failed', exitCode: null, reason: `The check was killed by ${signal}.` });
      } else {
        finish({ outcome: code === 0 ? 'passed' : 'failed', exitCode: code, reason: null });
      }
    });
  });
}
