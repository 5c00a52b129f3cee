import * as vscode from 'vscode';

// The "Fugu" output channel: details for people who want them. Keys never reach it (see redact).
let channel: vscode.LogOutputChannel | undefined;

export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Fugu', { log: true });
  return channel;
}

/** Hides anything that looks like a key or an auth header before it is logged. */
export function redact(text: string): string {
  return text
    .replace(/(authorization|x-api-key|x-goog-api-key|api[-_]?key)(["']?\s*[:=]\s*["']?)(bearer\s+)?[^\s"',}]+/gi, '$1$2$3[redacted]')
    .replace(/\b(sk|sk-ant|sk-proj|AIza)[-_A-Za-z0-9]{12,}/g, '[redacted]');
}

export function disposeLog(): void {
  channel?.dispose();
  channel = undefined;
}
