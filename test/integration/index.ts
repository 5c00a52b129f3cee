// Mocha entry point loaded by the VS Code extension host (code-server or @vscode/test-electron).
// The host's stdout is not the terminal that started the run, so the reporter's lines are also
// appended to FUGU_TEST_RESULTS, which the runner tails.
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';

// A suite that needs a VS Code set up differently (e.g. `restricted`: workspace trust on, the folder
// untrusted) lives in a folder of that name and runs only when FUGU_TEST_SUITE names it.
const SUITES = ['restricted'];

function testFiles(dir: string, top = true): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && top && SUITES.includes(entry.name)) continue;
    if (entry.isDirectory()) found.push(...testFiles(path, false));
    else if (entry.name.endsWith('.test.js')) found.push(path);
  }
  return found.sort();
}

export async function run(): Promise<void> {
  const { default: Mocha } = await import('mocha');
  const resultsFile = process.env.FUGU_TEST_RESULTS;
  const print = (...args: unknown[]) => {
    const line = format(...args);
    if (resultsFile) appendFileSync(resultsFile, line + '\n');
    console.log(line);
  };
  Mocha.reporters.Base.consoleLog = print;
  (Mocha.reporters.Base as unknown as { useColors: boolean }).useColors = process.env.FUGU_TEST_COLORS === '1';

  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    timeout: Number(process.env.FUGU_TEST_TIMEOUT ?? 20_000),
    grep: process.env.FUGU_TEST_GREP || undefined,
  });
  const suite = process.env.FUGU_TEST_SUITE;
  if (suite && !SUITES.includes(suite)) throw new Error(`FUGU_TEST_SUITE=${suite} is not one of: ${SUITES.join(', ')}`);
  const files = suite ? testFiles(join(__dirname, suite), false) : testFiles(__dirname);
  for (const file of files) mocha.addFile(file);
  try {
    await mocha.loadFilesAsync();
  } catch (err) {
    print('Could not load the integration tests: %s', err instanceof Error ? err.stack : err);
    throw err;
  }
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
