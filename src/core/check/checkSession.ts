// One run's checks: a scratch copy made when the run starts, the baseline started on it at once
// (it hides behind the model calls), then the edits of each round applied in the copy and checked.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { nodeWorkspaceFiles, planFileEdits } from '../edits';
import type { EditBlock, FileEditPlan, WorkspaceFiles } from '../edits/types';
import { runCheckCommand } from './runCheckCommand';
import { createScratchCopy, type ScratchCopy } from './scratchCopy';
import type { CheckCommand, CheckRun } from './types';

export interface CheckSetup {
  command: CheckCommand;
  timeoutMs: number;
  maxOutputBytes: number;
  /** The check's environment: the user's, minus provider keys (see checkEnv). */
  env: NodeJS.ProcessEnv;
}

interface Touched {
  /** The user's text before any edit (null: the file did not exist). */
  original: string | null;
  blocks: EditBlock[];
}

export class CheckSession {
  readonly baseline: Promise<CheckRun>;
  private readonly copy: Promise<ScratchCopy | Error>;
  private readonly touched = new Map<string, Touched>();
  private disposed = false;
  /** Aborted by the run's signal or by dispose: a check still running is killed, then the copy goes. */
  private readonly stop = new AbortController();
  private running: Promise<unknown> = Promise.resolve();
  private readonly signal: AbortSignal;

  /** Starts making the copy and running the baseline; never throws (failures become 'could-not-run'). */
  constructor(
    private readonly userRoot: string,
    private readonly setup: CheckSetup,
    runSignal: AbortSignal,
  ) {
    this.signal = this.stop.signal;
    if (runSignal.aborted) this.stop.abort();
    else runSignal.addEventListener('abort', () => this.stop.abort(), { once: true });
    this.copy = createScratchCopy(userRoot).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    this.baseline = this.copy.then((c) => this.run(c));
    this.running = this.baseline;
  }

  get command(): string {
    return this.setup.command.display;
  }

  /** The copy as the edit planner sees it: a corrective answer is matched against the files as the last round left them. */
  async files(): Promise<WorkspaceFiles | null> {
    const c = await this.copy;
    return c instanceof Error ? null : nodeWorkspaceFiles(c.root);
  }

  /**
   * Writes a round's proposed edits into the copy (after the baseline is done with it) and runs the
   * check. `user` reads the user's own text of a file, the starting point of the net change.
   */
  async checkEdits(plans: FileEditPlan[], user: WorkspaceFiles): Promise<CheckRun> {
    await this.baseline;
    if (this.disposed) return this.run(new Error('the run ended'));
    const c = await this.copy;
    if (c instanceof Error) return this.run(c);
    try {
      for (const p of plans) {
        if (p.status !== 'proposed') continue;
        let t = this.touched.get(p.path);
        if (!t) {
          t = { original: await user.read(p.path), blocks: [] };
          this.touched.set(p.path, t);
        }
        t.blocks.push(...p.blocks);
        const abs = path.join(c.root, p.path);
        if (p.action === 'delete') await fs.rm(abs, { force: true });
        else {
          await fs.mkdir(path.dirname(abs), { recursive: true });
          await fs.writeFile(abs, p.proposed ?? '');
        }
      }
    } catch (e) {
      return this.run(new Error(`the edits could not be written into the copy: ${(e as Error).message}`));
    }
    return this.run(c);
  }

  /** Each touched file's net change from the user's text to the copy's, as one plan per file. */
  async netPlans(): Promise<FileEditPlan[]> {
    const c = await this.copy;
    if (c instanceof Error) return [];
    const out: FileEditPlan[] = [];
    for (const [rel, t] of this.touched) {
      const now = await fs.readFile(path.join(c.root, rel), 'utf8').catch(() => null);
      if (now === null && t.original === null) continue; // created, then deleted again: no change
      out.push(netPlan(rel, t, now));
    }
    return out;
  }

  /** Removes the copy; waits for a check still running to be killed first (the run's signal). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.stop.abort();
    await this.running;
    const c = await this.copy;
    if (!(c instanceof Error)) await c.dispose();
  }

  private async run(c: ScratchCopy | Error): Promise<CheckRun> {
    if (c instanceof Error) {
      return { command: this.command, outcome: 'could-not-run', exitCode: null, durationMs: 0, outputTail: '', reason: `The check could not run: ${c.message}.` };
    }
    const { command, timeoutMs, maxOutputBytes, env } = this.setup;
    const run = runCheckCommand(command, { cwd: c.root, env, timeoutMs, maxOutputBytes, signal: this.signal });
    this.running = run;
    return run;
  }
}

/**
 * The user reviews one plan per file, from their text to the copy's. Replaying every round's
 * blocks from the user's text keeps the blocks (so a file changed since the run began can be
 * matched again); when replay does not give the copy's text, one whole-file block stands in.
 */
function netPlan(rel: string, t: Touched, now: string | null): FileEditPlan {
  const blocks = t.blocks.map((b, i) => ({ ...b, ordinal: i }));
  const replay = now === null ? null : planFileEdits(rel, blocks.filter((b) => b.kind !== 'delete'), t.original);
  if (replay && replay.status === 'proposed' && replay.proposed === now) return { ...replay, blocks: replay.blocks };
  const whole: EditBlock =
    now === null
      ? { path: rel, search: '', replace: '', kind: 'delete', ordinal: 0 }
      : { path: rel, search: t.original ?? '', replace: now, kind: 'replace', ordinal: 0 };
  const plan = planFileEdits(rel, [whole], t.original);
  return plan.status === 'proposed' || now === null ? plan : { ...plan, status: 'proposed', action: t.original === null ? 'create' : 'modify', proposed: now, reason: null, failures: [] };
}
