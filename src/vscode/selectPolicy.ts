import * as vscode from 'vscode';
import type { PolicyBackend } from '../core/config';
import { fuguKeyEnv } from '../core/policies/fugu';
import type { KeyStore } from './keys';
import { notify } from './notify';
import { policySettings, updateSetting } from './settings';

const CHOICES: { backend: PolicyBackend; label: string; detail: string }[] = [
  { backend: 'learned', label: 'Learned (default)', detail: 'Offline: chooses among workflows built from your pool by what passed your checks and what you accepted; with no outcomes yet, what Built-in picks.' },
  { backend: 'builtin', label: 'Built-in', detail: 'Offline and deterministic: planners in parallel, then the coder, optionally a reviewer.' },
  { backend: 'conductor', label: 'Conductor model', detail: 'A conductor served on any OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp, remote) writes the workflow.' },
  { backend: 'fugu', label: 'Sakana Fugu (hosted)', detail: 'Delegates the whole task to api.sakana.ai in one call; needs a Fugu API key.' },
];

export async function selectPolicy(keys: KeyStore, args?: { backend?: PolicyBackend }): Promise<PolicyBackend | undefined> {
  const current = policySettings();
  const currentBackend = current.backend;
  const backend =
    args?.backend ??
    (
      await vscode.window.showQuickPick(
        CHOICES.map((c) => ({ ...c, description: c.backend === currentBackend ? 'current' : '' })),
        { title: 'Fugu: who writes the workflow?' },
      )
    )?.backend;
  if (!backend) return undefined;
  await updateSetting('policy.backend', backend);

  if (backend === 'conductor' && !current.worker && !(current.baseUrl && current.model)) {
    if (args?.backend) return backend;
    const baseUrl = await vscode.window.showInputBox({
      title: 'Conductor endpoint',
      prompt: 'Base URL of the OpenAI-compatible server, including /v1',
      value: current.baseUrl ?? 'http://127.0.0.1:8000/v1',
      ignoreFocusOut: true,
    });
    if (baseUrl) await updateSetting('policy.baseUrl', baseUrl);
    const model = await vscode.window.showInputBox({ title: 'Conductor model', prompt: 'Model name the server serves', value: current.model ?? '', ignoreFocusOut: true });
    if (model) await updateSetting('policy.model', model);
  }
  if (backend === 'fugu' && !(await keys.get(fuguKeyEnv(current)))) {
    void notify('info', 'Fugu now uses the hosted Sakana Fugu policy; it needs a Fugu API key.', 'Set API Key').then((b) => {
      if (b) void vscode.commands.executeCommand('fugu.setApiKey', { name: fuguKeyEnv(current) });
    });
  } else if (!args?.backend) {
    vscode.window.setStatusBarMessage(`Fugu policy: ${backend}`, 4000);
  }
  return backend;
}
