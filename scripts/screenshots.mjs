// `npm run screenshots`: regenerates the pictures in media/screenshots/ (README and the walkthrough
// show them) from the real UI: the demo (scripted fake providers, the sample workspace) in VS Code
// (code-server) driven by Chromium, and the HTML report of `fugu eval --demo`. Builds first.
//
//   node scripts/screenshots.mjs [--headed] [--no-build]
//
// panel.png          the Fugu view at sidebar width while the planners stream
// trace.png          the same view when the run is done (steps, check, edits)
// review-checks.png  the review: diffs open, "Checks pass (…)" in its notification
// choose-models.png  Fugu: Choose Models listing the chat models VS Code has (a test provider here)
// eval-report.png    fugu eval --demo's report
//
// Each picture is then reduced to a 256-colour palette (upng-js): the UI's flat colours survive it,
// and the pictures ship in the .vsix (the walkthrough shows them), where they were a quarter of it.
// `node scripts/screenshots.mjs --shrink-only` does only that, to the pictures as they are.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { driveQuickPick, ensureCodeServer, launchChromium, openDemo, ROOT, runCommand, webviewFrame, withDemoWorkbench } from './codeserver/launch.mjs';
import { LM_TEST_EXTENSION } from './codeserver/run-tests.mjs';

export const SHOTS = join(ROOT, 'media', 'screenshots');
const log = (s) => process.stderr.write(`[screenshots] ${s}\n`);

function run(args, opts = {}) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/** The workbench pictures: one demo run with checks on, then the model picker. */
async function workbenchShots(headless) {
  const settings = { 'fugu.verify.mode': 'on', 'workbench.startupEditor': 'none', 'workbench.colorTheme': 'Default Dark Modern' };
  const workbench = { name: 'screenshots', log, settings, linkExtension: [ROOT, LM_TEST_EXTENSION], headless, viewport: { width: 1440, height: 900 } };
  await withDemoWorkbench(workbench, async ({ page, server }) => {
    await openDemo(page, server);
    const view = webviewFrame(page);
    const sidebar = page.locator('.part.sidebar');
    await view.locator('button[data-action="demo-task"]').click();
    // Mid-run: the planners writing.
    await view.locator('.card .output', { hasText: 'applyDiscount' }).first().waitFor({ timeout: 90_000 });
    await sidebar.screenshot({ path: join(SHOTS, 'panel.png') });
    log('panel.png');
    // Done: the check passed in its step, the review is open.
    const verdict = page.locator('.notification-toast', { hasText: 'Checks pass' });
    await verdict.waitFor({ timeout: 180_000 });
    await view.locator('.check-badge[data-outcome="passed"]').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(SHOTS, 'review-checks.png') });
    log('review-checks.png');
    await page.locator('.notification-toast').first().hover().catch(() => {});
    await page.keyboard.press('Escape');
    // The check step and the edits below it.
    await view.locator('.card', { has: view.locator('.check-badge[data-outcome="passed"]') }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(300);
    await sidebar.screenshot({ path: join(SHOTS, 'trace.png') });
    log('trace.png');
    await runCommand(page, 'Fugu: Choose Models');
    await driveQuickPick(page, { title: 'choose the models' });
    // No hover tooltip over the picture.
    await page.mouse.move(700, 850);
    await page.waitForTimeout(800);
    await page.locator('.quick-input-widget').screenshot({ path: join(SHOTS, 'choose-models.png') });
    await page.keyboard.press('Escape');
    log('choose-models.png');
  });
}

/** `fugu eval --demo` in a scratch folder, its HTML report opened in Chromium. */
async function evalShot(headless) {
  const dir = mkdtempSync(join(tmpdir(), 'fugu-shots-eval-'));
  try {
    run([join(ROOT, 'dist', 'cli.js'), 'eval', '--demo'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    const report = join(dir, 'fugu-eval-demo', 'report.html');
    if (!existsSync(report)) throw new Error(`fugu eval --demo wrote no ${report}`);
    const { page, close } = await launchChromium({ headless, viewport: { width: 1100, height: 760 } });
    try {
      await page.goto(pathToFileURL(report).href);
      await page.screenshot({ path: join(SHOTS, 'eval-report.png') });
      log('eval-report.png');
    } finally {
      await close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Re-encodes every PNG in `dir` with at most `colours` colours (lossy, but not for a UI's flat colours); returns bytes before and after. */
export function shrinkPngs(dir = SHOTS, colours = 256) {
  const UPNG = createRequire(import.meta.url)('upng-js');
  let before = 0;
  let after = 0;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.png'))) {
    const file = join(dir, name);
    const bytes = readFileSync(file);
    const img = UPNG.decode(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    const out = Buffer.from(UPNG.encode(UPNG.toRGBA8(img), img.width, img.height, colours));
    before += bytes.length;
    // Never larger than it was (a picture already reduced may come out a few bytes bigger).
    if (out.length < bytes.length) writeFileSync(file, out);
    after += Math.min(out.length, bytes.length);
  }
  log(`shrunk: ${before} → ${after} bytes`);
  return { before, after };
}

async function main(argv) {
  if (argv.includes('--shrink-only')) {
    shrinkPngs();
    return;
  }
  const headless = !argv.includes('--headed');
  if (!argv.includes('--no-build')) {
    run(['scripts/build.mjs']);
    run([join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
  }
  mkdirSync(SHOTS, { recursive: true });
  ensureCodeServer({ log });
  await workbenchShots(headless);
  await evalShot(headless);
  shrinkPngs();
  log(`done: ${SHOTS}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(`[screenshots] ${err.stack ?? err.message}`);
    process.exit(1);
  });
}
