// The walkthrough "Get started with Fugu", walked in a real browser against VS Code (code-server) with
// Fugu installed as a user has it and the demo's fake providers: each step opens with its picture
// (loaded, from media/screenshots/) and its command links run the commands they name.
//
//   npm run build && npx tsc -p . && node test/e2e/walkthrough.e2e.mjs [--headed]
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { driveQuickPick, openDemo, ROOT, runCommand, TEST_OUTPUT as OUT, webviewFrame, withDemoWorkbench } from '../../scripts/codeserver/launch.mjs';
import { LM_TEST_EXTENSION } from '../../scripts/codeserver/run-tests.mjs';

const log = (s) => process.stderr.write(`[walkthrough] ${s}\n`);
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const walkthrough = manifest.contributes.walkthroughs[0];

async function main() {
  const workbench = { name: 'walkthrough', log, settings: { 'workbench.startupEditor': 'none' }, linkExtension: [ROOT, LM_TEST_EXTENSION] };
  await withDemoWorkbench(workbench, async ({ page, server }) => {
    await openDemo(page, server, { openView: false });
    await runCommand(page, 'Welcome: Open Walkthrough...');
    await driveQuickPick(page, { title: 'Open Walkthrough', type: walkthrough.title, press: ['Enter'] }).catch(async () => {
      // Some builds title the picker differently; the row is what matters.
      await page.locator('.quick-input-list .monaco-list-row', { hasText: walkthrough.title }).first().click();
    });
    const editor = page.locator('.gettingStartedContainer');
    await editor.locator('.getting-started-category .category-title', { hasText: walkthrough.title }).first().waitFor({ timeout: 30_000 }).catch(() => {});
    const stepsOnPage = editor.locator('.getting-started-step');
    await stepsOnPage.first().waitFor({ timeout: 30_000 });
    const titles = (await stepsOnPage.locator('.step-title').allTextContents()).map((t) => t.trim());
    assert.deepEqual(titles, walkthrough.steps.map((s) => s.title), 'every step is listed, in order');
    log(`walkthrough open: ${titles.join(' · ')}`);

    /** Opens a step and checks its picture loaded from the extension. */
    const openStep = async (step) => {
      // Escape (closing a command's picker) may reach the Welcome page, which then goes back to its
      // overview: the walkthrough's steps stay in the page but are disabled (and may still look visible
      // while the page slides), so a disabled step means: open the walkthrough again.
      const row = editor.locator(`.getting-started-step[data-step-id$="${step.id}"]`);
      if (!(await stepsOnPage.first().isVisible()) || (await row.isDisabled())) {
        await editor.locator('button, .getting-started-category', { hasText: walkthrough.title }).first().click();
        await stepsOnPage.first().waitFor({ timeout: 15_000 });
      }
      await page.waitForFunction((el) => !el.disabled, await row.elementHandle(), { timeout: 15_000 });
      await row.click();
      await row.locator('.step-description-container').waitFor({ timeout: 10_000 }).catch(() => {});
      const img = editor.locator('.getting-started-media img').first();
      await img.waitFor({ timeout: 15_000 });
      const file = step.media.image.split('/').pop();
      await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle(), { timeout: 15_000 });
      // VS Code sets the picture through srcset: the URL it loaded is currentSrc.
      const srcAttr = await img.evaluate((el) => el.currentSrc || el.src);
      assert.ok(srcAttr?.includes(file), `step "${step.title}" shows ${file} (src ${srcAttr})`);
      assert.ok(existsSync(join(ROOT, step.media.image)), `${step.media.image} exists`);
      return row;
    };
    const clickLink = (row, label) => row.locator('.button-link, a, .monaco-button', { hasText: label }).first().click();
    const [models, solve, trace, checks, evalStep] = walkthrough.steps;

    let row = await openStep(models);
    await clickLink(row, 'Set API Key');
    // Its picker lists the keys the pool needs (the question is the input's placeholder).
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'OPENAI_API_KEY' }).first().waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('.quick-input-widget input').getAttribute('placeholder'), 'Which key do you want to set?');
    await page.keyboard.press('Escape');
    await clickLink(row, 'Choose Models (Copilot)');
    const picked = await driveQuickPick(page, { title: 'choose the models', press: ['Escape'] });
    assert.ok(picked.rows.some((r) => /fugu-test|Fugu Test/i.test(`${r.label} ${r.description} ${r.separator}`)), JSON.stringify(picked.rows));
    log('models: Set API Key and Choose Models ran');

    row = await openStep(solve);
    await clickLink(row, 'Solve with Fugu');
    await page.locator('.quick-input-widget', { hasText: 'Solve with Fugu' }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Escape');
    log('solve: the task box opened');

    row = await openStep(trace);
    await clickLink(row, 'Show Trace');
    await webviewFrame(page).locator('section.start, .run').first().waitFor({ timeout: 60_000 });
    log('trace: the Fugu view opened');

    row = await openStep(checks);
    await clickLink(row, 'Open the check settings');
    await page.locator('.settings-editor .setting-item-label', { hasText: 'Mode' }).first().waitFor({ timeout: 30_000 });
    assert.match(await page.locator('.settings-editor').innerText(), /Verify/);
    log('checks: the settings opened at fugu.verify');
    // This VS Code shows the settings as a modal editor over the walkthrough: close it.
    const modal = page.locator('.monaco-modal-editor-block');
    if (await modal.count()) {
      await page.locator('.monaco-modal-editor-block .codicon-close, .monaco-modal-editor-block [aria-label^="Close"]').first().click();
      await modal.waitFor({ state: 'detached', timeout: 10_000 });
    } else await page.keyboard.press('Control+F4');

    row = await openStep(evalStep);
    await clickLink(row, 'Run fugu eval --demo');
    const report = join(server.workspace, 'fugu-eval-demo', 'report.html');
    for (let i = 0; i < 240 && !existsSync(report); i++) await page.waitForTimeout(500);
    assert.ok(existsSync(report), `fugu eval --demo wrote ${report}`);
    log('eval: fugu eval --demo ran in a terminal and wrote its report');

    await page.screenshot({ path: join(OUT, 'walkthrough.png') });
    log(`passed; screenshot in ${OUT}`);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
