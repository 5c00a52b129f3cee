// Runs the check command in its own process group (under a sandbox when one is given), so a
// timeout or a cancel ends everything it started (a test runner's workers included), not just the
// shell. It settles when the check's process exits plus a short grace for its output, never on
// pipes that an escaped descendant still holds.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { endCheckProcesses, MARKER_VAR } from './endProcesses';
import { OutputTail } from './outputTail';
import { sandboxed, type SandboxEngine, type SandboxPolicy } from './sandbox';
import type { CheckCommand, CheckRun } from './types';

export interface RunCheckOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
  /** After SIGTERM, how long the group has before SIGKILL. */
  graceMs?: number;
  /** After the check's process exits, how long its output may still arrive (default 500 ms). */
  drainMs?: number;
  /** Run under this sandbox (else unsandboxed: the process group and the marker end its processes). */
  sandbox?: { engine: SandboxEngine; policy: SandboxPolicy };
  /**
   * The value of the variable every process of the check carries (a new one when absent). A caller
   * that records it before the check starts can end the check's processes after a crash at any point.
   */
  marker?: string;
  /** Told the check's process group and marker once it starts (recorded so a later start can end an orphan). */
  onStart?(pgid: number, marker: string): void;
}

export function runCheckCommand(cmd: CheckCommand, opts: RunCheckOptions): Promise<CheckRun> {
  const started = Date.now();
  const base = { command: cmd.display };
  const tail = new OutputTail(opts.maxOutputBytes);
  if (opts.signal?.aborted) {
    return Promise.resolve({ ...base, outcome: 'cancelled', exitCode: null, durationMs: 0, outputTail: '', reason: 'The run was cancelled before the check started.' });
  }
  const marker = opts.marker ?? randomUUID();
  const env: NodeJS.ProcessEnv = { ...opts.env, [MARKER_VAR]: marker };
  // bubblewrap gives the check a private, empty /tmp: the user's TMPDIR may not exist in it.
  if (opts.sandbox?.engine === 'bubblewrap') env.TMPDIR = '/tmp';
  // Under a sandbox an argv goes through `exec` in a shell, so a missing program is the shell's exit
  // 127 (could not run), as it is unsandboxed, not the sandbox's own exit 1.
  const [cmdFile, cmdArgs] =
    'shell' in cmd ? ['/bin/sh', ['-c', cmd.shell]] : opts.sandbox ? ['/bin/sh', ['-c', 'exec "$0" "$@"', ...cmd.argv]] : [cmd.argv[0], cmd.argv.slice(1)];
  const { file, args } = opts.sandbox ? sandboxed(opts.sandbox.engine, opts.sandbox.policy, opts.cwd, cmdFile, cmdArgs) : { file: cmdFile, args: cmdArgs };
  return new Promise<CheckRun>((resolve) => {
    const child = spawn(file, args, { cwd: opts.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) opts.onStart?.(child.pid, marker);
    let stopped: 'timeout' | 'cancelled' | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    let drainTimer: NodeJS.Timeout | undefined;
    let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
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
      killTimer = setTimeout(() => {
        killGroup('SIGKILL');
        void endCheckProcesses(null, marker);
      }, opts.graceMs ?? 1000);
    };
    const timer = setTimeout(() => stop('timeout'), opts.timeoutMs);
    const onAbort = () => stop('cancelled');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (run: Omit<CheckRun, 'command' | 'durationMs' | 'outputTail'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(drainTimer);
      if (killTimer) clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      // Pipes an escaped descendant still holds are let go of; the descendant goes with the rest.
      child.stdout?.destroy();
      child.stderr?.destroy();
      const durationMs = Date.now() - started;
      // Whatever the shell left behind (a background server, a runner's workers, a setsid child) goes with it.
      void endCheckProcesses(child.pid ?? null, marker)
        .catch(() => undefined)
        .then(() => resolve({ ...base, ...run, durationMs, outputTail: tail.text() }));
    };
    const verdict = () => {
      const { code, signal } = exited ?? { code: null, signal: null };
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
    };
    child.stdout.on('data', (c: Buffer) => tail.push(c));
    child.stderr.on('data', (c: Buffer) => tail.push(c));
    child.on('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'ENOENT' ? `${file} was not found` : err.message;
      finish({ outcome: 'could-not-run', exitCode: null, reason: `The check could not start: ${why}.` });
    });
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      // Background processes the command left in its group would hold the pipes open: they go with it.
      killGroup('SIGKILL');
      // Output still in the pipes arrives within the grace; a descendant that escaped the group and
      // holds them does not hold up the verdict.
      drainTimer = setTimeout(verdict, opts.drainMs ?? 500);
    });
    child.on('close', () => {
      if (exited) verdict();
    });
  });
}
