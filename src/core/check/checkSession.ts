// One run's checks: a scratch copy made when the run starts, the baseline started on it at once
// (it hides behind the model calls), then the edits of each round written into the copy and
// checked. The edits are what the coder wrote: the session keeps each touched file's text as the
// coder's blocks made it, and never reads the copy back. Whatever a check itself created, changed
// or deleted in the copy is named in its record (`touched`) and put back before the next check.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { planFileEdits } from '../edits';
import type { EditBlock, FileEditPlan, WorkspaceFiles } from '../edits/types';
import { changedPaths, copyState, refreshPaths, type CopyState } from './copyState';
import { git, zList } from './git';
import { runCheckCommand } from './runCheckCommand';
import { sandboxEngine, type Isolation, type SandboxSetting } from './sandbox';
import { BUILD_DIRS, createScratchCopy, DEPENDENCY_DIRS, type ScratchCopy } from './scratchCopy';
import type { CheckCommand, CheckRun } from './types';

export interface CheckSetup {
  command: CheckCommand;
  timeoutMs: number;
  maxOutputBytes: number;
  /** The check's environment: the user's, minus provider keys and secret-looking variables (see checkEnv). */
  env: NodeJS.ProcessEnv;
  /** verify.sandbox (default 'auto'). */
  sandbox?: SandboxSetting;
  /** verify.network (default true): false cuts a sandboxed check off the network. */
  network?: boolean;
  /** verify.copyIgnored: git-ignored paths copied into the copy. */
  copyIgnored?: string[];
  /** Where the copy is made (default: the OS temp folder). */
  tmpRoot?: string;
}

/** The most touched paths a check record lists. */
const MAX_TOUCHED = 100;

interface Touched {
  /** The user's text before any edit (null: the file did not exist). */
  original: string | null;
  blocks: EditBlock[];
  /** The text the coder's blocks make of it (null: deleted). */
  intended: string | null;
}

export class CheckSession {
  readonly baseline: Promise<CheckRun>;
  /** Which isolation the checks run under, or why none can (verify.sandbox 'required'). */
  readonly isolation: Promise<Isolation | Error>;
  private readonly copy: Promise<ScratchCopy | Error>;
  private readonly touched = new Map<string, Touched>();
  private user: WorkspaceFiles | null = null;
  /** The copy's files as the last check left them and we put them back (one walk per check, not two). */
  private state: CopyState | null = null;
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
    this.isolation = chooseIsolation(setup.sandbox ?? 'auto');
    this.copy = this.isolation
      .then((iso): Promise<ScratchCopy | Error> | Error => {
        if (iso instanceof Error) return iso;
        return createScratchCopy(userRoot, { tmpRoot: setup.tmpRoot, dependencies: iso === 'copy' ? 'copy' : 'link', copyIgnored: setup.copyIgnored });
      })
      .catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    this.baseline = this.copy.then((c) => this.run(c));
    this.running = this.baseline;
  }

  get command(): string {
    return this.setup.command.display;
  }

  /**
   * The files as the last round's edits left them, for matching a corrective answer: the coder's
   * text for the files it touched, the user's for the rest (never the copy, which a check may have changed).
   */
  async files(): Promise<WorkspaceFiles | null> {
    const c = await this.copy;
    const user = this.user;
    if (c instanceof Error || !user) return null;
    const touched = this.touched;
    return {
      root: user.root,
      realpath: (abs) => user.realpath(abs),
      async read(rel) {
        const t = touched.get(rel);
        return t ? t.intended : user.read(rel);
      },
    };
  }

  /**
   * Writes a round's proposed edits into the copy (after the baseline is done with it) and runs the
   * check. `user` reads the user's own text of a file, the starting point of the net change.
   */
  async checkEdits(plans: FileEditPlan[], user: WorkspaceFiles): Promise<CheckRun> {
    this.user ??= user;
    await this.baseline;
    if (this.disposed) return this.run(new Error('the run ended'));
    const c = await this.copy;
    if (c instanceof Error) return this.run(c);
    try {
      for (const p of plans) {
        if (p.status !== 'proposed') continue;
        let t = this.touched.get(p.path);
        if (!t) {
          const original = await user.read(p.path);
          t = { original, blocks: [], intended: original };
          this.touched.set(p.path, t);
        }
        t.blocks.push(...p.blocks);
        t.intended = p.action === 'delete' ? null : (p.proposed ?? '');
        await writeInCopy(c, p.path, t.intended);
      }
      if (this.state) await refreshPaths(this.state, c.root, plans.map((p) => p.path));
    } catch (e) {
      return this.run(new Error(`the edits could not be written into the copy: ${(e as Error).message}`));
    }
    return this.run(c);
  }

  /** Each touched file's net change from the user's text to the coder's, as one plan per file. */
  async netPlans(): Promise<FileEditPlan[]> {
    const out: FileEditPlan[] = [];
    for (const [rel, t] of this.touched) {
      if (t.intended === null && t.original === null) continue; // created, then deleted again: no change
      if (t.intended === t.original) continue; // changed, then changed back
      out.push(netPlan(rel, t));
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
      return { command: this.command, outcome: 'could-not-run', exitCode: null, durationMs: 0, outputTail: '', reason: `The check could not run: ${c.message.replace(/\.$/, '')}.` };
    }
    const run = this.runIn(c);
    this.running = run;
    return run;
  }

  private async runIn(c: ScratchCopy): Promise<CheckRun> {
    const { command, timeoutMs, maxOutputBytes, env } = this.setup;
    const iso = await this.isolation;
    const isolation = iso instanceof Error ? 'copy' : iso;
    const skip = [...DEPENDENCY_DIRS, ...BUILD_DIRS];
    const before = this.state ?? (await copyState(c.root, skip));
    const sandbox = isolation === 'copy' ? undefined : { engine: isolation, policy: { writable: c.base, readable: c.reads, network: this.setup.network ?? true } };
    // The marker is on disk before the check starts: if this process dies at any moment after, the
    // next start finds the check's processes by it (the process group is recorded when known).
    const marker = randomUUID();
    await c.recordCheck({ pgid: null, marker });
    const run = await runCheckCommand(command, {
      cwd: c.root, env, timeoutMs, maxOutputBytes, signal: this.signal, sandbox, marker,
      onStart: (pgid) => void c.recordCheck({ pgid, marker }),
    });
    await c.recordCheck(null);
    const after = await copyState(c.root, skip);
    const touched = changedPaths(before, after);
    // The next check starts from the user's files plus the coder's edits, whatever this one did.
    if (!this.disposed) {
      await this.restore(c, touched).catch(() => undefined);
      await refreshPaths(after, c.root, touched);
      this.state = after;
    }
    const hint = run.outcome === 'failed' ? await ignoredHint(this.userRoot, run.outputTail, this.setup.copyIgnored ?? []) : null;
    return {
      ...run,
      isolation,
      touched: touched.slice(0, MAX_TOUCHED),
      ...(touched.length > MAX_TOUCHED ? { touchedOmitted: touched.length - MAX_TOUCHED } : {}),
      ...(hint ? { hint } : {}),
    };
  }

  private async restore(c: ScratchCopy, rels: string[]): Promise<void> {
    for (const rel of rels) {
      const t = this.touched.get(rel);
      const text = t ? t.intended : await fs.readFile(path.join(this.userRoot, rel)).catch(() => null);
      await fs.rm(path.join(c.root, rel), { recursive: true, force: true });
      if (text !== null) await writeInCopy(c, rel, text);
    }
  }
}

/** Which isolation verify.sandbox asks for and this machine can give; an Error when 'required' cannot be met. */
async function chooseIsolation(setting: SandboxSetting): Promise<Isolation | Error> {
  if (setting === 'off') return 'copy';
  const engine = await sandboxEngine();
  if (engine) return engine;
  if (setting === 'required') {
    return new Error('verify.sandbox is "required", but no sandbox can start here (bubblewrap on Linux, sandbox-exec on macOS)');
  }
  return 'copy';
}

/** Writes (or deletes) a file in the copy, never through a link that leads out of it (into a dependency folder). */
async function writeInCopy(c: ScratchCopy, rel: string, text: string | Buffer | null): Promise<void> {
  const abs = path.join(c.root, rel);
  const parent = path.dirname(abs);
  // Judged on the nearest folder that exists, before any mkdir: a mkdir through a link would already write outside.
  let existing = parent;
  while (!(await fs.lstat(existing).catch(() => null))) existing = path.dirname(existing);
  const inside = path.relative(c.base, await fs.realpath(existing));
  const link = await fs.lstat(abs).catch(() => null);
  if (inside.startsWith('..') || path.isAbsolute(inside) || link?.isSymbolicLink()) {
    throw new Error(`${rel} leads out of the copy (a linked dependency folder); the edit is not written there`);
  }
  await fs.mkdir(parent, { recursive: true });
  if (text === null) await fs.rm(abs, { force: true });
  else await fs.writeFile(abs, text);
}

/** A failing check whose output names a git-ignored file the copy left out: how to copy it. */
async function ignoredHint(userRoot: string, output: string, listed: string[]): Promise<string | null> {
  const out = await git(['ls-files', '--others', '--ignored', '--exclude-standard', '--directory', '-z'], userRoot);
  const skip = new Set([...DEPENDENCY_DIRS, ...BUILD_DIRS, ...listed.map((l) => l.replace(/\/+$/, ''))]);
  const named = zList(out)
    .map((p) => p.replace(/\/+$/, ''))
    .filter((p) => !skip.has(p) && !skip.has(p.split('/')[0]) && p.length >= 3)
    .filter((p) => output.includes(p) || output.includes(path.basename(p)));
  if (named.length === 0) return null;
  const list = named.slice(0, 3).join(', ');
  return `The output mentions ${list}, which git ignores, so the scratch copy leaves ${named.length > 1 ? 'them' : 'it'} out; if the check needs ${named.length > 1 ? 'them' : 'it'}, list ${named.length > 1 ? 'them' : 'it'} in verify.copyIgnored.`;
}

/**
 * The user reviews one plan per file, from their text to the coder's. Replaying every round's
 * blocks from the user's text keeps the blocks (so a file changed since the run began can be
 * matched again); when replay does not give the coder's text, one whole-file block stands in.
 */
function netPlan(rel: string, t: Touched): FileEditPlan {
  const now = t.intended;
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
