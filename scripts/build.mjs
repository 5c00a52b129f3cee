// Bundles the extension, the CLI, the webview app, and one bundle per provider SDK.
// The SDKs stay out of extension.js and cli.js so activation never parses them; a worker
// loads its SDK bundle on first use (`await import('openai')` becomes `require('./sdk-openai.js')`).
import * as esbuild from 'esbuild';
import { mkdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const dev = process.argv.includes('--dev');
const SDKS = { openai: 'sdk-openai', '@anthropic-ai/sdk': 'sdk-anthropic', '@google/genai': 'sdk-google' };

const sdkToSibling = {
  name: 'sdk-to-sibling',
  setup(b) {
    b.onResolve({ filter: /^(openai|@anthropic-ai\/sdk|@google\/genai)$/ }, (args) => ({
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
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', supported: { 'dynamic-import': false } };

mkdirSync('dist', { recursive: true });
const builds = [
  { ...node, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [sdkToSibling] },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [sdkToSibling], external: ['./eval-demo.js'] },
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
