// `npm test`: build, type-check and compile, lint, unit tests in Node, integration tests inside a real
// VS Code (code-server, installed into .code-server/ on first use), then browser end-to-end tests.
// Stops at the first failing stage; the quick ones (lint, packaging the .vsix) come first.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const stages = [
  ['build', ['scripts/build.mjs']],
  ['compile', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']],
  ['lint', ['node_modules/eslint/bin/eslint.js', '--cache', '--cache-location', 'node_modules/.cache/eslint/', '.']],
  ['package .vsix', ['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '--out', 'test-output/fugu-vscode.vsix']],
  // The real Codex CLI and Claude Code the serve tests drive, pinned by checksum, into .agent-clis/.
  ['install agent CLIs', ['scripts/agentclis/install.mjs']],
  // In a temp folder of their own (TMPDIR), so other processes' files never meet the tests'.
  ['unit tests', ['scripts/test-unit.mjs', '--no-build']],
  ['install code-server', ['scripts/codeserver/install.mjs']],
  ['integration tests', ['scripts/codeserver/run-tests.mjs']],
  ['integration tests: Restricted Mode', ['scripts/codeserver/run-tests.mjs', '--restricted']],
  ['browser test: trace webview', ['test/e2e/traceWebview.mjs']],
  ['browser test: Solve with Fugu in VS Code', ['test/e2e/traceView.e2e.mjs']],
  ['browser test: first touch (unanswered check question, empty view, new window)', ['test/e2e/firstTouch.e2e.mjs']],
  ['browser test: the walkthrough', ['test/e2e/walkthrough.e2e.mjs']],
  ['browser test: @fugu and Fugu Ultra in the Chat view', ['test/e2e/chatView.e2e.mjs']],
];

// vsce writes the .vsix there but does not create the folder; the other stages fill it later.
mkdirSync('test-output', { recursive: true });

for (const [name, args] of stages) {
  const started = Date.now();
  console.error(`\n== ${name}`);
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n== ${name} failed (exit ${r.status ?? r.signal}) after ${Math.round((Date.now() - started) / 1000)} s`);
    process.exit(r.status || 1);
  }
  console.error(`== ${name} passed in ${Math.round((Date.now() - started) / 1000)} s`);
}
