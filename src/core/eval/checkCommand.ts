// Runs a task's check command in an attempt's own copy of its workspace.
import { spawn } from 'node:child_process';
import type { FuguConfig } from '../config';
import { keyEnvOf } from '../workers/keyEnv';

export interface CommandOutcome {
  /** null when the command was killed (timeout, cancel) or could not start. */
  exitCode: number | null;
  timedOut: boolean;
  /** Set when the command could not be started at all. */
  startError: string | null;
  outputTail: string;
}

const TAIL = 8 * 1024;

/** Provider keys never reach a check: every key variable the config names, and the defaults. */
export function checkEnv(env: NodeJS.ProcessEnv, config: FuguConfig): NodeJS.ProcessEnv {
  const out = { ...env };
  const names = new Set(['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'GOOGLE_API_KEY', 'FUGU_API_KEY']);
  for (const w of config.workers) {
    const n = keyEnvOf(w);
    if (n) names.add(n);
  }
  if (config.policy.apiKeyEnv) names.add(config.policy.apiKeyEnv);
  for (const n of names) delete out[n];
  return out;
}

/** `sh -c command` in `cwd`, in its own process group, killed whole on timeout or abort. */
export function runCommand(command: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number, signal?: AbortSignal): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    let tail = '';
    let timedOut = false;
    const child = spawn('sh', ['-c', command], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (b: Buffer) => {
      tail = (tail + b.toString('utf8')).slice(-TAIL);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    const onAbort = () => killGroup();
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = (o: CommandOutcome) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(o);
    };
    child.on('error', (err) => done({ exitCode: null, timedOut: false, startError: err.message, outputTail: tail }));
    child.on('close', (code) => {
      // The shell may exit before its children: make sure nothing of the group survives.
      killGroup();
      done({ exitCode: timedOut || signal?.aborted ? null : code, timedOut, startError: null, outputTail: tail });
    });
  });
}
