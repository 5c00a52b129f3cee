import * as vscode from 'vscode';
import type { FuguConfig } from '../core/config';
import { requiredKeys, whoNeeds } from '../core/requiredKeys';
import { FUGU_KEY_ENV, keyNameFor, PROVIDER_KEY_ENV } from './keyEnv';
import type { KeyStore } from './keys';
import { log } from './log';
import { notify } from './notify';
import { rawConfig } from './settings';

export interface KeyTarget {
  label: string;
  name: string;
  /** Worker ids that use it. */
  users: string[];
}

const NAMED: Record<string, string> = {
  [PROVIDER_KEY_ENV.openai]: 'OpenAI',
  [PROVIDER_KEY_ENV.anthropic]: 'Anthropic',
  [PROVIDER_KEY_ENV.google]: 'Google (Gemini)',
  [FUGU_KEY_ENV]: 'Fugu (Sakana)',
};

/** The four providers, then every other key name the configured pool or conductor uses. */
export function keyTargets(config: Partial<Pick<FuguConfig, 'workers' | 'policy'>>): KeyTarget[] {
  const targets = new Map<string, KeyTarget>();
  for (const [name, label] of Object.entries(NAMED)) targets.set(name, { label, name, users: [] });
  for (const w of config.workers ?? []) {
    const name = keyNameFor(w);
    const t = targets.get(name) ?? { label: `Custom endpoint: ${w.id}${w.baseUrl ? ` (${w.baseUrl})` : ''}`, name, users: [] };
    t.users.push(w.id);
    targets.set(name, t);
  }
  // The policy's key as the core names it: hosted Fugu's, or a conductor endpoint's.
  const p: Partial<FuguConfig['policy']> = config.policy ?? {};
  for (const k of requiredKeys({ workers: [], policy: p })) {
    const where = p.baseUrl ? ` (${p.baseUrl})` : '';
    const t = targets.get(k.name) ?? { label: p.backend === 'fugu' ? `Fugu endpoint${where}` : `Conductor endpoint${where}`, name: k.name, users: [] };
    t.users.push(...whoNeeds(k, { workers: [], policy: p }));
    targets.set(k.name, t);
  }
  return [...targets.values()];
}

/** The pool as configured, even when some other setting is invalid (key commands must still work). */
function configuredTargets(): KeyTarget[] {
  const raw = rawConfig();
  const workers = Array.isArray(raw.workers) ? (raw.workers as FuguConfig['workers']).filter((w) => w && typeof w.id === 'string' && typeof w.provider === 'string') : [];
  return keyTargets({ workers, policy: raw.policy as FuguConfig['policy'] });
}

/** Accepts a key name, a provider ('openai', 'anthropic', 'google', 'fugu') or a worker id. */
function resolveName(arg: string, targets: KeyTarget[]): string {
  const byProvider: Record<string, string> = { ...PROVIDER_KEY_ENV, fugu: FUGU_KEY_ENV };
  return byProvider[arg] ?? targets.find((t) => t.users.includes(arg))?.name ?? arg;
}

async function pick(store: KeyStore, placeHolder: string): Promise<KeyTarget | undefined> {
  const targets = configuredTargets();
  const items = await Promise.all(
    targets.map(async (t) => {
      const src = await store.source(t.name);
      const state = src === 'secret' ? 'stored' : src === 'env' ? 'from the environment' : 'not set';
      const used = t.users.length ? ` · used by ${t.users.join(', ')}` : '';
      return { label: t.label, description: t.name.startsWith('endpoint:') ? '' : t.name, detail: `${state}${used}`, target: t };
    }),
  );
  return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true }))?.target;
}

export interface SetKeyArgs {
  /** Key name, provider or worker id; asked for when absent. */
  name?: string;
  key?: string;
  /** "1 of 3" when several keys are asked for in a row (shown in the input box title). */
  step?: string;
  /** No "stored" message (the caller goes on to the next key or the run). */
  quiet?: boolean;
}

export function registerKeyCommands(store: KeyStore): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('fugu.setApiKey', async (args?: SetKeyArgs) => {
      const targets = configuredTargets();
      const name = args?.name ? resolveName(args.name, targets) : (await pick(store, 'Which key do you want to set?'))?.name;
      if (!name) return false;
      const label = targets.find((t) => t.name === name)?.label ?? name;
      const key =
        args?.key ??
        (await vscode.window.showInputBox({
          title: `Fugu: ${label} API key${args?.step ? ` (${args.step})` : ''}`,
          prompt: 'Stored in VS Code\'s secret storage, never in settings or traces.',
          password: true,
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() ? null : 'Paste the key, or press Escape to cancel.'),
        }));
      if (!key?.trim()) return false;
      await store.set(name, key);
      log().info(`Stored the ${label} key (${name}) in secret storage.`);
      if (!args?.quiet) void notify('info', `Fugu stored the ${label} key.`);
      return true;
    }),
    vscode.commands.registerCommand('fugu.clearApiKey', async (args?: SetKeyArgs) => {
      const targets = configuredTargets();
      const name = args?.name ? resolveName(args.name, targets) : (await pick(store, 'Which stored key do you want to remove?'))?.name;
      if (!name) return false;
      await store.clear(name);
      const label = targets.find((t) => t.name === name)?.label ?? name;
      const stillEnv = (await store.source(name)) === 'env' ? ` The ${name} environment variable still provides one.` : '';
      log().info(`Removed the stored ${label} key (${name}).`);
      void notify('info', `Fugu removed the stored ${label} key.${stillEnv}`);
      return true;
    }),
  );
}
