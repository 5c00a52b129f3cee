// The one way scripts load TypeScript source (the bench; the code-server scripts, for the checks' way of
// ending marked processes): esbuild bundles an entry on the fly, so they always run the current code
// with no tsc step. Bundles go to node_modules/.cache/fugu-bench (inside the repository, so packages
// left out of the bundle resolve from node_modules; nothing is written to the OS temp folder), under
// the entry's own path there, so two entries named alike never share a file.
//
// Several processes may bundle the same entry at once (two code-server starts, a bench beside a
// bench): each writes its bundle to a temporary name of its own and renames it into place, so a
// reader only ever sees a whole bundle, never a half-written or emptied one.
import * as esbuild from 'esbuild';
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';

export const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const defaultCacheDir = join(repo, 'node_modules', '.cache', 'fugu-bench');
const require = createRequire(import.meta.url);

/**
 * Bundles `entry` (a path from the repository root; npm packages stay external) and loads it.
 * `cacheDir` is for tests, which keep their bundles in a folder of their own.
 */
export async function loadBundled(entry, { cacheDir = defaultCacheDir } = {}) {
  const outfile = bundledFile(entry, { cacheDir });
  const { outputFiles } = await esbuild.build({
    entryPoints: [resolve(repo, entry)],
    outfile,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  const bundle = outputFiles.find((f) => f.path === outfile);
  if (!bundle) throw new Error(`loadBundled: esbuild gave no ${outfile} for ${entry}`);
  replaceWhole(outfile, bundle.contents);
  delete require.cache[outfile];
  return require(outfile);
}

/** Where loadBundled writes `entry`'s bundle (a worker thread loads the same file by this path). */
export function bundledFile(entry, { cacheDir = defaultCacheDir } = {}) {
  const path = relative(repo, resolve(repo, entry));
  if (!path || path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path)) throw new Error(`loadBundled: ${entry} is not a file inside the repository`);
  return resolve(cacheDir, `${path}.cjs`);
}

// A rename within one folder is atomic: `file` is the old whole bundle or the new one, never a part.
function replaceWhole(file, bytes) {
  mkdirSync(dirname(file), { recursive: true });
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}-${threadId}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, bytes, { flag: 'wx' });
    renameSync(temp, file);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

/** True when the calling module is the script node was started with (not imported by scripts/bench.mjs). */
export function isMain(importMetaUrl) {
  return process.argv[1] !== undefined && fileURLToPath(importMetaUrl) === process.argv[1];
}
