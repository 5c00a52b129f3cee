// The context index on a generated 5,000-file repository: a cold build (walk, .gitignore, read,
// classify), the lexical index over every file, the background parse of every file's symbols, one changed file, and the ranked-context
// query of a task naming a function. The repository is written to a temp folder and removed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { median, percentile, repeat } from './stats.mjs';

const FILES = 5_000;
const PER_DIR = 50;

/** One source file of the given language defining `name` and a few helpers, importing its neighbour. */
function source(lang, i) {
  const n = `item${i}`;
  const helpers = (f) => Array.from({ length: 4 }, (_, k) => f(k)).join('\n');
  switch (lang) {
    case 'ts':
      return `import { parseItem${i - 1} } from './file${i - 1}';\n\nexport const LIMIT_${i} = ${i};\n\nexport class Item${i} {\n  constructor(private readonly raw: string) {}\n  total(tax = 0): number {\n    return parseItem${i}(this.raw) * (1 + tax);\n  }\n}\n\nexport function parseItem${i}(text: string): number {\n  return Number(text.replace(',', '.'));\n}\n\n${helpers((k) => `function helper${k}_${i}(a: number, b: number): number {\n  // adds ${n}\n  return a + b + ${k};\n}\n`)}`;
    case 'js':
      return `'use strict';\nconst { parseItem${i - 1} } = require('./file${i - 1}');\n\nfunction parseItem${i}(text) {\n  return Number(text);\n}\n\nclass Item${i} {\n  total() { return parseItem${i}('1'); }\n}\n\n${helpers((k) => `function helper${k}_${i}(a, b) {\n  return a + b + ${k};\n}\n`)}\nmodule.exports = { parseItem${i}, Item${i} };\n`;
    case 'py':
      return `from .file${i - 1} import parse_item_${i - 1}\n\nLIMIT_${i} = ${i}\n\n\nclass Item${i}:\n    def total(self, tax: float = 0) -> float:\n        return parse_item_${i}("1") * (1 + tax)\n\n\ndef parse_item_${i}(text: str) -> float:\n    return float(text)\n\n${helpers((k) => `def helper${k}_${i}(a, b):\n    return a + b + ${k}\n`)}`;
    case 'go':
      return `package pkg\n\nimport "fmt"\n\nconst Limit${i} = ${i}\n\ntype Item${i} struct{ raw string }\n\nfunc (it *Item${i}) Total(tax float64) float64 { return ParseItem${i}(it.raw) * (1 + tax) }\n\nfunc ParseItem${i}(text string) float64 {\n\tfmt.Sprint(text)\n\treturn 0\n}\n\n${helpers((k) => `func helper${k}_${i}(a, b int) int {\n\treturn a + b + ${k}\n}\n`)}`;
    case 'rs':
      return `pub const LIMIT_${i}: u32 = ${i};\n\npub struct Item${i} { raw: String }\n\nimpl Item${i} {\n    pub fn total(&self, tax: f64) -> f64 { parse_item_${i}(&self.raw) * (1.0 + tax) }\n}\n\npub fn parse_item_${i}(text: &str) -> f64 {\n    text.parse().unwrap_or(0.0)\n}\n\n${helpers((k) => `fn helper${k}_${i}(a: i32, b: i32) -> i32 {\n    a + b + ${k}\n}\n`)}`;
    case 'java':
      return `package gen;\n\nimport java.util.List;\n\npublic class File${i} {\n  public static final int LIMIT = ${i};\n  public double total(double tax) { return parseItem${i}("1") * (1 + tax); }\n  public static double parseItem${i}(String text) { return Double.parseDouble(text); }\n${helpers((k) => `  private int helper${k}(int a, int b) { return a + b + ${k}; }`)}\n}\n`;
    default:
      return `# Notes ${i}\n\nSome prose about ${n}, with a list:\n\n- one\n- two\n`;
  }
}

const MIX = ['ts', 'ts', 'ts', 'ts', 'js', 'js', 'py', 'py', 'go', 'rs', 'java', 'md'];

export function generate(root) {
  writeFileSync(join(root, '.gitignore'), 'build/\n*.log\n');
  mkdirSync(join(root, 'build'));
  for (let i = 0; i < 200; i++) writeFileSync(join(root, 'build', `out${i}.js`), 'ignored\n');
  for (let i = 0; i < FILES; i++) {
    const dir = join(root, 'src', `mod${Math.floor(i / PER_DIR)}`);
    if (i % PER_DIR === 0) mkdirSync(dir, { recursive: true });
    const lang = MIX[i % MIX.length];
    const ext = lang === 'md' ? 'md' : lang;
    const name = lang === 'java' ? `File${i}.java` : `file${i}.${ext}`;
    writeFileSync(join(dir, name), source(lang, i));
  }
}

export async function measureContext(api, { runs }) {
  const base = mkdtempSync(join(os.tmpdir(), 'fugu-bench-context-'));
  try {
    const root = join(base, 'repo');
    mkdirSync(root);
    generate(root);
    const builds = await repeat(runs, async () => {
      const t0 = performance.now();
      const index = await api.WorkspaceIndex.build({ root });
      const ms = performance.now() - t0;
      if (index.size !== FILES + 1) throw new Error(`indexed ${index.size} files, expected ${FILES + 1}`);
      return { ms, index };
    });
    const index = builds[builds.length - 1].index;

    // The lexical index (the first part of the background work), then a query on the cold index
    // (no symbols parsed yet), then the background parse, then queries on it.
    const t0 = performance.now();
    await index.lexical();
    const lexical = performance.now() - t0;
    const t1 = performance.now();
    await api.gatherRepoContext({ task: 'make parseItem4321 accept commas', index, maxChars: 60_000 });
    const coldQuery = performance.now() - t1;
    const t2 = performance.now();
    await index.warm();
    const symbols = performance.now() - t2;

    const queries = await repeat(20, async (k) => {
      const id = 12 * k + 1 + 12 * 37; // a TypeScript file's function
      const t = performance.now();
      const ctx = await api.gatherRepoContext({ task: `make parseItem${id} accept commas ("1,50")`, index, maxChars: 60_000 });
      const ms = performance.now() - t;
      if (!ctx.files.some((f) => f.reason?.split('; ').includes(`defines \`parseItem${id}\``))) throw new Error(`parseItem${id}'s file was not found`);
      return ms;
    });

    const target = 'src/mod10/file504.ts';
    const updates = await repeat(20, async (k) => {
      writeFileSync(join(root, target), `${source('ts', 504)}\nexport function added${k}(): number { return ${k}; }\n`);
      const t = performance.now();
      await index.update(target);
      const outline = await index.outline(target);
      const ms = performance.now() - t;
      if (!outline.symbols.some((s) => s.name === `added${k}`)) throw new Error('the update was not seen');
      return ms;
    });

    return {
      context_index_ms: median(builds.map((b) => b.ms)),
      context_index_files: index.size,
      context_lexical_ms: lexical,
      context_symbols_ms: symbols,
      context_search_cold_ms: coldQuery,
      context_search_ms: percentile(queries, 50),
      context_search_ms_p95: percentile(queries, 95),
      context_update_ms: median(updates),
    };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
