import * as vscode from 'vscode';
import type { PolicyBackend } from '../core/config';
import { FUGU_KEY_ENV } from './keyEnv';
import type { KeyStore } from './keys';
import { notify } from './notify';

const CHOICES: { backend: PolicyBackend; label: string; detail: string }[] = [
  { backend: 'builtin', label: 'Built-in', detail: 'Offline and deterministic: planners in parallel, then the coder, optionally a reviewer.' },
  { backend: 'conductor', label: 'Conductor model', detail: 'A conductor served on any OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp, remote) writes the workflow.' },
  { backend: 'fugu', label: 'Sakana Fugu (hosted)', detail: 'Delegates the whole task to api.sakana.ai in one call; needs a Fugu API key.' },
];

/** Settings go where the user already keeps them: the workspace if it sets the backend, else the user settings. */
function target(section: vscode.WorkspaceConfiguration, key: string): vscode.ConfigurationTarget {
  const i = section.inspect(key);
  return i?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

export async function selectPolicy(keys: KeyStore, args?: { backend?: PolicyBackend }): Promise<PolicyBackend | undefined> {
  const section = vscode.workspace.getConfiguration('fugu');
  const currentBackend = section.get<PolicyBackend>('policy.backend') ?? 'builtin';
  const backend =
    args?.backend ??
    (
      await vscode.window.showQuickPick(
        CHOICES.map((c) => ({ ...c, description: c.backend === currentBackend ? 'current' : '' })),
        { title: 'Fugu: who writes the workflow?' },
      )
    )?.backend;
  if (!backend) return undefined;
  await section.update('policy.backend', backend, target(section, 'policy.backend'));

  if (backend === 'conductor' && !section.get('policy.worker') && !(section.get('policy.baseUrl') && section.get('policy.model'))) {
    if (args?.backend) return backend;
    const baseUrl = await vscode.window.showInputBox({
      title: 'Conductor endpoint',
      prompt: 'Base URL of the OpenAI-compatible server, including /v1',
      value: section.get<string>('policy.baseUrl') || 'http://127.0.0.1:8000/v1',
      ignoreFocusOut: true,
    });
    if (baseUrl) await section.update('policy.baseUrl', baseUrl, target(section, 'policy.baseUrl'));
    const model = await vscode.window.showInputBox({ title: 'Conductor model', prompt: 'Model name the server serves', value: section.get<string>('policy.model') || '', ignoreFocusOut: true });
    if (model) await section.update('policy.model', model, target(section, 'policy.model'));
  }
  if (backend === 'fugu' && !(await keys.get(section.get<string>('policy.apiKeyEnv') || FUGU_KEY_ENV))) {
    void notify('info', 'Fugu now uses the hosted Sakana Fugu policy; it needs a Fugu API key.', 'Set API Key').then((b) => {
      if (b) void vscode.commands.executeCommand('fugu.setApiKey', { name: section.get<string>('policy.apiKeyEnv') || FUGU_KEY_ENV });
    });
  } else if (!args?.backend) {
    vscode.window.setStatusBarMessage(`Fugu policy: ${backend}`, 4000);
  }
  return backend;
}
