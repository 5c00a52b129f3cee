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
  private last: string | undefined;

  start(kind: ActiveRun['kind']): ActiveRun {
    const run = { id: randomUUID(), kind, controller: new AbortController() };
    this.active.set(run.id, run);
    this.last = run.id;
    void this.updateContext();
    return run;
  }

  end(run: ActiveRun): void {
    this.active.delete(run.id);
    void this.updateContext();
  }

  /** The id of the run started last in this window (its trace is the panel's current one). */
  lastId(): string | undefined {
    return this.last;
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
