// Runs the integration tests in desktop VS Code through @vscode/test-electron, for machines that can
// download VS Code (here and in CI they cannot: use scripts/codeserver/run-tests.mjs, the default).
// Builds nothing: run `npm run build` and `npx tsc -p .` first.
// No browser drives this VS Code, so the tests that ask the runner to act in it (test/integration/askRunner.ts,
// e.g. the "Fugu: Choose Models" pickers) fail here, saying they need scripts/codeserver/run-tests.mjs.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { ROOT } from './codeserver/install.mjs';
import { LM_TEST_EXTENSION, SAMPLE_WORKSPACE, TESTS_ENTRY } from './codeserver/run-tests.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'fugu-electron-'));
const workspace = join(scratch, 'workspace');
cpSync(SAMPLE_WORKSPACE, workspace, { recursive: true });
const resultsFile = join(scratch, 'test-results.log');
writeFileSync(resultsFile, '');
try {
  await runTests({
    version: process.env.FUGU_VSCODE_VERSION ?? 'stable',
    // The test-only language-model provider loads beside Fugu, as in code-server.
    extensionDevelopmentPath: [ROOT, LM_TEST_EXTENSION],
    extensionTestsPath: TESTS_ENTRY,
    extensionTestsEnv: { FUGU_TEST_RESULTS: resultsFile, ...(process.env.FUGU_TEST_GREP ? { FUGU_TEST_GREP: process.env.FUGU_TEST_GREP } : {}) },
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', join(scratch, 'user-data')],
  });
} catch (err) {
  // The desktop host prints to its own stdout; the results file has the reporter's lines either way.
  process.stdout.write(readFileSync(resultsFile, 'utf8'));
  console.error(`[electron] ${err instanceof Error ? err.message : err}`);
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
