// Sample workspaces on disk for the check tests (real runners run in them), removed after each test
// (and by tempDir when the process exits, should a test fail before its cleanup).
import { execFileSync } from 'node:child_process';
import { promises as fs, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './tempDir';

export interface Sample {
  root: string;
  write(rel: string, text: string): Promise<void>;
  read(rel: string): Promise<string | null>;
  git(...args: string[]): string;
  cleanup(): Promise<void>;
}

export async function sampleWorkspace(files: Record<string, string>, opts: { git?: boolean } = {}): Promise<Sample> {
  const root = await fs.realpath(tempDir('fugu-sample-'));
  const write = async (rel: string, text: string) => {
    await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await fs.writeFile(path.join(root, rel), text);
  };
  for (const [rel, text] of Object.entries(files)) await write(rel, text);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: root, encoding: 'utf8' });
  if (opts.git) {
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'sample');
  }
  return {
    root,
    write,
    read: (rel) => fs.readFile(path.join(root, rel), 'utf8').catch(() => null),
    git,
    cleanup: () => fs.rm(root, { recursive: true, force: true }),
  };
}

/** A JavaScript project whose `node --test` passes; `sum.js` is what the edits change. */
export const JS_PROJECT = {
  'package.json': JSON.stringify({ name: 'sample', private: true, scripts: { test: 'node --test' } }, null, 2),
  'sum.js': 'exports.sum = (a, b) => a + b;\n',
  'test/sum.test.js': "const test = require('node:test');\nconst assert = require('node:assert');\nconst { sum } = require('../sum.js');\ntest('sum adds', () => assert.strictEqual(sum(2, 3), 5));\n",
};

/** A Python project tested with the standard library's unittest. */
export const PY_PROJECT = {
  'calc.py': 'def double(x):\n    return x * 2\n',
  'tests/__init__.py': '',
  'tests/test_calc.py': 'import unittest\nfrom calc import double\n\nclass T(unittest.TestCase):\n    def test_double(self):\n        self.assertEqual(double(4), 8)\n',
};

/** Every `fugu-check-` folder in a temp folder: a test gives its own (tempDir), so other tests' copies never count. */
export async function checkCopies(tmpRoot: string): Promise<string[]> {
  return (await fs.readdir(tmpRoot)).filter((n) => n.startsWith('fugu-check-')).map((n) => path.join(tmpRoot, n));
}

/** Whether a process is gone now (a zombie awaiting its reaper counts as gone). */
function goneNow(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/**
 * Whether a process that was sent SIGKILL is gone. The kernel takes a moment to end it (longer on a
 * loaded machine), so this looks again for up to `withinMs` before saying it survived.
 */
export async function processGone(pid: number, withinMs = 3000): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (!goneNow(pid)) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

/**
 * Host pids of the processes whose command line contains `token` (read from /proc, so a process in
 * a sandbox's PID namespace is found too, and a test needs no file the sandbox could not write).
 */
export function processesWith(token: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'latin1').includes(token) && !goneNow(Number(name))) out.push(Number(name));
    } catch {
      // Gone while we looked.
    }
  }
  return out;
}

/** Waits until a process with `token` in its command line runs (up to `withinMs`). */
export async function processAppears(token: string, withinMs = 20_000): Promise<number[]> {
  const until = Date.now() + withinMs;
  for (;;) {
    const found = processesWith(token);
    if (found.length > 0 || Date.now() > until) return found;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Whether every process with `token` in its command line is gone (looking again for up to `withinMs`). */
export async function noProcessWith(token: string, withinMs = 3000): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (processesWith(token).length > 0) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}
