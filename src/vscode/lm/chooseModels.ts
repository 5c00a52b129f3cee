import * as vscode from 'vscode';
import type { Role } from '../../core/workers/types';
import { parseConfig } from '../../core/loadConfig';
import { notify } from '../notify';
import { rawConfig } from '../settings';
import { FUGU_VENDOR } from './vscodeLmWorker';
import { poolFromChoices, type ChosenModel, type LmWorkerSetting } from './modelPool';

export interface ChooseModelsArgs {
  /** Models as 'vendor/id' (skips the picker; for tests and scripts). */
  models?: string[];
  /** Their roles, in the same order (skips the role questions). */
  roles?: Role[];
}

const ROLES: { label: Role; detail: string }[] = [
  { label: 'planner', detail: 'Plans the change; planners run in parallel' },
  { label: 'coder', detail: 'Writes the final code edits, seeing the plans' },
  { label: 'reviewer', detail: 'Checks the result' },
  { label: 'any', detail: 'Whatever the policy needs' },
];

type ModelItem = vscode.QuickPickItem & { model?: vscode.LanguageModelChat };

/**
 * Fugu: Choose Models — the models VS Code offers (a Copilot subscription's, other extensions'),
 * grouped by vendor; the chosen ones with their roles become the pool in the user settings.
 */
export async function chooseModels(args: ChooseModelsArgs = {}): Promise<LmWorkerSetting[] | undefined> {
  const offered = (await vscode.lm.selectChatModels()).filter((m) => m.vendor !== FUGU_VENDOR); // Fugu cannot be its own worker
  if (offered.length === 0) {
    void notify('warning', 'VS Code offers no language models yet: sign in to GitHub Copilot (or install an extension that provides models), then run "Fugu: Choose Models" again.');
    return undefined;
  }
  const picked = args.models ? pickByName(offered, args.models) : await pickModels(offered);
  if (!picked?.length) return undefined;

  const chosen: ChosenModel[] = [];
  for (const [i, m] of picked.entries()) {
    const role = args.roles?.[i] ?? (await askRole(m, i, picked.length));
    if (!role) return undefined;
    chosen.push({ vendor: m.vendor, id: m.id, family: m.family, name: m.name, role });
  }
  const pool = poolFromChoices(chosen);
  try {
    parseConfig({ ...rawConfig(), workers: pool });
  } catch (err) {
    void notify('error', `Fugu kept its pool: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
  await vscode.workspace.getConfiguration('fugu').update('workers', pool, vscode.ConfigurationTarget.Global);
  void notify('info', `Fugu's pool is now ${pool.map((w) => `${w.id} (${w.role})`).join(', ')}: no API keys needed. VS Code asks once per vendor before Fugu may use its models.`);
  return pool;
}

function pickByName(offered: vscode.LanguageModelChat[], names: string[]): vscode.LanguageModelChat[] {
  return names.map((n) => {
    const m = offered.find((x) => `${x.vendor}/${x.id}` === n);
    if (!m) throw new Error(`VS Code offers no model '${n}'.`);
    return m;
  });
}

async function pickModels(offered: vscode.LanguageModelChat[]): Promise<vscode.LanguageModelChat[] | undefined> {
  const current = new Set(
    (vscode.workspace.getConfiguration('fugu').get<{ provider?: string; vendor?: string; model?: string }[]>('workers') ?? [])
      .filter((w) => w.provider === 'vscode-lm')
      .map((w) => `${w.vendor}/${w.model}`),
  );
  const items: ModelItem[] = [];
  const vendors = [...new Set(offered.map((m) => m.vendor))].sort();
  for (const vendor of vendors) {
    items.push({ label: vendor, kind: vscode.QuickPickItemKind.Separator });
    for (const m of offered.filter((x) => x.vendor === vendor)) {
      items.push({
        label: m.name,
        description: m.family,
        detail: `${m.maxInputTokens.toLocaleString('en-US')} input tokens · id ${m.id}`,
        picked: current.has(`${m.vendor}/${m.family}`) || current.has(`${m.vendor}/${m.id}`),
        model: m,
      });
    }
  }
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: 'Fugu: choose the models of your pool',
    placeHolder: 'Check the models Fugu may use (e.g. two planners and a coder); roles come next',
    ignoreFocusOut: true,
  });
  return picked?.flatMap((p) => (p.model ? [p.model] : []));
}

async function askRole(m: vscode.LanguageModelChat, i: number, n: number): Promise<Role | undefined> {
  // The suggested role comes first, so Enter after Enter gives planners and a final coder.
  const suggested: Role = n > 1 && i === n - 1 ? 'coder' : n === 1 ? 'any' : 'planner';
  const pick = await vscode.window.showQuickPick([...ROLES.filter((r) => r.label === suggested), ...ROLES.filter((r) => r.label !== suggested)], {
    title: `Fugu: role of ${m.name} (${i + 1} of ${n})`,
    placeHolder: i === n - 1 ? 'The last model is usually the coder' : 'Planners see the task; the coder sees their plans',
    ignoreFocusOut: true,
  });
  return pick?.label;
}
