import * as vscode from 'vscode';
import type { FuguConfig } from '../core/config';
import { FUGU_KEY_ENV, PROVIDER_KEY_ENV } from './keyEnv';
import type { KeyStore, MissingKey } from './keys';
import { log } from './log';
import { notify } from './notify';
import { readConfig } from './settings';

// Checks made before any call: a valid configuration and every key it needs. Each failure is one
// sentence with the button that fixes it.

/** The validated settings, or undefined after telling the user what is wrong. */
export function loadConfigOrExplain(read: () => FuguConfig = readConfig): FuguConfig | undefined {
  try {
    return read();
  } catch (err) {
    const sentence = err instanceof Error ? err.message : String(err);
    log().error(`Settings: ${sentence}`);
    void notify('error', `Fugu settings: ${sentence}`, 'Open Settings').then((b) => {
      if (b) void vscode.commands.executeCommand('workbench.action.openSettings', 'fugu.');
    });
    return undefined;
  }
}

const LABELS: Record<string, string> = {
  [PROVIDER_KEY_ENV.openai]: 'an OpenAI',
  [PROVIDER_KEY_ENV.anthropic]: 'an Anthropic',
  [PROVIDER_KEY_ENV.google]: 'a Google (Gemini)',
  [FUGU_KEY_ENV]: 'a Fugu',
};

/**
 * Asks for each missing key in turn (one input box after the other), so a first run needs one click,
 * not one failed run per key. False as soon as one is not given.
 */
export async function askForKeys(missing: MissingKey[], set: (name: string, step: string) => Thenable<boolean | undefined>): Promise<boolean> {
  for (const [i, m] of missing.entries()) {
    if (!(await set(m.name, missing.length > 1 ? `${i + 1} of ${missing.length}` : ''))) return false;
  }
  return true;
}

/**
 * True when every key is available; otherwise says which is missing and offers to set them all;
 * once they are set, `retry` runs the command again.
 */
export async function ensureKeys(store: KeyStore, config: FuguConfig, retry?: () => unknown): Promise<boolean> {
  const missing = await store.missing(config);
  if (missing.length === 0) return true;
  const first = missing[0];
  const what = LABELS[first.name] ? `${LABELS[first.name]} API key` : `the API key ${first.name}`;
  const more = missing.length > 1 ? ` (${missing.length - 1} more key${missing.length > 2 ? 's are' : ' is'} missing too)` : '';
  const via = first.name.startsWith('endpoint:') ? '' : ` or the ${first.name} environment variable`;
  const sentence = `Fugu needs ${what} for ${first.who.join(', ')}${more}: set it with "Fugu: Set API Key"${via}.`;
  log().warn(sentence);
  const button = missing.length > 1 ? 'Set API Keys' : 'Set API Key';
  void notify('warning', sentence, button).then(async (b) => {
    if (!b) return;
    const done = await askForKeys(missing, (name, step) => vscode.commands.executeCommand<boolean>('fugu.setApiKey', { name, step, quiet: true }));
    if (done && retry) retry();
  });
  return false;
}
