// The demo (`npm start -- --demo`, the first-touch browser tests, `npm run screenshots`): the provider
// fakes (test/fakes, compiled to out/) answer as planners and a coder, scripted for the sample
// workspace's discount bug, and the workspace's settings point the pool at them; no real keys are used.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './install.mjs';
import { webviewFrame, workbenchUrl } from './browser.mjs';

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
 * Starts the scripted fakes. `env` is for code-server (and so the extension host); `configure(dir)`
 * writes the pool into a workspace's .vscode/settings.json, plus `settings` if given.
 */
export async function startDemoFakes() {
  const { startFakes, scriptDemo } = loadFakes();
  const fakes = await startFakes();
  scriptDemo(fakes);
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
