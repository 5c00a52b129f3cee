// Bundles the extension, the CLI, the webview app, and one bundle per provider SDK.
// The SDKs stay out of extension.js and cli.js so activation never parses them; a worker
// loads its SDK bundle on first use (`await import('openai')` becomes `require('./sdk-openai.js')`).
//
// The extension and the CLI are code-split: each `import()` in their sources becomes a lazily
// required file of its own (dist/ext-*.js, dist/cli-*.js), and code shared between those files
// goes to shared chunks, so dist/extension.js holds only what activation needs (see the comment
// at the top of src/vscode/extension.ts). esbuild splits only ES modules, so each output is then
// turned into CommonJS (VS Code loads extensions with require).
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants as zlib } from 'node:zlib';

const watch = process.argv.includes('--watch');
const dev = process.argv.includes('--dev');
// web-tree-sitter (the context index's parser) is loaded the same way, and its runtime's and grammars'
// .wasm files are written to dist/tree-sitter/ brotli-compressed (`<name>.wasm.br`: the .vsix's zip
// compression leaves them about 40% larger), where src/core/context/treeSitter.ts looks for them.
const SDKS = { openai: 'sdk-openai', '@anthropic-ai/sdk': 'sdk-anthropic', '@google/genai': 'sdk-google', 'web-tree-sitter': 'tree-sitter', 'gpt-tokenizer/encoding/o200k_base': 'tokenizer-o200k' };
// What the workers take from each SDK (`loadSdk().then(({ OpenAI }) => ...)`): only these exports are
// bundled, so esbuild leaves out the rest of the SDK (a third of openai and of @anthropic-ai/sdk).
// test/unit/core/workers/sdkBundles.test.ts fails when a worker takes a name not listed here.
const SDK_EXPORTS = { openai: ['OpenAI'], '@anthropic-ai/sdk': ['Anthropic'], '@google/genai': ['GoogleGenAI'] };
const GRAMMARS = ['typescript', 'tsx', 'javascript', 'python', 'go', 'rust', 'java'];

const sdkToSibling = {
  name: 'sdk-to-sibling',
  setup(b) {
    b.onResolve({ filter: /^(openai|@anthropic-ai\/sdk|@google\/genai|web-tree-sitter|gpt-tokenizer\/encoding\/o200k_base)$/ }, (args) => ({
      path: `./${SDKS[args.path]}.js`,
      external: true,
    }));
  },
};

const common = {
  bundle: true,
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  logLevel: 'warning',
  legalComments: 'none',
};
// The .wasm lookups' fallback for running from the sources; the bundles find dist/tree-sitter/ first.
const wasmFallbacks = ['web-tree-sitter/web-tree-sitter.wasm', '@vscode/tree-sitter-wasm/package.json'];
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', supported: { 'dynamic-import': false }, external: wasmFallbacks };

mkdirSync('dist/tree-sitter', { recursive: true });
const require = createRequire(import.meta.url);
const grammarDir = join(dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');
const wasmFiles = [require.resolve('web-tree-sitter/web-tree-sitter.wasm'), ...GRAMMARS.map((g) => join(grammarDir, `tree-sitter-${g}.wasm`))];
const wanted = new Set(wasmFiles.map((f) => `${f.split('/').pop()}.br`));
// Whatever else is there (plain .wasm files of earlier builds, dropped grammars) would ship in the .vsix.
for (const name of readdirSync('dist/tree-sitter')) if (!wanted.has(name)) rmSync(join('dist/tree-sitter', name), { force: true });
for (const src of wasmFiles) {
  const out = join('dist/tree-sitter', `${src.split('/').pop()}.br`);
  // Brotli at its best setting takes seconds: done again only when the package's file is newer.
  if (existsSync(out) && statSync(out).mtimeMs >= statSync(src).mtimeMs) continue;
  const bytes = readFileSync(src);
  writeFileSync(out, brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_LGWIN]: 24, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
}

/**
 * An entry split at its `import()`s: esbuild writes ES modules in memory, each is turned into
 * CommonJS, the entry is written as dist/<name>.js and the rest as dist/<prefix>-*.js (flat, so
 * `__dirname`-relative lookups such as dist/tree-sitter/ work from every part).
 */
function split(entry, name, prefix, { external = [], shebang = false } = {}) {
  const writeCjs = {
    name: 'split-to-cjs',
    setup(b) {
      b.onEnd(async (result) => {
        if (result.errors.length || !result.outputFiles) return;
        for (const f of readdirSync('dist')) if (f.startsWith(`${prefix}-`) && f.endsWith('.js')) rmSync(join('dist', f));
        const entryOut = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint === entry)?.[0];
        for (const file of result.outputFiles) {
          if (!file.path.endsWith('.js')) continue;
          const isEntry = entryOut !== undefined && file.path.endsWith(entryOut);
          const { code } = await esbuild.transform(file.text, { format: 'cjs', platform: 'node', target: 'node20', minify: !dev, supported: { 'dynamic-import': false }, logLevel: 'warning' });
          writeFileSync(isEntry ? `dist/${name}.js` : file.path, isEntry && shebang ? `#!/usr/bin/env node\n${code}` : code);
        }
        // Nothing may import the entry by its chunk name: it is written as dist/<name>.js.
        const entryBase = entryOut?.split('/').pop();
        for (const [out, o] of Object.entries(result.metafile.outputs)) {
          if (o.imports.some((i) => i.path.endsWith(`/${entryBase}`))) throw new Error(`${out} imports the entry ${entry}; move what it needs out of the entry`);
        }
      });
    },
  };
  return {
    ...common,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    write: false,
    metafile: true,
    entryPoints: [entry],
    outdir: 'dist',
    entryNames: `${prefix}-[name]-[hash]`,
    chunkNames: `${prefix}-chunk-[hash]`,
    external: [...external, ...wasmFallbacks],
    plugins: [sdkToSibling, writeCjs],
  };
}

const builds = [
  split('src/vscode/extension.ts', 'extension', 'ext', { external: ['vscode'] }),
  split('src/cli/main.ts', 'cli', 'cli', { external: ['./eval-demo.js'], shebang: true }),
  // `fugu eval --demo`: the provider fakes and their script, loaded only with --demo.
  { ...node, entryPoints: ['test/fakes/evalDemo.ts'], outfile: 'dist/eval-demo.js' },
  ...Object.entries(SDKS).map(([pkg, out]) => ({
    ...node,
    stdin: {
      contents: SDK_EXPORTS[pkg] ? `export { ${SDK_EXPORTS[pkg].join(', ')} } from ${JSON.stringify(pkg)};` : `module.exports = require(${JSON.stringify(pkg)});`,
      resolveDir: process.cwd(),
      loader: 'js',
    },
    outfile: `dist/${out}.js`,
  })),
  { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['media/webview/main.ts'], outfile: 'dist/webview.js' },
];

const present = builds.filter((b) => !b.entryPoints || b.entryPoints.every((p) => existsSync(p)));
if (watch) {
  for (const b of present) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(present.map((b) => esbuild.build(b)));
}
