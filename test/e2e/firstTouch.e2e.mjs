// First touch, in a real browser against VS Code (code-server) with Fugu installed as a user has it
// (linked into the extensions folder, so notifications show) and the demo's scripted fake providers:
//   1. the empty Fugu view offers the first things to do, the demo's sample task among them;
//   2. a first Solve with the check question unanswered still runs to the review: the question is a
//      link in the progress notification and a card in the panel, and "Run checks" there checks the
//      edits in review ("Checks pass");
//   3. a new window's Fugu view shows that last run within 2 s.
// Screenshots go to test-output/.
//
//   npm run build && npx tsc -p . && node test/e2e/firstTouch.e2e.mjs [--headed]
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDemo, runCommand, TEST_OUTPUT as OUT, webviewFrame, withDemoWorkbench } from '../../scripts/codeserver/launch.mjs';

const log = (s) => process.stderr.write(`[first-touch] ${s}\n`);

/**
 * A notification by its text: its toast, or (toasts hide themselves after a while, more so on a busy
 * machine) its line in the notification center.
 * @param {import('playwright-core').Page} page
 */
async function notification(page, text, timeout = 30_000) {
  const item = page.locator('.notification-list-item', { hasText: text }).first();
  try {
    await item.waitFor({ timeout });
  } catch {
    await runCommand(page, 'Notifications: Show Notifications');
    await item.waitFor({ timeout: 10_000 });
  }
  return item;
}

async function main() {
  // 'ask' is the default for checks; said here because the test is about that question.
  const settings = { 'fugu.verify.mode': 'ask', 'workbench.startupEditor': 'none' };
  await withDemoWorkbench({ name: 'first-touch', log, settings }, async ({ context, page, server }) => {
    await openDemo(page, server);
    log('workbench open, Fugu view showing');
    const view = webviewFrame(page);

    // 1. Nothing has run yet: the view says what to do first, as buttons.
    const start = view.locator('section.start');
    await start.waitFor({ timeout: 60_000 });
    const labels = (await start.locator('button').allTextContents()).map((t) => t.trim());
    assert.deepEqual(labels, ['Try the sample task', 'Solve with Fugu', 'Generate Inline', 'Set API Key', 'Choose Models (Copilot)']);
    await page.screenshot({ path: join(OUT, 'first-touch-empty.png') });

    // 2. The sample task, with nobody answering the question about checks.
    await start.locator('button[data-action="demo-task"]').click();
    const card = view.locator('section.check-question[data-answer="none"]');
    await card.waitFor({ timeout: 60_000 });
    assert.match(await card.innerText(), /Check Fugu’s edits with npm test --silent/);
    assert.match(await card.innerText(), /does not wait for your answer/);
    // The progress notification carries the same question as links.
    const progress = page.locator('.notification-toast', { hasText: 'Check the edits with' });
    await progress.waitFor({ timeout: 30_000 });
    for (const link of ['Run checks', 'Not now', 'Never for this workspace']) {
      assert.equal(await progress.locator('a', { hasText: link }).count(), 1, `the progress notification links "${link}"`);
    }
    // The models run meanwhile: the planners' cards fill while the question is open.
    await view.locator('.card .output', { hasText: 'Plan' }).first().waitFor({ timeout: 60_000 });
    assert.equal(await card.count(), 1, 'still unanswered while the models work');
    log('the run goes on with the question open');

    // The edits are ready before any answer: the review opens, "Run checks" beside Accept.
    await page.locator('.tabs-container .tab', { hasText: 'cart.js' }).first().waitFor({ timeout: 90_000 });
    const review = await notification(page, 'proposes changes');
    assert.match(await review.innerText(), /not checked yet/);
    const reviewButtons = (await review.locator('.monaco-button').allTextContents()).map((t) => t.trim()).filter(Boolean);
    assert.deepEqual(reviewButtons.slice(0, 2), ['Accept All', 'Run checks'], reviewButtons.join(', '));
    await view.locator('section.check-question', { hasText: 'wait in the review, unchecked' }).waitFor({ timeout: 30_000 });
    assert.equal(await view.locator('.badge.status-succeeded').count() > 0, true, 'the run finished');
    await page.screenshot({ path: join(OUT, 'first-touch-unanswered.png') });
    log('review open, question still open');

    // "Run checks" in the panel's card: the check runs on the edits in review.
    await card.locator('button[data-answer="run"]').click();
    await view.locator('section.check-question[data-answer="run"]').waitFor({ timeout: 10_000 });
    await view.locator('.check-badge[data-outcome="passed"]').waitFor({ timeout: 120_000 });
    const verdict = await notification(page, 'Checks pass');
    assert.match(await verdict.innerText(), /Checks pass \(npm test --silent\)\. 2 files still wait for your review/);
    await page.screenshot({ path: join(OUT, 'first-touch-checks-pass.png') });
    log('checks pass in the review');
    await view.locator('.history-row .check-verdict.verdict-passed').waitFor({ timeout: 10_000 });

    // 3. A new window: its Fugu view shows that run, not an empty page.
    const second = await context.newPage();
    await openDemo(second, server, { openView: false });
    const icon = second.locator('.activitybar [aria-label^="Fugu"]').first();
    await icon.waitFor({ timeout: 60_000 });
    // Let the window's extension host start before the view is opened.
    await second.waitForTimeout(5_000);
    const t0 = Date.now();
    if (!(await second.locator('iframe.webview').count())) await icon.click();
    await second.locator('iframe.webview').first().waitFor({ state: 'attached', timeout: 30_000 });
    const frameMs = Date.now() - t0;
    await webviewFrame(second).locator('#app').waitFor({ timeout: 30_000 });
    const appMs = Date.now() - t0;
    await webviewFrame(second).locator('.history-row.current').waitFor({ timeout: 30_000 });
    const shownMs = Date.now() - t0;
    log(`new window: webview frame after ${frameMs} ms, its page after ${appMs} ms, the last run after ${shownMs} ms`);
    const text = await webviewFrame(second).locator('.run').innerText();
    assert.match(text, /Fix the discount/, 'the last run is shown');
    assert.equal(await webviewFrame(second).locator('section.start').count(), 0, 'not the empty state');
    await second.screenshot({ path: join(OUT, 'first-touch-new-window.png') });
    // Fugu's part, from the view's page to the last run on it (asking the host, reading the history),
    // is held to 2 s; creating the webview frame is VS Code's and depends on the machine's load, so
    // the whole time is reported, not asserted.
    assert.ok(shownMs - appMs <= 2_000, `the view's page showed the last run ${shownMs - appMs} ms after it loaded (want at most 2000)`);
    log(`passed; screenshots in ${OUT}`);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
