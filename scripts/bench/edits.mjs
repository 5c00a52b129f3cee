// Prints {"edit_match_ms": <median>} for planning 50 SEARCH/REPLACE blocks against a 5,000-line file.
// Bundles src/core/edits/benchMatch.ts with esbuild so it always measures the current source.
// `import { runEditBench } from './bench-edits.mjs'` gives the same numbers to a combined bench runner.
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function runEditBench(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'fugu-bench-edits-'));
  try {
    const outfile = join(dir, 'benchMatch.cjs');
    await esbuild.build({
      entryPoints: [join(repo, 'src/core/edits/benchMatch.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'warning',
    });
    const { measureEditMatch } = createRequire(import.meta.url)(outfile);
    return measureEditMatch(options);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runEditBench();
  const verbose = process.argv.includes('--verbose');
  console.log(JSON.stringify(verbose ? result : { edit_match_ms: result.edit_match_ms }));
}
