// What the user attached to an @fugu request (`#file`, `#selection`, `#sym`, dragged files, folders, a
// tool's text), read into context candidates the ranking puts first; and the prompt with each resolved
// `#name` replaced by the name the context list gives it.
import * as vscode from 'vscode';
import { ATTACHED, lineNote, notSent, replaceSpans, type Attachments, type PromptSpan } from '../../core/context/attachments';
import type { ContextCandidate } from '../../core/context/capContext';
import { decodeText } from '../../core/context/decodeText';
import { openDocument, workspacePath } from '../workspaceFiles';

export interface ChatAttachments {
  /** The prompt with every resolved reference replaced (`fix #file:cart.js` → ``fix `src/cart.js` ``). */
  task: string;
  attached: Attachments;
}

type Resolved =
  | { kind: 'file'; candidate: ContextCandidate; label: string }
  | { kind: 'folder'; path: string; label: string }
  | { kind: 'skip'; note: string };

/**
 * Reads `references` in the order the user wrote them (those not in the prompt, such as dragged files,
 * after). Nothing attached fails the request: what cannot be sent is a note instead.
 */
export async function chatAttachments(
  prompt: string,
  references: readonly vscode.ChatPromptReference[],
  root: vscode.Uri | undefined,
  maxFileBytes: number,
): Promise<ChatAttachments> {
  const ordered = [...references].sort((a, b) => (a.range?.[0] ?? Infinity) - (b.range?.[0] ?? Infinity));
  const resolved = await Promise.all(ordered.map((r) => resolveReference(r, prompt, root, maxFileBytes).catch((err: unknown) => skip(nameOf(r, prompt), `it could not be read (${String(err)})`))));
  const attached: Attachments = { files: [], folders: [], notes: [] };
  const spans: PromptSpan[] = [];
  resolved.forEach((r, i) => {
    const range = ordered[i].range;
    if (r.kind === 'skip') {
      attached.notes.push(r.note);
      return;
    }
    if (r.kind === 'file') attached.files.push(r.candidate);
    else attached.folders.push(r.path);
    if (range) spans.push({ range, text: r.label });
  });
  return { task: replaceSpans(prompt, spans), attached };
}

async function resolveReference(ref: vscode.ChatPromptReference, prompt: string, root: vscode.Uri | undefined, maxFileBytes: number): Promise<Resolved> {
  const value = ref.value;
  if (typeof value === 'string') {
    const name = nameOf(ref, prompt);
    if (!value.trim()) return skip(name, 'it is empty');
    return { kind: 'file', candidate: { path: name, text: value, reason: ATTACHED }, label: `\`${name}\`` };
  }
  if (value instanceof vscode.Location) return resolveUri(value.uri, value.range, root, maxFileBytes);
  if (value instanceof vscode.Uri) return resolveUri(value, undefined, root, maxFileBytes);
  return skip(nameOf(ref, prompt), 'Fugu sends files, parts of files, folders and text, and this is none of them');
}

async function resolveUri(uri: vscode.Uri, range: vscode.Range | undefined, root: vscode.Uri | undefined, maxFileBytes: number): Promise<Resolved> {
  const open = openDocument(uri);
  const rel = uri.scheme === 'untitled' && open ? uri.toString() : workspacePath(uri, root);
  if (rel === undefined) return skip(uri.scheme === 'file' ? uri.fsPath : uri.toString(), 'it is outside the workspace folder');
  if (rel === '.git' || rel.startsWith('.git/')) return skip(rel, 'Fugu never sends what is inside .git');
  let text: string;
  if (open && !open.isClosed) {
    text = open.getText(); // the unsaved text is what the user sees
  } else {
    const stat = await vscode.workspace.fs.stat(uri).then(
      (s) => s,
      () => undefined,
    );
    if (!stat) return skip(rel, 'it does not exist or cannot be read');
    if (stat.type & vscode.FileType.Directory) return { kind: 'folder', path: rel, label: `\`${rel}/\`` };
    const read = decodeText(await vscode.workspace.fs.readFile(uri), maxFileBytes);
    if (typeof read !== 'string') return skip(rel, read.skip === 'over the size cap' ? `it is over the size cap (fugu.context.maxFileBytes, ${maxFileBytes} bytes)` : `it is not text (${read.skip})`);
    text = read;
  }
  const part = range ? linesOf(text, range) : undefined;
  if (!part) return { kind: 'file', candidate: { path: rel, text, reason: ATTACHED }, label: `\`${rel}\`` };
  const note = lineNote(part.first, part.last);
  return { kind: 'file', candidate: { path: rel, text: part.text, reason: ATTACHED, note }, label: `\`${rel}\` (${note})` };
}

/** The whole lines a range covers (a range ending at the start of a line stops before it); none for an empty range. */
function linesOf(text: string, range: vscode.Range): { text: string; first: number; last: number } | undefined {
  if (range.isEmpty) return undefined;
  const lastLine = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  const lines = text.split('\n').slice(range.start.line, lastLine + 1);
  if (lines.length === 0) return undefined;
  return { text: lines.join('\n'), first: range.start.line + 1, last: range.start.line + lines.length };
}

/** How a reference is named in notes and the context list: as the prompt wrote it, else by its id. */
function nameOf(ref: vscode.ChatPromptReference, prompt: string): string {
  const written = ref.range ? prompt.slice(ref.range[0], ref.range[1]) : '';
  return written || `#${ref.id}`;
}

function skip(name: string, why: string): Resolved {
  return { kind: 'skip', note: notSent(name, why) };
}
