import * as vscode from 'vscode';

// Two read-only virtual documents per reviewed file: `fugu-original:/<path>?<session>` and
// `fugu-proposed:/<path>?<session>`. Nothing here touches the real file.

export const ORIGINAL_SCHEME = 'fugu-original';
export const PROPOSED_SCHEME = 'fugu-proposed';

export function reviewUri(scheme: typeof ORIGINAL_SCHEME | typeof PROPOSED_SCHEME, sessionId: string, relPath: string): vscode.Uri {
  return vscode.Uri.from({ scheme, path: `/${relPath}`, query: sessionId });
}

/** The session id and workspace-relative path a review URI stands for. */
export function parseReviewUri(uri: vscode.Uri): { sessionId: string; path: string } | null {
  if (uri.scheme !== ORIGINAL_SCHEME && uri.scheme !== PROPOSED_SCHEME) return null;
  return { sessionId: uri.query, path: uri.path.replace(/^\//, '') };
}

export class ReviewDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  set(uri: vscode.Uri, text: string): void {
    const key = uri.toString();
    if (this.texts.get(key) === text) return;
    const had = this.texts.has(key);
    this.texts.set(key, text);
    if (had) this.changed.fire(uri);
  }

  forget(sessionId: string): void {
    for (const key of [...this.texts.keys()]) {
      if (vscode.Uri.parse(key).query === sessionId) this.texts.delete(key);
    }
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  register(): vscode.Disposable {
    return vscode.Disposable.from(
      vscode.workspace.registerTextDocumentContentProvider(ORIGINAL_SCHEME, this),
      vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, this),
    );
  }

  dispose(): void {
    this.changed.dispose();
    this.texts.clear();
  }
}
