// Bundles the extension, the CLI, the webview app, and one bundle per provider SDK.
// The SDKs stay out of extension.js and cli.js so activation never parses them; a worker
// loads its SDK bundle on first use (`await import('openai')` becomes `require('./sdk-openai.js')`).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const watch = process.argv.includes('--watch');
const dev = process.argv.includes('--dev');
// web-tree-sitter (the context index's parser) is loaded the same way, and its grammars' .wasm files
// are copied to dist/tree-sitter/, where src/core/context/treeSitter.ts looks for them.
const SDKS = { openai: 'sdk-openai', '@anthropic-ai/sdk': 'sdk-anthropic', '@google/genai': 'sdk-google', 'web-tree-sitter': 'tree-sitter', 'gpt-tokenizer/encoding/o200k_base': 'tokenizer-o200k' };
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
copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), 'dist/tree-sitter/web-tree-sitter.wasm');
const grammarDir = join(dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');
for (const g of GRAMMARS) copyFileSync(join(grammarDir, `tree-sitter-${g}.wasm`), `dist/tree-sitter/tree-sitter-${g}.wasm`);
const builds = [
  { ...node, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', ...wasmFallbacks], plugins: [sdkToSibling] },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [sdkToSibling], external: ['./eval-demo.js', ...wasmFallbacks] },
  // `fugu eval --demo`: the provider fakes and their script, loaded only with --demo.
  { ...node, entryPoints: ['test/fakes/evalDemo.ts'], outfile: 'dist/eval-demo.js' },
  ...Object.entries(SDKS).map(([pkg, out]) => ({
    ...node,
    stdin: { contents: `module.exports = require(${JSON.stringify(pkg)});`, resolveDir: process.cwd(), loader: 'js' },
    outfile: `dist/${out}.js`,
  })),
  { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['media/webview/main.ts'], outfile: 'dist/webview.js' },
];

const { existsSync } = await import('node:fs');
const present = builds.filter((b) => !b.entryPoints || b.entryPoints.every((p) => existsSync(p)));
if (watch) {
  for (const b of present) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(present.map((b) => esbuild.build(b)));
}
