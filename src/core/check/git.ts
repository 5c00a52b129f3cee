import { execFile } from 'node:child_process';

/** Runs git; resolves to stdout, or null when git is missing or the command fails. Hooks never run. */
export function git(args: string[], cwd: string): Promise<Buffer | null> {
  return new Promise((resolve) => {
    execFile('git', ['-c', 'core.hooksPath=/dev/null', ...args], { cwd, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }, (err, stdout) =>
      resolve(err ? null : stdout),
    );
  });
}

/** NUL-separated paths (`-z` output). */
export function zList(out: Buffer | null): string[] {
  return out ? out.toString('utf8').split('\0').filter(Boolean) : [];
}
