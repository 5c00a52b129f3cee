// End to end in a real browser against VS Code (code-server, Fugu installed as a user has it): run
// "Solve with Fugu" against the provider fakes (scripted here for src/format.js), watch the Fugu Trace view show the steps with their workers and outputs, click Apply all, and
// check the file changed on disk. Screenshots go to test-output/.
//
//   npm run build && npx tsc -p . && node test/e2e/traceView.e2e.mjs [--headed]
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileTextOnce, loadFakes } from '../../scripts/codeserver/demo.mjs';
import { openDemo, runCommand, TEST_OUTPUT as OUT, webviewFrame, withDemoWorkbench } from '../../scripts/codeserver/launch.mjs';

const { reply } = loadFakes();
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

/** Planners and a coder that change formatPrice in the sample workspace's src/format.js. */
function scriptFormatPrice(fakes) {
  fakes.gemini.setDefault(() => ({ kind: 'text', text: 'Gemini plan: change `formatPrice` to use `toFixed(2)`.', tokenDelayMs: 20 }));
  fakes.anthropic.setDefault(() => ({ kind: 'text', text: 'Claude plan: prefix the amount with `$` and keep two decimals.', tokenDelayMs: 20 }));
  fakes.openai.setDefault(() => ({ ...reply.text(CODER_ANSWER), tokenDelayMs: 10 }));
}

const workbench = {
  name: 'trace-e2e',
  log,
  script: scriptFormatPrice,
  // This test is about the trace view; 'ask' (the default) would wait for an answer about checks.
  settings: { 'fugu.maxRecursion': 0, 'fugu.verify.mode': 'off', 'workbench.startupEditor': 'none' },
  viewport: { width: 1500, height: 1000 },
};

async function main() {
  await withDemoWorkbench(workbench, async ({ page, server }) => {
    await openDemo(page, server, { openView: false });
    log('workbench open');
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
    const text = await fileTextOnce(join(server.workspace, 'src', 'format.js'), 'toFixed(2)');
    assert.match(text, /return '\$' \+ Number\(amount\)\.toFixed\(2\);/);
    await view.locator('.edit-status', { hasText: 'applied' }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(OUT, 'trace-e2e.png') });
    log(`passed; screenshots in ${OUT}`);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
