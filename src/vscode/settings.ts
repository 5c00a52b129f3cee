import * as vscode from 'vscode';
import type { FuguConfig } from '../core/config';
import type { InlineMode } from '../core/inlineWorkflow';
import { parseConfig } from '../core/loadConfig';

// Settings under `fugu.*` use the same keys as the CLI's config file, so one parser validates both.

export interface EditorSettings {
  /** What Solve with Fugu may send as context, in characters. */
  contextMaxChars: number;
  /** Worker ids the inline generation uses (empty = one planner and the coder). */
  inlineWorkers: string[];
  inlinePolicy: InlineMode;
}

/** The workflow settings, as a raw object for `parseConfig` (undefined leaves its default). */
export function rawConfig(section: vscode.WorkspaceConfiguration = vscode.workspace.getConfiguration('fugu')): Record<string, unknown> {
  const opt = <T>(key: string): T | undefined => {
    const v = section.get<T>(key);
    return v === '' || v === null ? undefined : v;
  };
  return {
    policy: {
      backend: opt('policy.backend'),
      baseUrl: opt('policy.baseUrl'),
      model: opt('policy.model'),
      apiKeyEnv: opt('policy.apiKeyEnv'),
      worker: opt('policy.worker'),
      timeoutMs: opt('policy.timeoutMs'),
    },
    workers: opt('workers'),
    maxSteps: opt('maxSteps'),
    maxRecursion: opt('maxRecursion'),
    budget: {
      maxCalls: opt('budget.maxCalls'),
      maxTokens: opt('budget.maxTokens'),
      maxCostUsd: opt('budget.maxCostUsd'),
    },
    timeoutMs: opt('timeoutMs'),
    maxRetries: opt('maxRetries'),
    prices: opt('prices'),
    verify: {
      command: opt('verify.command'),
      mode: opt('verify.mode'),
      timeoutMs: opt('verify.timeoutMs'),
      maxOutputBytes: opt('verify.maxOutputBytes'),
    },
  };
}

/** Reads and validates the workflow settings. Throws ConfigError with one readable sentence. */
export function readConfig(): FuguConfig {
  return parseConfig(rawConfig());
}

export function readEditorSettings(): EditorSettings {
  const s = vscode.workspace.getConfiguration('fugu');
  return {
    contextMaxChars: Math.max(0, s.get<number>('context.maxChars') ?? 60_000),
    inlineWorkers: s.get<string[]>('inline.workers') ?? [],
    inlinePolicy: s.get<InlineMode>('inline.policy') === 'codeOnly' ? 'codeOnly' : 'planThenCode',
  };
}
