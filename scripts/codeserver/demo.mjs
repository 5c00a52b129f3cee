// The demo (`npm start -- --demo`, the first-touch browser tests, `npm run screenshots`): the provider
// fakes (test/fakes, compiled to out/) answer as planners and a coder, scripted for the sample
// workspace's discount bug, and the workspace's settings point the pool at them; no real keys are used.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ensureCodeServer, ROOT } from './install.mjs';
import { launchChromium, webviewFrame, workbenchUrl } from './browser.mjs';
import { SAMPLE_WORKSPACE } from './run-tests.mjs';
import { startCodeServer } from './server.mjs';

/** The task the fakes are scripted for; the empty Fugu view offers it as a button (FUGU_DEMO_TASK). */
export const DEMO_TASK = 'Fix the discount: a 10% code takes off 10 percent, not 10 units of money.';

/** The compiled fakes (out/test/fakes), compiled first when missing. */
export function loadFakes() {
  const fakesEntry = join(ROOT, 'out', 'test', 'fakes', 'index.js');
  if (!existsSync(fakesEntry)) {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('compiling the fakes failed (see above)');
  }
  return createRequire(import.meta.url)(fakesEntry);
}

/**
 * Starts the scripted fakes (`script(fakes)` instead of the demo's answers, if given). `env` is for code-server (and so the extension host); `configure(dir)`
 * writes the pool into a workspace's .vscode/settings.json, plus `settings` if given.
 */
export async function startDemoFakes(script) {
  const { startFakes, scriptDemo } = loadFakes();
  const fakes = await startFakes();
  (script ?? scriptDemo)(fakes);
  console.log(`Demo: fake providers on ${fakes.openai.origin}, ${fakes.anthropic.origin}, ${fakes.gemini.origin} (no real keys are used)`);
  return {
    fakes,
    env: { OPENAI_API_KEY: 'demo', ANTHROPIC_API_KEY: 'demo', GEMINI_API_KEY: 'demo', FUGU_DEMO_TASK: DEMO_TASK },
    configure(workspace, extra = {}) {
      const file = join(workspace, '.vscode', 'settings.json');
      const settings = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
      settings['fugu.workers'] = [
        { id: 'gemini', provider: 'google', model: 'gemini-2.5-pro', baseUrl: fakes.gemini.url, role: 'planner' },
        { id: 'claude', provider: 'anthropic', model: 'claude-sonnet-4-6', baseUrl: fakes.anthropic.url, role: 'planner' },
        { id: 'gpt', provider: 'openai', model: 'gpt-5', baseUrl: fakes.openai.url, role: 'coder' },
      ];
      Object.assign(settings, extra);
      mkdirSync(join(workspace, '.vscode'), { recursive: true });
      writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
    },
    close: () => fakes.close(),
  };
}

/**
 * Opens the workbench on the server's workspace as a person would (no test payload), waits until
 * Fugu's activity bar icon is there, and (default) opens the Fugu view.
 * @param {import('playwright-core').Page} page
 * @param {{url: string, port: number, workspace?: string}} server
 * @param {{openView?: boolean, timeoutMs?: number}} [opts]
 */
export async function openDemo(page, server, opts = {}) {
  const timeout = opts.timeoutMs ?? 90_000;
  await page.goto(workbenchUrl(server, { folder: server.workspace }));
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout });
  const icon = page.locator('.activitybar [aria-label^="Fugu"]').first();
  await icon.waitFor({ timeout });
  if (opts.openView === false) return;
  if (!(await page.locator('.pane-header', { hasText: /Trace/ }).count())) await icon.click();
  await webviewFrame(page).locator('#app').waitFor({ timeout });
}

/** Where browser tests put their screenshots. */
export const TEST_OUTPUT = join(ROOT, 'test-output');

/** A workspace file's text once it contains `needle` (an edit applied by the extension lands a moment later), or its last text after `withinMs`. */
export async function fileTextOnce(file, needle, withinMs = 20_000) {
  const until = Date.now() + withinMs;
  for (;;) {
    const text = readFileSync(file, 'utf8');
    if (text.includes(needle) || Date.now() > until) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Runs `body` in a demo workbench: the scripted fakes, code-server on a scratch copy of the sample
 * workspace (its settings point at the fakes, plus `settings`) with Fugu linked in as a user installs
 * it, and Chromium (headed with --headed, or as `headless` says). It owns the teardown: the browser, the server and its
 * scratch folder, and the fakes go whatever happens; when `body` throws, the last page is saved as
 * test-output/<name>-failure.png and the code-server log's path is logged before the error goes on.
 * `onFailure(page)` may log more first.
 * @template T
 * @param {{ name: string, log: (line: string) => void, settings?: Record<string, unknown>, script?: (fakes: any) => void,
 *   linkExtension?: string | string[], userSettings?: Record<string, unknown>, headless?: boolean, viewport?: {width: number, height: number},
 *   onFailure?: (page: import('playwright-core').Page) => Promise<void> }} opts
 * @param {(w: { page: import('playwright-core').Page, context: import('playwright-core').BrowserContext,
 *   server: Awaited<ReturnType<typeof startCodeServer>>, demo: Awaited<ReturnType<typeof startDemoFakes>> }) => Promise<T>} body
 * @returns {Promise<T>}
 */
export async function withDemoWorkbench(opts, body) {
  mkdirSync(TEST_OUTPUT, { recursive: true });
  ensureCodeServer({ log: opts.log });
  const demo = await startDemoFakes(opts.script);
  let server;
  let browser;
  try {
    server = await startCodeServer({
      workspace: SAMPLE_WORKSPACE, testDriver: false, linkExtension: opts.linkExtension ?? ROOT, env: demo.env, userSettings: opts.userSettings,
    });
    demo.configure(server.workspace, opts.settings);
    browser = await launchChromium({ headless: opts.headless ?? !process.argv.includes('--headed'), viewport: opts.viewport ?? { width: 1500, height: 950 } });
    const { context, page } = browser;
    try {
      return await body({ page, context, server, demo });
    } catch (err) {
      const last = context.pages().at(-1) ?? page;
      await last.screenshot({ path: join(TEST_OUTPUT, `${opts.name}-failure.png`) }).catch(() => {});
      await opts.onFailure?.(last).catch(() => {});
      opts.log(`code-server log: ${server.logFile}`);
      throw err;
    }
  } finally {
    await browser?.close();
    await server?.stop();
    await demo.close();
  }
}
