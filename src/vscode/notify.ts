import * as vscode from 'vscode';

export type NoticeKind = 'info' | 'warning' | 'error';

export interface Notice {
  kind: NoticeKind;
  text: string;
  buttons: string[];
}

// Every message Fugu shows goes through here; the last few are kept so the extension's test API
// can check what the user was told (the message itself is the real notification).
const recent: Notice[] = [];

export function notify(kind: NoticeKind, text: string, ...buttons: string[]): Thenable<string | undefined> {
  recent.push({ kind, text, buttons });
  if (recent.length > 50) recent.shift();
  const show = kind === 'error' ? vscode.window.showErrorMessage : kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  return show(text, ...buttons);
}

export function recentNotices(): readonly Notice[] {
  return recent;
}
