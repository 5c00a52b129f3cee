// End to end in a real browser against VS Code (code-server): run "Solve with Fugu" against the provider
// fakes, watch the Fugu Trace view show the steps with their workers and outputs, click Apply all, and
// check the file changed on disk. Screenshots go to test-output/.
//
//   npm run build && npx tsc -p . && node test/e2e/traceView.e2e.mjs [--headed]
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer, launchChromium, openVsCode, ROOT, runCommand, SAMPLE_WORKSPACE, startCodeServer, webviewFrame } from '../../scripts/codeserver/launch.mjs';

const require = createRequire(import.meta.url);
const { startFakes, reply } = require(join(ROOT, 'out', 'test', 'fakes', 'index.js'));
const OUT = join(ROOT, 'test-output');
mkdirSync(OUT, { recursive: true });
const log = (s) => process.stderr.write(`[trace-e2e] ${s}\n`);

const CODER_ANSWER = `I will format prices with two decimals and a dollar sign.

src/format.js
\`\`\`js
<<<<<<< SEARCH
  return String(amount);
=======
  return '$' + Number(amount).toFixed(2);
>>>>>>> REPLACE
\`\`\`
`;

async function main() {
  const fakes = await startFakes();
  fakes.gemini.setDefault(() => ({ kind: 'text', text: 'Gemini plan: change `formatPrice` to use `toFixed(2)`.', tokenDelayMs: 20 }));
  fakes.anthropic.setDefault(() => ({ kind: 'text', text: 'Claude plan: prefix the amount with `$` and keep two decimals.', tokenDelayMs: 20 }));
  fakes.openai.setDefault(() => ({ ...reply.text(CODER_ANSWER), tokenDelayMs: 10 }));

  // The sample workspace with settings that point the pool at the fakes.
  const src = mkdtempSync(join(tmpdir(), 'fugu-e2e-ws-'));
  cpSync(SAMPLE_WORKSPACE, src, { recursive: true });
  mkdirSync(join(src, '.vscode'), { recursive: true });
  writeFileSync(join(src, '.vscode', 'settings.json'), JSON.stringify({
    'fugu.workers': [
      { id: 'gemini', provider: 'google', model: 'gemini-2.5-pro', baseUrl: fakes.gemini.url, role: 'planner' },
      { id: 'claude', provider: 'anthropic', model: 'claude-sonnet-4-6', baseUrl: fakes.anthropic.url, role: 'planner' },
      { id: 'gpt', provider: 'openai', model: 'gpt-5', baseUrl: fakes.openai.url, role: 'coder' },
    ],
    'fugu.maxRecursion': 0,
    // This test is about the trace view; 'ask' (the default) would wait for an answer about checks.
    'fugu.verify.mode': 'off',
    'workbench.startupEditor': 'none',
  }, null, 2));

  ensureCodeServer({ log });
  const server = await startCodeServer({ workspace: src });
  const { page, close } = await launchChromium({ headless: !process.argv.includes('--headed'), viewport: { width: 1500, height: 1000 } });
  try {
    await openVsCode(page, server, {
      folder: server.workspace,
      extensionDevelopmentPath: ROOT,
      extensionEnvironment: { OPENAI_API_KEY: 'sk-fake', ANTHROPIC_API_KEY: 'fake', GEMINI_API_KEY: 'fake' },
    });
    log('workbench open');
    // The extension's contributions register a moment after the workbench shows.
    await page.locator('.activitybar [aria-label^="Fugu"]').first().waitFor({ timeout: 60_000 });
    await runCommand(page, 'Fugu: Show Trace');
    const view = webviewFrame(page);
    await view.locator('#app').waitFor({ timeout: 30_000 });
    log('trace view open');

    await runCommand(page, 'Fugu: Solve with Fugu');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('Format prices with two decimals and a currency sign in src/format.js');
    await page.keyboard.press('Enter');
    log('task sent');

    // The steps appear with their workers, then their outputs.
    for (const worker of ['gemini', 'claude', 'gpt']) await view.locator('.card-title', { hasText: worker }).waitFor({ timeout: 60_000 });
    await view.locator('.card .output', { hasText: 'Gemini plan' }).waitFor({ timeout: 60_000 });
    await view.locator('.card .output', { hasText: 'Claude plan' }).waitFor({ timeout: 60_000 });
    await view.locator('.badge.status-succeeded').first().waitFor({ timeout: 60_000 });
    await view.locator('.edit-path', { hasText: 'src/format.js' }).waitFor({ timeout: 30_000 });
    assert.ok(await view.locator('.card .output', { hasText: "toFixed(2)" }).count() > 0, 'the coder output is shown');
    await page.screenshot({ path: join(OUT, 'trace-e2e-run.png') });
    log('run shown');

    const applyAll = view.getByRole('button', { name: 'Apply all' });
    await applyAll.waitFor();
    await assert.doesNotReject(async () => {
      for (let i = 0; i < 100 && !(await applyAll.isEnabled()); i++) await page.waitForTimeout(100);
    });
    assert.ok(await applyAll.isEnabled(), 'Apply all is enabled once the plans arrive');
    await applyAll.click();
    await view.locator('.review-message', { hasText: 'Applied 1 file(s).' }).waitFor({ timeout: 30_000 });
    const file = join(server.workspace, 'src', 'format.js');
    let text = '';
    for (let i = 0; i < 50; i++) {
      text = readFileSync(file, 'utf8');
      if (text.includes('toFixed(2)')) break;
      await page.waitForTimeout(100);
    }
    assert.match(text, /return '\$' \+ Number\(amount\)\.toFixed\(2\);/);
    await view.locator('.edit-status', { hasText: 'applied' }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(OUT, 'trace-e2e.png') });
    log(`passed; screenshots in ${OUT}`);
  } catch (err) {
    await page.screenshot({ path: join(OUT, 'trace-e2e-failure.png') }).catch(() => {});
    log(`code-server log: ${server.logFile}`);
    throw err;
  } finally {
    await close();
    await server.stop();
    await fakes.close();
    rmSync(src, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
