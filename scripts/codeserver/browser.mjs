// Drives the code-server workbench with Debian's Chromium through playwright-core.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM } from './install.mjs';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Launches Chromium with a fresh profile and returns one page.
 * @param {{headless?: boolean, viewport?: {width: number, height: number}}} [opts]
 * @returns {Promise<{context: import('playwright-core').BrowserContext, page: import('playwright-core').Page, close: () => Promise<void>}>}
 */
export async function launchChromium(opts = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'fugu-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: opts.headless ?? true,
    args: CHROMIUM_ARGS,
    viewport: opts.viewport ?? { width: 1400, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  let closing;
  const close = () =>
    (closing ??= (async () => {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    })());
  return { context, page, close };
}

/**
 * The workbench URL for a server: a folder to open, the extension under development, optionally a tests
 * entry point (then VS Code runs the tests and reports through window.codeAutomationExit) and
 * environment variables for the extension host.
 * @param {{url: string, port: number}} server
 * @param {{folder?: string, extensionDevelopmentPath?: string, extensionTestsPath?: string, extensionEnvironment?: Record<string,string>}} opts
 */
export function workbenchUrl(server, opts = {}) {
  const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload = [];
  if (opts.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(opts.extensionDevelopmentPath)]);
  if (opts.extensionTestsPath) payload.push(['extensionTestsPath', remote(opts.extensionTestsPath)]);
  if (opts.extensionEnvironment) payload.push(['extensionEnvironment', JSON.stringify(opts.extensionEnvironment)]);
  const query = new URLSearchParams();
  if (opts.folder) query.set('folder', opts.folder);
  if (payload.length) query.set('payload', JSON.stringify(payload));
  return `${server.url}/?${query}`;
}

/**
 * Listens for window.codeAutomationExit, which VS Code calls when the extension tests are done.
 * Call before openVsCode so the binding exists when the workbench loads.
 * (The promise is wrapped in an object: an async function returning it would wait for the exit.)
 * @param {import('playwright-core').Page} page
 * @returns {Promise<{exited: Promise<number>}>} exited resolves with VS Code's exit code
 */
export async function automationExit(page) {
  let resolve;
  const exited = new Promise((r) => (resolve = r));
  await page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code)));
  return { exited };
}

/**
 * Opens the workbench and waits until it is usable.
 * @param {import('playwright-core').Page} page
 * @param {{url: string, port: number}} server
 * @param {Parameters<typeof workbenchUrl>[1] & {timeoutMs?: number}} [opts]
 */
export async function openVsCode(page, server, opts = {}) {
  await page.goto(workbenchUrl(server, opts));
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: opts.timeoutMs ?? 60_000 });
  return page;
}

/**
 * Runs a command by its palette title (e.g. "Fugu: Show Trace") through the command palette.
 * @param {import('playwright-core').Page} page
 * @param {string} title
 */
export async function runCommand(page, title) {
  const widget = page.locator('.quick-input-widget');
  // Click the row labelled exactly with the title: a prefix ("Open Preview") matches several commands.
  // The row's aria-label may carry the keybinding after the title, so compare the label text itself.
  const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact }) })
    .first();
  // The palette sometimes swallows the first keystrokes while the workbench settles; retry once.
  for (let attempt = 1; ; attempt++) {
    await widget.waitFor({ state: 'hidden' }).catch(() => {});
    await page.keyboard.press('F1');
    const input = widget.locator('input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    try {
      await row.click({ timeout: attempt === 1 ? 5_000 : 30_000 });
      return;
    } catch (err) {
      if (attempt > 1) throw new Error(`no command titled "${title}" in the command palette: ${err.message}`, { cause: err });
      await page.keyboard.press('Escape');
    }
  }
}

/**
 * Trusts the open folder as a person would: the Workspace Trust editor's "Trust" button.
 * @param {import('playwright-core').Page} page
 */
export async function grantWorkspaceTrust(page) {
  await runCommand(page, 'Workspaces: Manage Workspace Trust');
  await page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first().click({ timeout: 10_000 });
}

/**
 * What the visible quick pick shows, read in the page: its title and its rendered rows in list order.
 * A row's `separator` is the label of the vendor-style group it starts ('' inside a group); `checked` is
 * set only in a multi-select pick.
 * @param {Element} widget the `.quick-input-widget`
 */
function readQuickPick(widget) {
  const text = (el, sel) => el.querySelector(sel)?.textContent ?? '';
  const rows = [...widget.querySelectorAll('.quick-input-list .monaco-list-row')].sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index));
  return {
    title: text(widget, '.quick-input-title'),
    results: Number(text(widget, '.quick-input-visible-count').match(/\d+/)?.[0] ?? NaN),
    rows: rows.map((row) => ({
      label: text(row, '.quick-input-list-row .label-name'),
      description: text(row, '.label-description'),
      separator: text(row, '.quick-input-list-separator'),
      ...(row.hasAttribute('aria-checked') ? { checked: row.getAttribute('aria-checked') === 'true' } : {}),
    })),
  };
}

/**
 * Acts in the quick pick whose title contains `title`, as a person would, once it shows: checks exactly
 * the rows labelled `check` (clicking their checkboxes) and clicks OK; or types `type` into its filter and
 * waits until the active row is one that matches; then presses `press` (Playwright key names).
 * @param {import('playwright-core').Page} page
 * @param {{title: string, check?: string[], type?: string, press?: string[], timeoutMs?: number}} opts
 * @returns {Promise<{title: string, rows: {label: string, description: string, separator: string, checked?: boolean}[]}>}
 *   what it showed before anything was done
 */
export async function driveQuickPick(page, { title, check, type, press = [], timeoutMs = 20_000 }) {
  const widget = page.locator('.quick-input-widget');
  const titled = widget.locator('.quick-input-title', { hasText: title });
  await titled.waitFor({ state: 'visible', timeout: timeoutMs });
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: timeoutMs });
  const { results, ...shown } = await widget.evaluate(readQuickPick);
  // The list renders only the rows that fit: a row not rendered could be neither read nor clicked.
  if (shown.rows.length !== results) throw new Error(`the quick pick "${shown.title}" has ${results} rows but shows ${shown.rows.length}`);

  if (check) {
    const labels = shown.rows.map((r) => r.label);
    const unknown = check.filter((l) => !labels.includes(l));
    if (unknown.length) throw new Error(`the quick pick "${shown.title}" has no row ${unknown.map((l) => JSON.stringify(l)).join(', ')} (it has ${labels.join(', ')})`);
    for (const [i, row] of shown.rows.entries()) {
      const want = check.includes(row.label);
      if (row.checked === undefined) throw new Error(`the quick pick "${shown.title}" has no checkboxes`);
      if (row.checked === want) continue;
      const at = `.quick-input-list .monaco-list-row[data-index="${i}"]`;
      await widget.locator(`${at} .monaco-checkbox`).click({ timeout: timeoutMs });
      await widget.locator(`${at}[aria-checked="${want}"]`).waitFor({ timeout: timeoutMs });
    }
    await widget.locator('.quick-input-action .monaco-button', { hasText: /^OK$/ }).click({ timeout: timeoutMs });
    await titled.waitFor({ state: 'hidden', timeout: timeoutMs });
  }
  if (type !== undefined) {
    await widget.locator('.quick-input-box input').fill(type, { timeout: timeoutMs });
    await widget.locator('.quick-input-list .monaco-list-row.focused .label-name', { hasText: type }).first().waitFor({ timeout: timeoutMs });
  }
  for (const key of press) await page.keyboard.press(key);
  return shown;
}

/**
 * The content of a webview: VS Code nests it as iframe.webview > iframe#active-frame.
 * @param {import('playwright-core').Page} page
 * @param {{title?: string}} [opts] pick the webview whose outer frame has this title (the view's title); default: the first
 * @returns {import('playwright-core').FrameLocator}
 */
export function webviewFrame(page, opts = {}) {
  const outer = opts.title ? `iframe.webview[title="${opts.title}"]` : 'iframe.webview';
  return page.frameLocator(`${outer}`).first().frameLocator('iframe#active-frame');
}

/**
 * Opens a file of the workspace through Quick Open.
 * @param {import('playwright-core').Page} page
 * @param {string} relativePath
 */
export async function openFile(page, relativePath) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(relativePath);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  const name = relativePath.split('/').pop();
  await page.locator(`.tabs-container .tab.active[aria-label^=${JSON.stringify(name)}]`).waitFor({ state: 'visible' });
}
