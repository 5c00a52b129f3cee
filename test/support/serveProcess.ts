// `node dist/cli.js serve` as a real process for tests: built when the sources are newer, started on a
// free port, its URL read from the one JSON line it prints.
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT, spawnCli } from './cli';
import { TEST_KEY } from './pool';

export { CLI, ROOT } from './cli';

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export interface Served {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** This process's environment with test keys and `extra`; never its outcome log or server token (spawnCli gives a fresh log). */
export function env(extra: Record<string, string> = {}): Record<string, string> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && e[0] !== 'FUGU_OUTCOME_LOG' && e[0] !== 'FUGU_SERVER_TOKEN'));
  return { ...inherited, OPENAI_API_KEY: TEST_KEY, ANTHROPIC_API_KEY: TEST_KEY, GEMINI_API_KEY: TEST_KEY, ...extra };
}

export function serve(args: string[], extraEnv: Record<string, string> = {}): Promise<Served> {
  const child = spawnCli(['serve', ...args], { cwd: ROOT, env: env(extraEnv) });
  child.stdin.end();
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return new Promise((res, rej) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl !== -1) res({ child, url: JSON.parse(out.slice(0, nl)).url, stderr: () => err, exit });
    });
    void exit.then((code) => rej(new Error(`fugu serve exited ${code} before listening: ${err}`)));
  });
}


/** Builds dist/cli.js when any source is newer than it. */
export function buildIfStale(): void {
  const stale = !existsSync(CLI) || statSync(CLI).mtimeMs < newestSource(join(ROOT, 'src'));
  if (!stale) return;
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(b.status, 0, `the build failed: ${b.stderr}`);
}
