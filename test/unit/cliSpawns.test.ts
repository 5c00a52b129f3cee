// Every test that starts the built `fugu` goes through test/support/cli.ts (spawnCli / runCli), which
// gives each process an outcome log of its own: a test that started it another way could write to
// the user's ~/.config/fugu.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../support/cli';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : sources(p);
    return /\.(ts|mjs)$/.test(e.name) ? [p] : [];
  });
}

/** A child process started with the CLI's path (`CLI`, or dist/cli.js written out) in the same statement. */
const STARTS_CLI = /\b(spawn|spawnSync|execFile|execFileSync|fork)\([^;]*?(\bCLI\b|cli\.js)/;

describe('tests start `fugu` only through test/support/cli.ts', () => {
  it('no other test file spawns the built CLI itself', () => {
    const offenders = sources(join(ROOT, 'test'))
      .filter((f) => ![join('test', 'support', 'cli.ts'), join('test', 'unit', 'cliSpawns.test.ts')].includes(relative(ROOT, f)))
      .filter((f) => STARTS_CLI.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders.map((f) => relative(ROOT, f)), []);
  });

  it('the check sees a spawn of the CLI, written either way', () => {
    assert.ok(STARTS_CLI.test("spawn(process.execPath, [CLI, 'solve'])"));
    assert.ok(STARTS_CLI.test("spawnSync(process.execPath, ['-r', x, join(ROOT, 'dist/cli.js'), ...args])"));
    assert.ok(!STARTS_CLI.test("spawn(CODEX, args, { cwd })"));
  });
});
