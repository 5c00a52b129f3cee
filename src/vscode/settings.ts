import * as vscode from 'vscode';
import { contextSchema, type ContextConfig, type FuguConfig, type PolicyBackend } from '../core/config';
import type { InlineMode } from '../core/inlineWorkflow';
import { parseConfig, parseWith } from '../core/loadConfig';
import { EDITOR_KEYS, editorSettingsSchema } from './settingsSchema';

// The one place the extension reads and writes `fugu.*` settings. The workflow settings use the
// same keys as the CLI's config file, so one parser validates both; the rest belong to the editor.

export interface EditorSettings {
  /** Worker ids the inline generation uses (empty = one planner and the coder). */
  inlineWorkers: string[];
  inlinePolicy: InlineMode;
  /** How many past runs the trace view keeps. */
  historyMaxRuns: number;
}

const section = () => vscode.workspace.getConfiguration('fugu');

/** An unset text setting is '' (its default) or null: leave the schema's default instead. */
const unset = (v: unknown) => v === '' || v === null || v === undefined;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Every `fugu.*` value as one tree, unknown keys included (so a typo is reported, not ignored):
 * a WorkspaceConfiguration carries its values as own properties beside has/get/update/inspect.
 */
function settingsTree(s: vscode.WorkspaceConfiguration): { config: Record<string, unknown>; editor: Record<string, unknown> } {
  const config: Record<string, unknown> = {};
  const editor: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(s)) {
    if (typeof value === 'function' || unset(value)) continue;
    const clean = isObject(value) ? Object.fromEntries(Object.entries(value).filter(([, v]) => !unset(v))) : value;
    (EDITOR_KEYS.includes(key) ? editor : config)[key] = clean;
  }
  return { config, editor };
}

/** The workflow settings, as a raw object for `parseConfig` (unset values leave their defaults). */
export function rawConfig(s: vscode.WorkspaceConfiguration = section()): Record<string, unknown> {
  return settingsTree(s).config;
}

/** Reads and validates every `fugu.*` setting; returns the workflow config. Throws ConfigError with one readable sentence. */
export function readConfig(): FuguConfig {
  const tree = settingsTree(section());
  const config = parseConfig(tree.config);
  parseWith(editorSettingsSchema, tree.editor);
  return config;
}

/** The editor's own settings; a value readConfig would refuse falls back to its default here. */
export function readEditorSettings(): EditorSettings {
  const tree = settingsTree(section()).editor;
  let parsed;
  try {
    parsed = parseWith(editorSettingsSchema, tree);
  } catch {
    parsed = parseWith(editorSettingsSchema, {});
  }
  return {
    inlineWorkers: parsed.inline.workers,
    inlinePolicy: parsed.inline.policy,
    historyMaxRuns: parsed.history.maxRuns,
  };
}

/**
 * The `context.*` settings, even when some other setting is invalid (the index and the context a run
 * sends must not depend on the workers being right); an invalid value here falls back to the defaults.
 */
export function contextSettings(): ContextConfig {
  const raw = settingsTree(section()).config.context ?? {};
  try {
    return parseWith(contextSchema, raw, ['context']);
  } catch {
    return parseWith(contextSchema, {}, ['context']);
  }
}

/** What the workspace index leaves out and how large a file it reads: `fugu.context.*` plus `files.exclude`. */
export function contextIndexSettings(): { exclude: string[]; maxFileBytes: number } {
  const c = contextSettings();
  const filesExclude = vscode.workspace.getConfiguration('files').get<Record<string, boolean>>('exclude') ?? {};
  return { exclude: [...c.exclude, ...Object.keys(filesExclude).filter((k) => filesExclude[k] === true)], maxFileBytes: c.maxFileBytes };
}

/** The policy settings as written, even when some other setting is invalid (the policy picker must still work). */
export function policySettings(): { backend: PolicyBackend; baseUrl?: string; model?: string; worker?: string; apiKeyEnv?: string } {
  const s = section();
  const text = (key: string) => s.get<string>(key) || undefined;
  return {
    backend: s.get<PolicyBackend>('policy.backend') ?? 'learned',
    baseUrl: text('policy.baseUrl'),
    model: text('policy.model'),
    worker: text('policy.worker'),
    apiKeyEnv: text('policy.apiKeyEnv'),
  };
}

/** Writes one setting where the user already keeps it: the workspace if it sets that key, else the user settings. */
export async function updateSetting(key: string, value: unknown): Promise<void> {
  const s = section();
  const target = s.inspect(key)?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await s.update(key, value, target);
}
