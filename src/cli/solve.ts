import { stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { FuguConfig } from '../core/config';
import { gatherRepoContext } from '../core/context/gatherRepoContext';
import { WorkspaceIndex } from '../core/context/workspaceIndex';
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
import { envKeys, missingKeys } from './envKeys';
import { progressPrinter } from './progress';

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
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  const progress = values.quiet ? (_e: TraceEvent) => {} : progressPrinter(process.stderr);
  // --apply and --diff ask for edits: the run is a coding task whatever the task's wording.
  const wantsEdits = values.apply || values.diff;
  const { context, index } = values.workspace ? await workspaceContext(task, root, config) : { context: [], index: undefined };
  const { trace, plans } = await runTask({
    task,
    config,
    context,
    index,
    keys: envKeys(process.env),
    signal: abort.signal,
    onEvent: progress,
    workspace: nodeWorkspaceFiles(root),
    wantsEdits,
  });
  process.removeListener('SIGINT', onSigint);

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
  if (wantsEdits && plans.length === 0) {
    return fail(3, `${values.apply ? '--apply' : '--diff'} asked for edits, but the answer holds none${values.apply ? '; nothing was written' : ''}.`);
  }
  return editProblems > 0 ? 3 : 0;
}

/** The exit code of a run that did not succeed, by its kind: 3 when its edits could not be made, else 1. */
export function exitCodeOf(kind: ErrorKind): number {
  switch (kind) {
    case 'edits':
      return 3;
    default:
      return 1;
  }
}

/** Writes the proposed plans to disk; what happened to each file reaches the trace as one 'edits' event. */
export async function applyToWorkspace(root: string, trace: TraceDocument, plans: FileEditPlan[], emit: TraceListener): Promise<void> {
  emit(outcomesEvent(trace.final.edits, await applyPlansToDisk(root, plans)));
}

/** The ranked context from an index built for this run (the planners' tools read it too); a workspace that cannot be indexed sends none. */
async function workspaceContext(task: string, root: string, config: FuguConfig): Promise<{ context: ContextFile[]; index?: WorkspaceIndex }> {
  const c = config.context;
  try {
    const index = await WorkspaceIndex.build({ root, exclude: c.exclude, maxFileBytes: c.maxFileBytes });
    return { context: (await gatherRepoContext({ task, index, maxChars: c.maxChars })).files, index };
  } catch (err) {
    process.stderr.write(`fugu: the workspace could not be indexed, so no context is sent: ${err instanceof Error ? err.message : String(err)}\n`);
    return { context: [] };
  }
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
