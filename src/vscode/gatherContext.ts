import * as vscode from 'vscode';
import { capContext, type CappedContext, type ContextCandidate } from '../core/context/capContext';

const SENDABLE = new Set(['file', 'untitled', 'vscode-remote', 'vscode-userdata']);

/** Workspace-relative path of a document, or its URI for anything outside the workspace. */
export function relPath(uri: vscode.Uri): string {
  if (uri.scheme === 'untitled') return uri.toString();
  return vscode.workspace.asRelativePath(uri, false);
}

function sendable(doc: vscode.TextDocument): boolean {
  return SENDABLE.has(doc.uri.scheme) && !doc.uri.path.endsWith('.git');
}

/** The active file with its selection first, then the other visible editors, then the other open files. */
export function gatherContext(maxChars: number): CappedContext {
  const candidates: ContextCandidate[] = [];
  const active = vscode.window.activeTextEditor;
  if (active && sendable(active.document)) {
    const doc = active.document;
    const sel = active.selection;
    if (!sel.isEmpty) {
      candidates.push({
        path: relPath(doc.uri),
        text: doc.getText(sel),
        note: `selection, lines ${sel.start.line + 1}-${sel.end.line + 1}`,
      });
    }
    candidates.push({ path: relPath(doc.uri), text: doc.getText() });
  }
  for (const ed of vscode.window.visibleTextEditors) {
    if (ed === active || !sendable(ed.document)) continue;
    candidates.push({ path: relPath(ed.document.uri), text: ed.document.getText() });
  }
  const tabUris = vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .map((t) => (t.input instanceof vscode.TabInputText ? t.input.uri.toString() : ''));
  for (const doc of vscode.workspace.textDocuments) {
    if (!sendable(doc) || !tabUris.includes(doc.uri.toString())) continue;
    candidates.push({ path: relPath(doc.uri), text: doc.getText() });
  }
  return capContext(candidates, maxChars);
}
