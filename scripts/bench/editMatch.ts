// Benchmark of edit matching, run by scripts/bench/edits.mjs: 50 blocks against a 5,000-line file,
// half copied exactly and half with whitespace drift.
import { planFileEdits } from '../../src/core/edits/planEdits';
import type { EditBlock } from '../../src/core/edits/types';

export interface EditMatchBench {
  /** Median time to plan all blocks against the file, in milliseconds. */
  edit_match_ms: number;
  runs: number;
  blocks: number;
  lines: number;
}

export interface EditMatchBenchOptions {
  runs?: number;
  lines?: number;
  blocks?: number;
}

export function makeBenchFile(lineCount: number): string[] {
  const out: string[] = [];
  let fn = 0;
  while (out.length < lineCount) {
    out.push(`export function handler${fn}(input: Request, ctx: Context): Result {`);
    out.push(`    const value${fn} = ctx.lookup("key-${fn}", input.id);`);
    out.push(`    if (value${fn} === undefined) {`);
    out.push(`        return { ok: false, error: "missing ${fn}" };`);
    out.push(`    }`);
    out.push(`    const scaled${fn} = value${fn} * ${(fn % 13) + 2} + ctx.offset;`);
    out.push(`    return { ok: true, value: scaled${fn} };`);
    out.push(`}`);
    out.push('');
    fn++;
  }
  return out.slice(0, lineCount);
}

/** Blocks spread over the file; even ones exact, odd ones with trailing spaces or indentation drift. */
export function makeBenchBlocks(fileLines: string[], count: number): EditBlock[] {
  const blocks: EditBlock[] = [];
  const stride = Math.floor(fileLines.length / count);
  for (let k = 0; k < count; k++) {
    // Start on a function's "const value" line so each SEARCH is unique.
    let at = k * stride;
    while (!/^ {4}const value\d+ = /.test(fileLines[at])) at++;
    let search = fileLines.slice(at, at + 4);
    if (k % 4 === 1) search = search.map((l) => l + '  ');
    if (k % 4 === 3) search = search.map((l) => l.replace(/^ {4}/, ''));
    const replace = search.map((l) => l.replace('ctx.lookup', 'ctx.find'));
    blocks.push({ path: 'bench.ts', search: search.join('\n') + '\n', replace: replace.join('\n') + '\n', kind: 'replace', ordinal: k });
  }
  return blocks;
}

export function measureEditMatch(options: EditMatchBenchOptions = {}): EditMatchBench {
  const runs = options.runs ?? 21;
  const lineCount = options.lines ?? 5000;
  const blockCount = options.blocks ?? 50;
  const fileLines = makeBenchFile(lineCount);
  const text = fileLines.join('\n') + '\n';
  const blocks = makeBenchBlocks(fileLines, blockCount);
  const once = (): number => {
    const t0 = performance.now();
    const plan = planFileEdits('bench.ts', blocks, text);
    const ms = performance.now() - t0;
    if (plan.status !== 'proposed') throw new Error(`benchmark blocks did not apply: ${plan.reason}`);
    return ms;
  };
  for (let i = 0; i < 3; i++) once();
  const times = Array.from({ length: runs }, once).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  return { edit_match_ms: Math.round(median * 100) / 100, runs, blocks: blockCount, lines: lineCount };
}
