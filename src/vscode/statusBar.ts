import * as vscode from 'vscode';
import type { TraceDocument } from '../core/trace/types';
import { outcomeLine, progressLine } from './progressLine';
import { runTitle } from '../core/trace/title';

/** The status bar item: live progress of the current run, then its outcome; click shows the trace. */
export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('fugu.run', vscode.StatusBarAlignment.Left, 50);
  private hideTimer: NodeJS.Timeout | undefined;

  constructor() {
    this.item.name = 'Fugu run';
    this.item.command = 'fugu.showTrace';
  }

  update(doc: TraceDocument): void {
    clearTimeout(this.hideTimer);
    this.item.text = `$(sync~spin) Fugu: ${progressLine(doc)}`;
    this.item.tooltip = `Fugu is working on: ${runTitle(doc)}\nClick to show the trace; "Fugu: Cancel" stops it.`;
    this.item.show();
  }

  finish(doc: TraceDocument): void {
    const icon = doc.status === 'succeeded' ? '$(check)' : doc.status === 'cancelled' ? '$(circle-slash)' : '$(error)';
    this.item.text = `${icon} Fugu: ${outcomeLine(doc)}`;
    this.item.tooltip = doc.error ?? `Fugu finished: ${runTitle(doc)}`;
    this.item.show();
    clearTimeout(this.hideTimer);
    this.hideTimer = setTimeout(() => this.item.hide(), 30_000);
  }

  /** After a run that ended without a trace (an unexpected failure): no spinner left behind. */
  reset(): void {
    clearTimeout(this.hideTimer);
    this.item.hide();
  }

  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    clearTimeout(this.hideTimer);
    this.item.dispose();
  }
}
