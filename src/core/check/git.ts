import { execFile } from 'node:child_process';

/** Variables that point git at a repository other than the one its working folder is in (set inside git hooks, for one). */
export const GIT_LOCATION_VARS = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_COMMON_DIR', 'GIT_NAMESPACE'];

/** The environment without GIT_LOCATION_VARS: git finds the repository from its working folder. */
export function withoutGitLocation(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const name of GIT_LOCATION_VARS) delete out[name];
  return out;
}

/** Runs git; resolves to stdout, or null when git is missing or the command fails. Hooks never run. */
export function git(args: string[], cwd: string): Promise<Buffer | null> {
  return new Promise((resolve) => {
    execFile('git', ['-c', 'core.hooksPath=/dev/null', ...args], { cwd, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024, env: { ...withoutGitLocation(process.env), GIT_TERMINAL_PROMPT: '0' } }, (err, stdout) =>
      resolve(err ? null : stdout),
    );
  });
}

/** NUL-separated paths (`-z` output). */
export function zList(out: Buffer | null): string[] {
  return out ? out.toString('utf8').split('\0').filter(Boolean) : [];
}
