// Lint: the recommended rules, plus the layer rules as import restrictions (DESIGN.md "Layers"):
// src/core and src/protocol never import vscode; src/core/trace, src/protocol and the webview
// (media/) are bundled for the browser, so they import nothing from Node; provider SDKs load on
// first use, so a static import of one is an error anywhere (`import type` is fine).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const SDKS = ['openai', '@anthropic-ai/sdk', '@google/genai'];

const sdk = {
  paths: SDKS.map((name) => ({ name, allowTypeImports: true, message: 'Provider SDKs load on first use: use import() (or import type).' })),
  patterns: [{ group: SDKS.map((name) => `${name}/*`), allowTypeImports: true, message: 'Provider SDKs load on first use: use import() (or import type).' }],
};
const vscode = {
  paths: [{ name: 'vscode', message: 'This layer runs outside the editor: reach the editor through an interface implemented in src/vscode.' }],
  patterns: [],
};
const node = {
  paths: builtinModules.filter((m) => !m.startsWith('_')).map((name) => ({ name, message: 'This code is bundled into the webview: no Node modules.' })),
  // builtinModules already lists subpaths such as fs/promises; node:* covers every prefixed spelling.
  patterns: [{ group: ['node:*'], message: 'This code is bundled into the webview: no Node modules.' }],
};
// The core reaches no layer above it: a relative import climbing into src/vscode, src/cli or media.
const upward = {
  paths: [],
  patterns: [{ regex: '^(\\.\\./)+(vscode|cli|media)(/|$)', message: 'src/core never imports from src/vscode, src/cli or media.' }],
};

/** One rule entry per folder: in a flat config the last matching entry for a rule wins, so each lists all its restrictions. */
function restrict(...sets) {
  return {
    'no-restricted-imports': 'off',
    '@typescript-eslint/no-restricted-imports': [
      'error',
      { paths: sets.flatMap((s) => s.paths), patterns: sets.flatMap((s) => s.patterns) },
    ],
  };
}

export default defineConfig(
  // test/fixtures is a sample workspace that checks run in, not our code.
  globalIgnores(['out/', 'dist/', '.code-server/', '.vscode-test/', 'test-output/', '.scratch/', 'test/fixtures/', 'eval/sample/workspaces/', 'fugu-eval-demo/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_unused` arguments keep a callback's shape readable.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  // The webview, and the browser tests' page.evaluate() callbacks, run in a browser.
  { files: ['media/**/*.ts', 'test/e2e/**'], languageOptions: { globals: { ...globals.browser } } },
  // Tests read wire data (JSON bodies, SDK errors) whose shape is the thing under test.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { files: ['src/**/*.ts'], rules: restrict(sdk) },
  { files: ['src/core/**/*.ts'], rules: restrict(sdk, vscode, upward) },
  { files: ['src/core/trace/**/*.ts'], rules: restrict(sdk, vscode, upward, node) },
  { files: ['src/protocol/**/*.ts'], rules: restrict(sdk, vscode, node) },
  { files: ['media/**/*.ts'], rules: restrict(sdk, vscode, node) },
);
