// Activation stays small (the rule at the top of src/vscode/extension.ts): its static imports are
// only the registration modules, it registers every command package.json declares, and the host it
// loads on first use registers each of them for real. The last two run the built dist/ under the
// benchmark's stand-in `vscode` module (scripts/bench/activate.cjs).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli } from '../../support/cli';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
const declared = manifest.contributes.commands.map((c) => c.command).sort();

/** The modules activation may load before anything is used: each imports nothing but `vscode`. */
const ACTIVATION_MODULES = ['src/vscode/extension.ts', 'src/vscode/inline/inlineSuggestions.ts', 'src/vscode/lm/ids.ts', 'src/vscode/log.ts', 'src/vscode/notify.ts'];

interface Activation {
  loaded_files: { file: string; bytes: number }[];
  commands: string[];
  host_commands: string[];
  host_files: { file: string; bytes: number }[];
  sdk_loaded: boolean;
  tree_sitter_loaded: boolean;
}

describe('activation', function () {
  this.timeout(60_000);

  it('imports only the registration modules; everything else comes through import()', async () => {
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      entryPoints: [join(ROOT, 'src/vscode/extension.ts')],
      absWorkingDir: ROOT,
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      external: ['vscode'],
      logLevel: 'silent',
      plugins: [{ name: 'lazy-stays-out', setup: (b) => b.onResolve({ filter: /.*/ }, (a) => (a.kind === 'dynamic-import' ? { path: a.path, external: true } : undefined)) }],
    });
    assert.deepEqual(Object.keys(result.metafile.inputs).sort(), ACTIVATION_MODULES);
  });

  describe('of the built extension', () => {
    let run: Activation;
    before(() => {
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts/bench/activate.cjs'), join(ROOT, 'dist/extension.js'), '--load-host'], { encoding: 'utf8', timeout: 50_000 });
      assert.equal(r.status, 0, r.stderr);
      run = JSON.parse(r.stdout) as Activation;
    });

    it('registers every command package.json declares, and the host registers each of them when first used', () => {
      assert.deepEqual([...run.commands].sort(), declared);
      assert.deepEqual([...run.host_commands].sort(), declared);
    });

    it('loads at most 200 KB of dist/ and no SDK or parser; the rest loads with the host', () => {
      const bytes = run.loaded_files.reduce((n, f) => n + f.bytes, 0);
      assert.ok(bytes <= 200 * 1024, `activation loads ${bytes} bytes: ${run.loaded_files.map((f) => f.file).join(', ')}`);
      assert.ok(run.loaded_files.some((f) => f.file === 'extension.js'));
      assert.equal(run.sdk_loaded, false);
      assert.equal(run.tree_sitter_loaded, false);
      assert.ok(run.host_files.length > 0, 'the first command loads more of dist/');
    });
  });

  it('fugu --help loads only dist/cli.js; a command loads its own part', async () => {
    const files = async (args: string[]) => {
      const r = await runCli(args, { nodeArgs: ['-r', join(ROOT, 'scripts/bench/loadedFiles.cjs')], timeoutMs: 30_000 });
      return (JSON.parse(/^loaded-files: (.*)$/m.exec(r.stderr)?.[1] ?? '[]') as { file: string }[]).map((f) => f.file);
    };
    assert.deepEqual(await files(['--help']), ['cli.js']);
    assert.ok((await files(['solve'])).length > 1, 'solve loads its chunks');
  });
});
