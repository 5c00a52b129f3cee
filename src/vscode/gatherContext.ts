import * as vscode from 'vscode';
import { lineNote, type Attachments } from '../core/context/attachments';
import type { CappedContext, ContextCandidate } from '../core/context/capContext';
import type { EmbeddingSignal } from '../core/context/embeddings/workspaceEmbeddings';
import { gatherRepoContext } from '../core/context/gatherRepoContext';
import type { WorkspaceIndex } from '../core/context/workspaceIndex';
import type { ContextFile } from '../core/runTypes';

const SENDABLE = new Set(['file', 'untitled', 'vscode-remote', 'vscode-userdata']);

/** Workspace-relative path of a document, or its URI for anything outside the workspace. */
export function relPath(uri: vscode.Uri): string {
  if (uri.scheme === 'untitled') return uri.toString();
  return vscode.workspace.asRelativePath(uri, false);
}

function sendable(doc: vscode.TextDocument): boolean {
  return SENDABLE.has(doc.uri.scheme) && !doc.uri.path.endsWith('.git');
}

/** The open editors, best first: the selection, the active file, the other visible editors, the other open tabs. */
export function openEditorCandidates(): ContextCandidate[] {
  const candidates: ContextCandidate[] = [];
  const active = vscode.window.activeTextEditor;
  if (active && sendable(active.document)) {
    const doc = active.document;
    const sel = active.selection;
    if (!sel.isEmpty) {
      candidates.push({ path: relPath(doc.uri), text: doc.getText(sel), reason: 'selection', note: lineNote(sel.start.line + 1, sel.end.line + 1) });
    }
    candidates.push({ path: relPath(doc.uri), text: doc.getText(), reason: 'open, active' });
  }
  for (const ed of vscode.window.visibleTextEditors) {
    if (ed === active || !sendable(ed.document)) continue;
    candidates.push({ path: relPath(ed.document.uri), text: ed.document.getText(), reason: 'open' });
  }
  const tabUris = vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .map((t) => (t.input instanceof vscode.TabInputText ? t.input.uri.toString() : ''));
  for (const doc of vscode.workspace.textDocuments) {
    if (!sendable(doc) || !tabUris.includes(doc.uri.toString())) continue;
    candidates.push({ path: relPath(doc.uri), text: doc.getText(), reason: 'open' });
  }
  return candidates;
}

/**
 * What a task is sent with: what the user attached in chat first; with the workspace index, the files
 * it names, the open editors, the files defining what it names, their import neighbours and the
 * repository map; without it, the open editors.
 */
export async function gatherContext(task: string, maxChars: number, index: WorkspaceIndex | undefined, attached?: Attachments, embeddings?: EmbeddingSignal): Promise<CappedContext> {
  return gatherRepoContext({ task, index, maxChars, attached, open: openEditorCandidates(), embeddings });
}

/**
 * Generate Inline's extra context: the file being edited is already in the task, so this adds the
 * files the instruction names, the definitions it names, the file's import neighbours and the map,
 * in what is left of `maxChars`. Nothing when the index is not ready.
 */
export async function gatherInlineContext(instruction: string, filePath: string, maxChars: number, index: WorkspaceIndex | undefined): Promise<ContextFile[]> {
  if (!index || maxChars < 500) return [];
  const ctx = await gatherRepoContext({ task: instruction, index, maxChars, anchors: index.has(filePath) ? [filePath] : [] });
  return ctx.files;
}
