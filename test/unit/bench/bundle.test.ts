// scripts/bench/bundle.mjs: how the bench and the code-server scripts load TypeScript source. Processes
// that bundle the same entry at once each load a whole bundle, and entries named alike keep apart.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../../support/cli';

const BUNDLE_URL = pathToFileURL(join(ROOT, 'scripts/bench/bundle.mjs')).href;
const LINES = 20_000;

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** A node process that loads `entry` through loadBundled `times` times and prints what it found each time. */
function loadInChild(entry: string, cacheDir: string, times: number, probe: string): Promise<{ code: number | null; out: string; err: string }> {
  const script = `
    const { loadBundled } = await import(process.argv[1]);
    const seen = [];
    for (let i = 0; i < ${times}; i++) {
      try {
        const m = await loadBundled(process.argv[2], { cacheDir: process.argv[3] });
        seen.push(${probe});
      } catch (e) {
        seen.push('threw: ' + String(e.message).split('\\n')[0]);
      }
    }
    process.stdout.write(JSON.stringify(seen));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, BUNDLE_URL, entry, cacheDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('scripts/bench/bundle.mjs', function () {
  this.timeout(120_000);
  // A folder of the test's own inside the repository (bundles resolve their packages from node_modules).
  let dir = '';
  let cacheDir = '';
  before(() => {
    const parent = join(ROOT, 'node_modules', '.cache');
    mkdirSync(parent, { recursive: true });
    dir = mkdtempSync(join(parent, 'fugu-bundle-test-'));
    cacheDir = join(dir, 'bundles');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('six processes bundling one large entry at once each load the whole module, and leave no temporary file', async () => {
    // About 2 MB of bundle: a reader that caught it half-written would see too few lines, or no `last`.
    const lines = Array.from({ length: LINES }, (_, i) => `  'line ${i} ${'x'.repeat(80)}',`);
    writeFileSync(join(dir, 'large.ts'), `export const lines = [\n${lines.join('\n')}\n];\nexport const last = 'the end';\n`);
    const entry = relative(ROOT, join(dir, 'large.ts'));
    const runs = await Promise.all(Array.from({ length: 6 }, () => loadInChild(entry, cacheDir, 3, "`${m.lines?.length} lines, ${m.last}`")));
    for (const r of runs) {
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(JSON.parse(r.out), Array(3).fill(`${LINES} lines, the end`));
    }
    assert.deepEqual(filesUnder(cacheDir), [`${entry}.cjs`]);
  });

  it('the code-server scripts’ entry (the checks’ killMarked) loads whole in three processes at once', async () => {
    const entry = 'src/core/check/endProcesses.ts';
    const runs = await Promise.all(Array.from({ length: 3 }, () => loadInChild(entry, cacheDir, 1, '`${typeof m.killMarked} ${typeof m.endCheckProcesses}`')));
    for (const r of runs) {
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(JSON.parse(r.out), ['function function']);
    }
    assert.ok(filesUnder(cacheDir).includes(`${entry}.cjs`));
    assert.deepEqual(
      filesUnder(cacheDir).filter((f) => !f.endsWith('.cjs')),
      [],
      'no temporary file is left',
    );
  });

  it('two entries with one name in different folders get a bundle each, and bundledFile names the right one', async () => {
    const bundle = (await import(BUNDLE_URL)) as {
      loadBundled(entry: string, opts: { cacheDir: string }): Promise<{ which: string }>;
      bundledFile(entry: string, opts: { cacheDir: string }): string;
    };
    const [one, two] = ['test/fixtures/bundle/one/value.ts', 'test/fixtures/bundle/two/value.ts'];
    assert.equal((await bundle.loadBundled(one, { cacheDir })).which, 'one');
    assert.equal((await bundle.loadBundled(two, { cacheDir })).which, 'two');
    const [fileOne, fileTwo] = [bundle.bundledFile(one, { cacheDir }), bundle.bundledFile(two, { cacheDir })];
    assert.notEqual(fileOne, fileTwo);
    // As a worker thread does: load the file by bundledFile's path after both were bundled.
    const load = createRequire(__filename);
    for (const [file, which] of [
      [fileOne, 'one'],
      [fileTwo, 'two'],
    ]) {
      delete load.cache[file];
      assert.equal((load(file) as { which: string }).which, which);
      delete load.cache[file];
    }
  });

  it('refuses an entry outside the repository, naming it', async () => {
    const { bundledFile } = (await import(BUNDLE_URL)) as { bundledFile(entry: string): string };
    assert.throws(() => bundledFile('../elsewhere/x.ts'), /loadBundled: \.\.\/elsewhere\/x\.ts is not a file inside the repository/);
  });
});
