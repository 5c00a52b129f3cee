import { stat, writeFile } from 'node:fs/promises';
import { homedir, constants as osConstants } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { FuguConfig } from '../core/config';
import { cliEmbeddingCacheDir } from '../core/context/embeddings/embeddingCache';
import { workspaceContext } from '../core/context/workspaceContext';
import type { WorkspaceIndex } from '../core/context/workspaceIndex';
import { applyPlansToDisk, nodeWorkspaceFiles, planDiff } from '../core/edits';
import { ConfigError, parseConfig } from '../core/loadConfig';
import { editorOnlyProblem } from '../core/workers/editorProviders';
import { readConfigJson } from './readConfigJson';
import { runTask } from '../core/runTask';
import type { ContextFile } from '../core/runTypes';
import { outcomesEvent } from '../core/trace/editOutcomes';
import { applyEvent } from '../core/trace/reduce';
import type { ErrorKind, TraceDocument, TraceEvent, TraceListener } from '../core/trace/types';
import type { FileEditPlan } from '../core/edits/types';
import { checkVerdict } from '../core/check/checkReport';
import { resolveCheck } from '../core/check/resolveCheck';
import { envKeys, missingKeys } from './envKeys';
import { progressPrinter } from './progress';
import { cliOutcomeStore } from './outcomeStore';

/** `fugu solve`: one task, progress on stderr, the answer (or with --diff the patch) on stdout. */
export async function solveCommand(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        workspace: { type: 'string', short: 'w' },
        trace: { type: 'string', short: 't' },
        diff: { type: 'boolean', default: false },
        apply: { type: 'boolean', default: false },
        quiet: { type: 'boolean', short: 'q', default: false },
        verify: { type: 'string' },
        'no-verify': { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    return fail(2, (err as Error).message);
  }
  const { values, positionals } = args;
  if (!values.config) return fail(2, 'missing --config <file.json>.');

  let config: FuguConfig;
  try {
    config = await loadConfigFile(values.config);
  } catch (err) {
    return fail(2, (err as Error).message);
  }
  const missing = missingKeys(config, process.env);
  if (missing.length > 0) return fail(2, missing[0]);

  let task = positionals.join(' ').trim();
  if (!task && !process.stdin.isTTY) task = (await readStdin()).trim();
  if (!task) return fail(2, 'no task: pass it as an argument or on stdin.');

  const root = resolve(values.workspace ?? process.cwd());
  // Found before any call: a run that cannot plan its edits or save its trace would waste the money.
  const badPath = (await workspaceProblem(root)) ?? (values.trace ? await traceProblem(values.trace) : null);
  if (badPath) return fail(2, badPath);
  // [verify] issue 11: which check, if any, before any call is made.
  if (values.verify !== undefined && !values.verify.trim()) return fail(2, '--verify needs a command, or "auto" for the detected one.');
  const check = await cliCheck(config, root, values.verify, values['no-verify'] ?? false);
  if ('command' in check) process.stderr.write(`fugu: check: ${check.command.display}${check.detected ? ` (detected: ${check.detected})` : ''}\n`);
  const abort = new AbortController();
  // Ctrl-C, and what `timeout`, CI cancellation and supervisors send: the run is cancelled (a check
  // still running is killed, the scratch copy removed) and fugu exits 128 + the signal's number.
  let stoppedBy: NodeJS.Signals | null = null;
  const onSignal = (sig: NodeJS.Signals) => {
    stoppedBy ??= sig;
    abort.abort();
  };
  for (const sig of STOP_SIGNALS) process.once(sig, onSignal);
  const progress = values.quiet ? (_e: TraceEvent) => {} : progressPrinter(process.stderr);
  // --apply and --diff ask for edits: the run is a coding task whatever the task's wording.
  const wantsEdits = values.apply || values.diff;
  // Embeddings (when on) go on in the background while the models work, and stop with the run.
  const embedStop = new AbortController();
  const { context, index, notes } = values.workspace ? await contextFor(task, root, config, embedStop.signal) : { context: [], index: undefined, notes: [] };
  const { trace, plans } = await runTask({
    task,
    config,
    context,
    contextNotSent: notes,
    index,
    keys: envKeys(process.env),
    signal: abort.signal,
    onEvent: progress,
    workspace: nodeWorkspaceFiles(root),
    wantsEdits,
    check,
    outcomes: cliOutcomeStore(),
  }).finally(() => embedStop.abort());
  for (const sig of STOP_SIGNALS) process.removeListener(sig, onSignal);
  if (stoppedBy) {
    if (values.trace) await writeFile(values.trace, `${JSON.stringify(trace, null, 2)}\n`);
    process.stderr.write(`fugu: run cancelled by ${stoppedBy}; nothing was applied.\n`);
    return 128 + osConstants.signals[stoppedBy];
  }

  let editProblems = 0;
  if (values.apply && plans.length > 0) {
    await applyToWorkspace(root, trace, plans, (e) => {
      applyEvent(trace, e);
      progress(e);
    });
  }
  for (const e of trace.final.edits) {
    if (e.status === 'failed' || e.status === 'refused') {
      editProblems++;
      process.stderr.write(`fugu: edit ${e.status}: ${e.path}: ${e.reason ?? 'no reason given'}\n`);
    } else {
      process.stderr.write(`fugu: edit ${e.status}: ${e.path} (${e.action})\n`);
    }
  }

  if (values.diff) {
    for (const p of plans) if (p.status === 'proposed') process.stdout.write(planDiff(p));
  } else if (trace.final.text) {
    process.stdout.write(trace.final.text.endsWith('\n') ? trace.final.text : `${trace.final.text}\n`);
  }
  if (values.trace) await writeFile(values.trace, `${JSON.stringify(trace, null, 2)}\n`);

  if (trace.status !== 'succeeded') return fail(exitCodeOf(trace.errorKind ?? 'internal'), `run ${trace.status}: ${trace.error ?? 'no reason given'}`);
  // [verify] The verdict; a succeeded run whose final edits fail their check exits as a check failure.
  const verdict = trace.final.check;
  if (verdict) process.stderr.write(`fugu: ${checkVerdict(verdict)}\n`);
  if (verdict?.outcome === 'failed') return exitCodeOf('check');
  if (wantsEdits && plans.length === 0) {
    return fail(3, `${values.apply ? '--apply' : '--diff'} asked for edits, but the answer holds none${values.apply ? '; nothing was written' : ''}.`);
  }
  return editProblems > 0 ? 3 : 0;
}

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The exit code of a run that did not succeed, by its kind: 3 when its edits could not be made, 4 when they fail their check, else 1. */
export function exitCodeOf(kind: ErrorKind): number {
  switch (kind) {
    case 'edits':
      return 3;
    case 'check':
      return 4;
    default:
      return 1;
  }
}

/** Writes the proposed plans to disk; what happened to each file reaches the trace as one 'edits' event. */
export async function applyToWorkspace(root: string, trace: TraceDocument, plans: FileEditPlan[], emit: TraceListener): Promise<void> {
  emit(outcomesEvent(trace.final.edits, await applyPlansToDisk(root, plans)));
}

/** The ranked context for this run, and the index the planners' tools read; a workspace that cannot be indexed sends none. */
async function contextFor(task: string, root: string, config: FuguConfig, signal: AbortSignal): Promise<{ context: ContextFile[]; index?: WorkspaceIndex; notes: string[] }> {
  try {
    return await workspaceContext(task, root, config, { keys: envKeys(process.env), cacheDir: cliEmbeddingCacheDir(process.env, homedir()), signal });
  } catch (err) {
    process.stderr.write(`fugu: the workspace could not be indexed, so no context is sent: ${err instanceof Error ? err.message : String(err)}\n`);
    return { context: [], notes: [] };
  }
}

/** `--verify CMD` / `--verify auto` / `--no-verify`, else the config's verify.mode ('ask' cannot ask here: no check). */
async function cliCheck(config: FuguConfig, root: string, flag: string | undefined, off: boolean): Promise<Awaited<ReturnType<typeof resolveCheck>>> {
  if (off) return { skipped: 'checks are off (--no-verify).' };
  if (flag === undefined) {
    const mode = config.verify?.mode ?? 'ask';
    if (mode === 'off') return { skipped: 'checks are off (verify.mode = off).' };
    if (mode === 'ask') return { skipped: 'verify.mode is "ask"; pass --verify (or set verify.mode to "on") to check the edits.' };
  }
  return resolveCheck(config, root, process.env, flag === undefined || flag === 'auto' ? undefined : flag);
}

export async function loadConfigFile(path: string): Promise<FuguConfig> {
  const config = parseConfig(await readConfigJson(path));
  const editorOnly = editorOnlyProblem(config);
  if (editorOnly) throw new ConfigError(editorOnly);
  return config;
}

async function workspaceProblem(root: string): Promise<string | null> {
  const st = await stat(root).catch(() => null);
  if (!st) return `--workspace ${root} does not exist.`;
  return st.isDirectory() ? null : `--workspace ${root} is not a directory.`;
}

async function traceProblem(path: string): Promise<string | null> {
  const st = await stat(dirname(resolve(path))).catch(() => null);
  return st?.isDirectory() ? null : `--trace ${path}: its directory does not exist.`;
}

function fail(code: number, message: string): number {
  process.stderr.write(`fugu: ${message}\n`);
  return code;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
