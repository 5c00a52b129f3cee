import * as vscode from 'vscode';
import { decideCheck, type VerifyAnswer } from '../core/check/decideCheck';
import { resolveCheck } from '../core/check/resolveCheck';
import type { FuguConfig } from '../core/config';
import type { RunOptions } from '../core/runTypes';
import { notify } from './notify';

// [verify] issue 11: whether Solve with Fugu checks its edits (fugu.verify.mode, workspace trust,
// the answer remembered per workspace).

const ANSWER_KEY = 'fugu.verify.answer';
export const VERIFY_BUTTONS: Record<VerifyAnswer, string> = { run: 'Run checks', 'not-now': 'Not now', never: 'Never for this workspace' };

export function checkForRun(context: vscode.ExtensionContext, config: FuguConfig, root: string): Promise<NonNullable<RunOptions['check']>> {
  return decideCheck({
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
}
