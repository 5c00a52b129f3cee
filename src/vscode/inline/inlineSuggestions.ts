import * as vscode from 'vscode';

/** A generation being shown as ghost text at one place. */
export interface PendingInline {
  uri: string;
  position: vscode.Position;
  /** The code so far (grows while it streams). */
  text: string;
  done: boolean;
}

/**
 * Serves the pending inline generation as an inline suggestion: Tab accepts (VS Code's own
 * commit), Escape dismisses. It offers nothing anywhere else, so it never competes with other
 * completion providers.
 */
export class InlineSuggestions implements vscode.InlineCompletionItemProvider, vscode.Disposable {
  private pending: PendingInline | undefined;
  private lastTrigger = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly accepted = new vscode.EventEmitter<PendingInline>();
  /** Fires when the user accepts the suggestion. */
  readonly onDidAccept = this.accepted.event;

  private readonly selectionWatch: vscode.Disposable;

  /** Milliseconds between re-triggers while code streams in. */
  constructor(private readonly throttleMs = 120) {
    // Once the code is complete, moving away (or Escape then moving) ends the offer for good.
    this.selectionWatch = vscode.window.onDidChangeTextEditorSelection((e) => {
      const p = this.pending;
      if (p?.done && e.textEditor.document.uri.toString() === p.uri && !e.selections[0]?.active.isEqual(p.position)) this.clear();
    });
  }

  show(p: PendingInline): void {
    this.pending = p;
    if (p.text) this.trigger();
  }

  /** New text for the pending generation; the ghost text follows, throttled. */
  update(text: string, done: boolean): void {
    if (!this.pending) return;
    this.pending.text = text;
    this.pending.done = done;
    // An empty answer would stick: VS Code does not ask again at the same place until it is hidden,
    // and there is nothing to hide. So the first query waits for the first code.
    if (text) this.trigger(done);
  }

  current(): PendingInline | undefined {
    return this.pending;
  }

  clear(): void {
    this.pending = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private trigger(now = false): void {
    const wait = now ? 0 : Math.max(0, this.lastTrigger + this.throttleMs - Date.now());
    if (this.timer) {
      if (!now) return; // one re-trigger is already scheduled
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastTrigger = Date.now();
      if (this.pending) void this.requery();
    }, wait);
  }

  /**
   * VS Code asks a provider again only when the document or the cursor changed; hiding first drops
   * its answer for this place, so the trigger fetches the longer text.
   */
  private async requery(): Promise<void> {
    await vscode.commands.executeCommand('editor.action.inlineSuggest.hide');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  }

  provideInlineCompletionItems(doc: vscode.TextDocument, position: vscode.Position): vscode.InlineCompletionItem[] {
    const p = this.pending;
    if (!p || !p.text || doc.uri.toString() !== p.uri || !position.isEqual(p.position)) return [];
    const item = new vscode.InlineCompletionItem(p.text, new vscode.Range(position, position), {
      title: 'Fugu: inline code accepted',
      command: 'fugu.inlineAccepted',
    });
    return [item];
  }

  /** Called by the item's command after VS Code inserted the text. */
  acceptedNow(): void {
    const p = this.pending;
    this.clear();
    if (p) this.accepted.fire(p);
  }

  dispose(): void {
    this.clear();
    this.selectionWatch.dispose();
    this.accepted.dispose();
  }
}
