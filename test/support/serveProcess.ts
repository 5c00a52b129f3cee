// `node dist/cli.js serve` as a real process for tests: built when the sources are newer, started on a
// free port, its URL read from the one JSON line it prints.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freshOutcomeLog } from './outcomeLog';
import { TEST_KEY } from './pool';

// The repository root: the nearest folder above this compiled file that holds the build script.
function findRoot(from: string): string {
  for (let d = from; d !== dirname(d); d = dirname(d)) if (existsSync(join(d, 'scripts/build.mjs'))) return d;
  throw new Error(`no repository root above ${from}`);
}
export const ROOT = findRoot(__dirname);
export const CLI = join(ROOT, 'dist/cli.js');

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

export function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, FUGU_OUTCOME_LOG: freshOutcomeLog(), OPENAI_API_KEY: TEST_KEY, ANTHROPIC_API_KEY: TEST_KEY, GEMINI_API_KEY: TEST_KEY, ...extra };
  if (!extra.FUGU_SERVER_TOKEN) delete e.FUGU_SERVER_TOKEN;
  return e;
}

export function serve(args: string[], extraEnv: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { cwd: ROOT, env: env(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
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
