import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';

export interface ActiveRun {
  id: string;
  kind: 'solve' | 'inline' | 'chat';
  controller: AbortController;
}

/** Runs in flight, so "Fugu: Cancel" can abort them and a second Solve does not start on top of one. */
export class Runs {
  private readonly active = new Map<string, ActiveRun>();

  start(kind: ActiveRun['kind']): ActiveRun {
    const run = { id: randomUUID(), kind, controller: new AbortController() };
    this.active.set(run.id, run);
    void this.updateContext();
    return run;
  }

  end(run: ActiveRun): void {
    this.active.delete(run.id);
    void this.updateContext();
  }

  running(kind?: ActiveRun['kind']): ActiveRun[] {
    return [...this.active.values()].filter((r) => !kind || r.kind === kind);
  }

  /** Aborts every run (or one by id); returns how many were stopped. */
  cancel(id?: string): number {
    const targets = id ? [this.active.get(id)].filter((r): r is ActiveRun => !!r) : [...this.active.values()];
    for (const r of targets) r.controller.abort();
    return targets.length;
  }

  private async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'fugu.running', this.active.size > 0);
  }
}
