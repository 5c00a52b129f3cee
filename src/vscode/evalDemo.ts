import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { workspaceRoot } from './workspaceFiles';

// The walkthrough's last step: `fugu eval --demo` in a terminal (the sample suite against scripted
// fake providers, offline; the report lands in fugu-eval-demo/report.html). The CLI ships with the
// npm package, not the .vsix: where the extension carries it (a development copy) it is run from
// there; otherwise the command is typed for the user to run once `fugu` is installed.

export function evalDemo(extensionUri: vscode.Uri): vscode.Terminal {
  const cli = vscode.Uri.joinPath(extensionUri, 'dist', 'cli.js').fsPath;
  const terminal = vscode.window.createTerminal({ name: 'fugu eval', cwd: workspaceRoot() });
  terminal.show();
  if (existsSync(cli)) terminal.sendText(`node ${JSON.stringify(cli)} eval --demo`, true);
  else terminal.sendText('fugu eval --demo   # needs the fugu CLI: npm install -g fugu-vscode', false);
  return terminal;
}
