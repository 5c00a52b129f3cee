// Finds the workspace's own check when none is configured. The rules, first match wins:
// package.json with a test script, Python (pytest config or a tests/ folder of Python), Cargo,
// Go, a Makefile with a test target.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CheckCommand } from './types';

export interface Detected {
  command: CheckCommand;
  /** Why this command, for the user: "package.json has a test script". */
  reason: string;
}

export async function detectCheckCommand(root: string, opts: { hasPytest?: () => Promise<boolean> } = {}): Promise<Detected | null> {
  const read = (rel: string) => fs.readFile(path.join(root, rel), 'utf8').catch(() => null);
  const exists = (rel: string) => fs.stat(path.join(root, rel)).then(() => true, () => false);

  const pkg = await read('package.json');
  if (pkg !== null) {
    try {
      const test = (JSON.parse(pkg) as { scripts?: Record<string, unknown> }).scripts?.test;
      // npm's placeholder ("Error: no test specified") is not a check.
      if (typeof test === 'string' && test.trim() && !/no test specified/.test(test)) {
        return { command: { argv: ['npm', 'test', '--silent'], display: 'npm test --silent' }, reason: 'package.json has a test script' };
      }
    } catch {
      // An unreadable package.json names no script; the other rules still apply.
    }
  }

  if (await usesPython(root, read)) {
    const pytest = await (opts.hasPytest ?? hasPytest)();
    return pytest
      ? { command: { argv: ['python3', '-m', 'pytest', '-q'], display: 'python3 -m pytest -q' }, reason: 'the workspace has Python tests' }
      : { command: { argv: ['python3', '-m', 'unittest'], display: 'python3 -m unittest' }, reason: 'the workspace has Python tests (pytest is not installed)' };
  }
  if (await exists('Cargo.toml')) return { command: { argv: ['cargo', 'test'], display: 'cargo test' }, reason: 'Cargo.toml' };
  if (await exists('go.mod')) return { command: { argv: ['go', 'test', './...'], display: 'go test ./...' }, reason: 'go.mod' };
  for (const name of ['Makefile', 'makefile', 'GNUmakefile']) {
    const mk = await read(name);
    if (mk !== null && /^test\s*:(?!=)/m.test(mk)) return { command: { argv: ['make', 'test'], display: 'make test' }, reason: `${name} has a test target` };
  }
  return null;
}

async function usesPython(root: string, read: (rel: string) => Promise<string | null>): Promise<boolean> {
  if ((await read('pytest.ini')) !== null) return true;
  for (const f of ['pyproject.toml', 'setup.cfg', 'tox.ini']) {
    const text = await read(f);
    if (text !== null && /pytest/.test(text)) return true;
  }
  const entries = await fs.readdir(path.join(root, 'tests')).catch(() => [] as string[]);
  return entries.some((e) => e.endsWith('.py'));
}

/** Whether `python3 -m pytest` would work here (pytest importable). */
export function hasPytest(): Promise<boolean> {
  return new Promise((resolve) => {
    const p = spawn('python3', ['-c', 'import pytest'], { stdio: 'ignore' });
    p.on('error', () => resolve(false));
    p.on('close', (code) => resolve(code === 0));
  });
}
