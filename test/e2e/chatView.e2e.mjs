// Fugu in VS Code's real Chat view (code-server), driven through the browser as a person would:
// pick "Fugu Ultra" in the Chat's model picker, send `@fugu /solve <task>`, see the proposed edit and
// accept it from the Chat. code-server shows the Chat view once the profile leaves
// `chat.disableAIFeatures` off (the test profile turns it on elsewhere); no Copilot extension is
// installed, so Fugu's participant and models are the only ones. Screenshots go to test-output/.
//
//   npm run build && npx tsc -p . && node test/e2e/chatView.e2e.mjs [--headed]
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileTextOnce } from '../../scripts/codeserver/demo.mjs';
import { DEMO_TASK, openDemo, runCommand, TEST_OUTPUT as OUT, withDemoWorkbench } from '../../scripts/codeserver/launch.mjs';

const log = (s) => process.stderr.write(`[chat-view] ${s}\n`);

const workbench = {
  name: 'chat-view',
  log,
  settings: { 'workbench.startupEditor': 'none', 'fugu.verify.mode': 'off' },
  userSettings: { 'chat.disableAIFeatures': false },
  onFailure: async (page) => log(`open widget: ${await page.locator('.action-widget-dropdown').first().innerHTML({ timeout: 1000 }).catch(() => '(none)')}`.slice(0, 3000)),
};

async function main() {
  await withDemoWorkbench(workbench, async ({ page, server }) => {
    // Opening the Fugu view activates Fugu, so its models are registered before the Chat asks for them.
    await openDemo(page, server);
    await runCommand(page, 'Chat: Open Chat');
    const chat = page.locator('.interactive-session').last();
    const inputPart = page.locator('.interactive-input-part').last();
    await inputPart.waitFor({ timeout: 30_000 });
    log('Chat view open');

    // The model picker: Fugu's models, and no others (no Copilot here).
    const picker = inputPart.locator('.action-label').filter({ hasText: /^(Models|Fugu|Fugu Ultra|Auto)$/ }).first();
    await picker.click();
    const widget = page.locator('.action-widget.action-widget-dropdown');
    await widget.waitFor({ timeout: 20_000 });
    // Fugu (selected) shows first, Fugu Ultra under "Other Models": the picker's search finds it.
    await widget.locator('input').fill('Fugu');
    const ultra = widget.getByText('Fugu Ultra', { exact: true }).first();
    await ultra.waitFor({ timeout: 20_000 });
    const listed = await widget.innerText();
    log(`the model picker, searched for "Fugu", lists: ${listed.replace(/\s*\n\s*/g, ' | ')}`);
    assert.match(listed, /(^|\n)\s*Fugu\s*\n?\s*Planners and a coder/, listed);
    await page.screenshot({ path: join(OUT, 'chat-view-models.png') });
    await ultra.click();
    await inputPart.locator('.action-label', { hasText: 'Fugu Ultra' }).first().waitFor({ timeout: 10_000 });
    log('picked Fugu Ultra');

    // @fugu /solve, typed into the Chat's input.
    await inputPart.locator('.monaco-editor').first().click();
    await page.keyboard.type(`@fugu /solve ${DEMO_TASK}`, { delay: 10 });
    await page.keyboard.press('Enter');
    const acceptAll = chat.locator('.monaco-button, a', { hasText: 'Accept All' }).last();
    await acceptAll.waitFor({ timeout: 180_000 });
    const answer = await chat.locator('.interactive-item-container').last().innerText();
    // The demo's coder changes two files: both are listed, in order, each with its Review button
    // (nothing of the answer folded away under "Completed N steps").
    assert.match(answer, /proposes changes to 2 files/, answer);
    assert.match(answer, /src\/cart\.js \(modify\)\s+src\/cart\.test\.js \(modify\)/, answer);
    assert.match(answer, /Review src\/cart\.js\s+Review src\/cart\.test\.js\s+Accept All/, answer);
    assert.doesNotMatch(answer, /Language model unavailable/);
    await page.screenshot({ path: join(OUT, 'chat-view-solve.png') });
    log('@fugu /solve answered with the proposed edits');

    await acceptAll.click();
    const text = await fileTextOnce(join(server.workspace, 'src', 'cart.js'), 'discount.value / 100');
    assert.match(text, /Math\.max\(0, total \* \(1 - discount\.value \/ 100\)\)/, 'Accept All from the Chat wrote the edit');
    log('passed');
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
