import * as vscode from 'vscode';
import { decideCheck, type VerifyAnswer } from '../core/check/decideCheck';
import { resolveCheck } from '../core/check/resolveCheck';
import type { FuguConfig } from '../core/config';
import type { RunOptions } from '../core/runTypes';
import { notify } from './notify';

// [verify] issue 11: whether Solve with Fugu checks its edits (fugu.verify.mode, workspace trust,
// the answer remembered per workspace).

const ANSWER_KEY = 'fugu.verify.answer';
const SHOWN_KEY = 'fugu.verify.shownCommand';
export const VERIFY_BUTTONS: Record<VerifyAnswer, string> = { run: 'Run checks', 'not-now': 'Not now', never: 'Never for this workspace' };

export async function checkForRun(context: vscode.ExtensionContext, config: FuguConfig, root: string): Promise<NonNullable<RunOptions['check']>> {
  const check = await decideCheck({
    mode: config.verify?.mode ?? 'ask',
    trusted: vscode.workspace.isTrusted,
    remembered: context.workspaceState.get<'run' | 'never'>(ANSWER_KEY),
    resolve: () => resolveCheck(config, root, process.env),
    ask: async (command, detected) => {
      const found = detected ? ` (found because ${detected})` : '';
      const text = `Check Fugu's edits with \`${command}\`${found} before you review them? It runs in a scratch copy of the workspace, never in your files, and without your API keys.`;
      const choice = await notify('info', text, VERIFY_BUTTONS.run, VERIFY_BUTTONS['not-now'], VERIFY_BUTTONS.never);
      return (Object.keys(VERIFY_BUTTONS) as VerifyAnswer[]).find((k) => VERIFY_BUTTONS[k] === choice);
    },
    remember: (answer) => Promise.resolve(context.workspaceState.update(ANSWER_KEY, answer)),
  });
  // A detected command is shown before its first use, also when no question was asked (mode on).
  if ('command' in check && check.detected && config.verify?.mode === 'on' && context.workspaceState.get(SHOWN_KEY) !== check.command.display) {
    void context.workspaceState.update(SHOWN_KEY, check.command.display);
    void notify('info', `Fugu checks its edits with \`${check.command.display}\` (found because ${check.detected}), in a scratch copy of the workspace. Set fugu.verify.command to use another command.`);
  }
  return check;
}
