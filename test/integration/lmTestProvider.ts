// The test-only language-model provider (test/fixtures/lm-test-extension, vendors fugu-test and fugu-test-alt), which
// the integration runner installs beside Fugu: its scripted replies and what it was asked.
import * as vscode from 'vscode';

export type LmReply =
  | { text: string }
  | { chunks: string[]; chunkDelayMs?: number; hang?: boolean }
  | { error: 'NoPermissions' | 'Blocked' | 'NotFound'; message?: string }
  | { toolCall: { id: string; name: string; input: object } };

export interface LmRequest {
  model: string;
  messages: { role: 'user' | 'assistant'; text: string }[];
  tools: string[];
}

export interface LmTestApi {
  models: string[];
  enqueue(model: string, ...replies: LmReply[]): void;
  requests(): LmRequest[];
  cancelled(): string[];
  reset(): void;
}

export const LM_TEST_EXT = 'fugu-test.lm-test-extension';

export async function lmTestProvider(): Promise<LmTestApi> {
  const ext = vscode.extensions.getExtension<LmTestApi>(LM_TEST_EXT);
  if (!ext) throw new Error(`${LM_TEST_EXT} is not installed: run the tests with scripts/codeserver/run-tests.mjs`);
  return ext.activate();
}

/** A pool of VS Code models from the test provider: two planners (by family, and by id) and a coder. */
export const LM_POOL = [
  { id: 'lm-planner-a', provider: 'vscode-lm', vendor: 'fugu-test', model: 'test-planner-a', role: 'planner' },
  { id: 'lm-planner-b', provider: 'vscode-lm', vendor: 'fugu-test', model: 'planner-b', role: 'planner' },
  { id: 'lm-coder', provider: 'vscode-lm', vendor: 'fugu-test', model: 'test-coder', role: 'coder' },
];

export async function useLmPool(pool: unknown[] = LM_POOL): Promise<void> {
  const c = vscode.workspace.getConfiguration('fugu');
  const g = vscode.ConfigurationTarget.Global;
  await c.update('workers', pool, g);
  for (const [k, v] of Object.entries({ 'policy.backend': 'builtin', maxRecursion: 0, maxRetries: 0, timeoutMs: 20_000 })) await c.update(k, v, g);
}

/** Words, as the test provider counts tokens. */
export const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
