// The one way scripts load TypeScript source (the bench; the code-server scripts, for the checks' way of
// ending marked processes): esbuild bundles an entry on the fly, so they always run the current code
// with no tsc step. Bundles go to node_modules/.cache/fugu-bench (inside the repository, so packages
// left out of the bundle resolve from node_modules; nothing is written to the OS temp folder).
import * as esbuild from 'esbuild';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cacheDir = join(repo, 'node_modules', '.cache', 'fugu-bench');
const require = createRequire(import.meta.url);

/** Bundles `entry` (a path from the repository root; npm packages stay external) and loads it. */
export async function loadBundled(entry) {
  mkdirSync(cacheDir, { recursive: true });
  const outfile = bundledFile(entry);
  await esbuild.build({
    entryPoints: [join(repo, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  delete require.cache[outfile];
  return require(outfile);
}

/** Where loadBundled writes `entry`'s bundle (a worker thread loads the same file by this path). */
export function bundledFile(entry) {
  return join(cacheDir, `${basename(entry, extname(entry))}.cjs`);
}

/** True when the calling module is the script node was started with (not imported by scripts/bench.mjs). */
export function isMain(importMetaUrl) {
  return process.argv[1] !== undefined && fileURLToPath(importMetaUrl) === process.argv[1];
}
