// Prints {"edit_match_ms": <median>} for planning 50 SEARCH/REPLACE blocks against a 5,000-line file
// (scripts/bench/editMatch.ts, bundled from the current source). scripts/bench.mjs imports runEditBench.
//
//   node scripts/bench/edits.mjs [--verbose]
import { isMain, loadBundled } from './bundle.mjs';

export async function runEditBench(options = {}) {
  const { measureEditMatch } = await loadBundled('scripts/bench/editMatch.ts');
  return measureEditMatch(options);
}

if (isMain(import.meta.url)) {
  const result = await runEditBench();
  console.log(JSON.stringify(process.argv.includes('--verbose') ? result : { edit_match_ms: result.edit_match_ms }));
}
