// Shared set-up for the extension's integration tests: the fakes, settings pointing at them, keys in
// SecretStorage through the real command, and small workspace helpers.
import * as vscode from 'vscode';
import { startFakes, type Fakes } from '../fakes';
import type { FuguApi } from '../../src/vscode/extension';
import type { Notice } from '../../src/vscode/notify';

export const EXT_ID = 'fugu-dev.fugu-vscode';
export const TEST_KEY = 'sk-test-integration-key-000111222333';

export async function fuguApi(): Promise<FuguApi> {
  const ext = vscode.extensions.getExtension<FuguApi>(EXT_ID);
  if (!ext) throw new Error(`${EXT_ID} is not loaded`);
  return ext.activate();
}

export function root(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('no workspace folder is open');
  return f.uri;
}

export function fileUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(root(), ...rel.split('/'));
}

export async function writeDisk(rel: string, text: string): Promise<vscode.Uri> {
  const uri = fileUri(rel);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

export async function readDisk(rel: string): Promise<string | null> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(fileUri(rel)));
  } catch {
    return null;
  }
}

export async function openEditor(rel: string, selection?: vscode.Selection): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fileUri(rel));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  if (selection) editor.selection = selection;
  return editor;
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The pool of the default settings, pointed at the fakes, with no retries and no review round. */
export async function configureFor(fakes: Fakes, extra: Record<string, unknown> = {}): Promise<void> {
  const c = vscode.workspace.getConfiguration('fugu');
  const g = vscode.ConfigurationTarget.Global;
  await c.update(
    'workers',
    [
      { id: 'gemini', provider: 'google', model: 'gemini-2.5-pro', baseUrl: fakes.gemini.url, role: 'planner' },
      { id: 'claude', provider: 'anthropic', model: 'claude-sonnet-4-6', baseUrl: fakes.anthropic.url, role: 'planner' },
      { id: 'gpt', provider: 'openai', model: 'gpt-5', baseUrl: fakes.openai.url, role: 'coder' },
    ],
    g,
  );
  // Checks (issue 11) are off unless a test turns them on: 'ask' would wait for an answer.
  const settings: Record<string, unknown> = { 'policy.backend': 'builtin', maxRecursion: 0, maxRetries: 0, timeoutMs: 20_000, 'verify.mode': 'off', ...extra };
  for (const [k, v] of Object.entries(settings)) await c.update(k, v, g);
}

export async function setTestKeys(key = TEST_KEY): Promise<void> {
  for (const name of ['openai', 'anthropic', 'google']) {
    const ok = await vscode.commands.executeCommand<boolean>('fugu.setApiKey', { name, key });
    if (!ok) throw new Error(`fugu.setApiKey did not store the ${name} key`);
  }
}

export async function startTestFakes(): Promise<Fakes> {
  return startFakes();
}

/**
 * The fake providers for one describe block: started, set as the pool and keyed before its tests,
 * reset with every editor closed before each test, and closed after (`beforeClose` runs first).
 */
export function useFakeProviders(setFakes: (f: Fakes) => void, opts: { beforeClose?: () => Thenable<unknown> } = {}): void {
  let fakes: Fakes | undefined;
  before(async () => {
    await fuguApi();
    fakes = await startTestFakes();
    setFakes(fakes);
    await configureFor(fakes);
    await setTestKeys();
  });
  after(async () => {
    await opts.beforeClose?.();
    await closeAll();
    await fakes?.close();
  });
  beforeEach(async () => {
    fakes?.reset();
    await closeAll();
  });
}

/** SEARCH/REPLACE edit blocks in the format the coder is told to write. */
export function editBlock(path: string, search: string, replace: string): string {
  return `${path}\n\`\`\`js\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n\`\`\`\n`;
}

export async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Notices shown since `from` (an index into the API's notice list). */
/** Where to read notices from later: the latest one. Not a count, since the extension keeps only the last 50. */
export type NoticeMark = Notice | undefined;

export function noticeMark(api: FuguApi): NoticeMark {
  return api.notices().at(-1);
}

/** The notices after `mark` (all kept ones if the mark has already dropped out of the list). */
export function noticesSince(api: FuguApi, mark: NoticeMark): Notice[] {
  const all = api.notices();
  return mark === undefined ? [...all] : all.slice(all.indexOf(mark) + 1);
}

export function proposedDiffTabs(): vscode.TabInputTextDiff[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .map((t) => t.input)
    .filter((i): i is vscode.TabInputTextDiff => i instanceof vscode.TabInputTextDiff && i.modified.scheme === 'fugu-proposed');
}
