import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WorkspaceFiles } from '../core/edits/types';

// Open documents first (their unsaved text is what the user sees), then the file system.

export function workspaceRoot(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

/** The workspace-relative path (forward slashes) of a URI inside the workspace folder, or undefined outside it. */
export function workspacePath(uri: vscode.Uri, root: vscode.Uri | undefined): string | undefined {
  if (!root || uri.scheme !== root.scheme || uri.authority !== root.authority) return undefined;
  const rel = path.posix.relative(root.path, uri.path);
  if (!rel || rel === '..' || rel.startsWith('../') || path.posix.isAbsolute(rel)) return undefined;
  return rel;
}

export function uriOf(root: vscode.Uri, rel: string): vscode.Uri {
  return vscode.Uri.joinPath(root, ...rel.split('/').filter(Boolean));
}

export function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const key = uri.toString();
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
}

export class VscodeWorkspaceFiles implements WorkspaceFiles {
  readonly root: string;

  constructor(private readonly rootUri: vscode.Uri) {
    this.root = rootUri.fsPath;
  }

  async read(relPath: string): Promise<string | null> {
    const uri = uriOf(this.rootUri, relPath);
    const doc = openDocument(uri);
    if (doc && !doc.isClosed) return doc.getText();
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      return new TextDecoder().decode(bytes);
    } catch {
      return null;
    }
  }

  async realpath(absPath: string): Promise<string> {
    // Walk up to the nearest existing parent, resolve it, and put the missing tail back on.
    let cur = absPath;
    const tail: string[] = [];
    for (;;) {
      try {
        return path.join(await fs.realpath(cur), ...tail.reverse());
      } catch {
        const parent = path.dirname(cur);
        if (parent === cur) return absPath;
        tail.push(path.basename(cur));
        cur = parent;
      }
    }
  }
}
