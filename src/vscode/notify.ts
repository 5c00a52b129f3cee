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
const KEEP_NOTICES = 1000;

// A notice's pending answer, so the test API can choose a button as a click would.
const answers = new WeakMap<Notice, (button: string) => void>();

export function notify(kind: NoticeKind, text: string, ...buttons: string[]): Thenable<string | undefined> {
  const notice: Notice = { kind, text, buttons };
  recent.push(notice);
  // Tests index into this list by length ("notices since n"), so it must not shift within a test
  // session; a real session shows far fewer, and each notice is one short sentence.
  if (recent.length > KEEP_NOTICES) recent.shift();
  const show = kind === 'error' ? vscode.window.showErrorMessage : kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const shown = show(text, ...buttons);
  if (buttons.length === 0) return shown;
  return new Promise((resolve) => {
    answers.set(notice, resolve);
    shown.then((b) => {
      answers.delete(notice);
      resolve(b);
    });
  });
}

/** Answers a notice still waiting for its answer as clicking `button` would; false if it cannot. */
export function chooseButton(notice: Notice, button: string): boolean {
  const answer = answers.get(notice);
  if (!answer || !notice.buttons.includes(button)) return false;
  answers.delete(notice);
  answer(button);
  return true;
}

export function recentNotices(): readonly Notice[] {
  return recent;
}
