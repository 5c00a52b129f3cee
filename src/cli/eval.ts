// `fugu eval`: a suite of tasks run by several arms (policies, and each worker alone), scored by
// their checks or expected answers, with a summary, an optional HTML report and rollouts.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { FuguConfig } from '../core/config';
import { VERIFY_DEFAULTS } from '../core/check/types';
import { classifyTask } from '../core/policies/classifyTask';
import { armConfig, firstAttemptBound, parseArms, unpricedModels, type Arm } from '../core/eval/arms';
import { BudgetLedger, CostEstimates, runScheduled } from '../core/eval/budgetLedger';
import { fingerprintOf, promptsVersion, taskHash, workspaceFileList } from '../core/eval/fingerprint';
import { buildGrid, cellKey, parseShard, type Cell } from '../core/eval/grid';
import { renderReport, reportMeta, type ReportMeta } from '../core/eval/report';
import { appendResult, dropPartialLine, fingerprintDifference, isScored, MergeError, mergeResults, missingShards, readResults, writeResults, type EvalResult, type Fingerprint } from '../core/eval/results';
import { dpoPairs, rolloutOf } from '../core/eval/rollouts';
import { EVAL_COPY_PREFIX, runAttempt } from '../core/eval/runAttempt';
import { loadSuite, type EvalTask } from '../core/eval/suite';
import { formatSummary, pct, summarise, usd } from '../core/eval/summary';
import { parseConfig } from '../core/loadConfig';
import { envKeys, missingKeys } from './envKeys';
import { readConfigJson } from './readConfigJson';

/** Printed first, on stdout and in the report, whenever the outcomes are scripted. */
export const DEMO_LABEL = 'scripted demo: the outcomes are written in eval/sample/demo.json, they measure nothing';

function fail(code: number, message: string): number {
  process.stderr.write(`fugu eval: ${message}\n`);
  return code;
}

export async function evalCommand(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        suite: { type: 'string', short: 's' },
        arms: { type: 'string' },
        repeat: { type: 'string', default: '1' },
        concurrency: { type: 'string', default: '2' },
        out: { type: 'string', short: 'o' },
        rollouts: { type: 'string' },
        report: { type: 'string' },
        'max-cost-usd': { type: 'string' },
        'check-timeout-ms': { type: 'string' },
        shard: { type: 'string' },
        merge: { type: 'boolean', default: false },
        partial: { type: 'boolean', default: false },
        restart: { type: 'boolean', default: false },
        'keep-stale': { type: 'boolean', default: false },
        demo: { type: 'boolean', default: false },
        quiet: { type: 'boolean', short: 'q', default: false },
        'learned-cv': { type: 'string' },
      },
    });
  } catch (err) {
    return fail(2, (err as Error).message);
  }
  // --learned-cv K scores the learned policy on a results file by K-fold cross-validation over tasks
  // (nothing runs, nothing is imported): `fugu learn --cv` owns it.
  if (args.values['learned-cv'] !== undefined) {
    const results = args.positionals[0] ?? args.values.out;
    if (!args.values.config || !args.values.suite || !results) return fail(2, '--learned-cv K needs --config <file.json>, --suite <suite> and the results file (--out <results.jsonl> or as an argument).');
    return (await import('./learn.js')).learnCommand(['--config', args.values.config, '--suite', args.values.suite, '--from', results, '--cv', args.values['learned-cv']]);
  }
  const { values, positionals } = args;
  if (values.merge) return mergeCommand(positionals, values.out, values.report, values.partial);
  if (positionals.length) return fail(2, `unexpected argument '${positionals[0]}' (only --merge takes files).`);
  if (values.restart && values['keep-stale']) return fail(2, '--restart starts a new results file and --keep-stale keeps the old one: give one of them.');

  const whole = (name: string, text: string | undefined, min: number): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} is "${text}"; expected a whole number from ${min}.`);
    return n;
  };
  let repeat: number;
  let concurrency: number;
  let maxCost: number | null = null;
  let checkTimeoutMs: number | undefined;
  let shard;
  try {
    repeat = whole('repeat', values.repeat, 1);
    concurrency = whole('concurrency', values.concurrency, 1);
    if (values['check-timeout-ms'] !== undefined) checkTimeoutMs = whole('check-timeout-ms', values['check-timeout-ms'], 1);
    if (values['max-cost-usd'] !== undefined) {
      maxCost = Number(values['max-cost-usd']);
      if (!Number.isFinite(maxCost) || maxCost < 0) throw new Error(`--max-cost-usd is "${values['max-cost-usd']}"; expected a number of dollars, 0 or more.`);
    }
    shard = parseShard(values.shard);
  } catch (err) {
    return fail(2, (err as Error).message);
  }

  let demo: { config: unknown; suite: string; env: Record<string, string>; close(): Promise<void> } | null = null;
  if (values.demo) {
    if (values.config || values.suite) return fail(2, '--demo brings its own config and suite; drop --config and --suite.');
    demo = await startDemo();
    process.stderr.write(`fugu eval: ${DEMO_LABEL}.\n`);
  }
  try {
    const outDir = demo ? resolve('fugu-eval-demo') : null;
    if (outDir) await mkdir(outDir, { recursive: true });
    const out = resolve(values.out ?? (outDir ? join(outDir, 'results.jsonl') : 'fugu-eval-results.jsonl'));
    const report = values.report ?? (outDir ? join(outDir, 'report.html') : undefined);
    const rollouts = values.rollouts ?? (outDir ? join(outDir, 'rollouts.jsonl') : undefined);
    const env = demo ? { ...process.env, ...demo.env } : process.env;

    // Everything that can be wrong with the input is found before the first model call.
    let config: FuguConfig;
    let tasks: EvalTask[];
    let suiteName: string;
    let arms: Arm[];
    try {
      if (!demo && !values.config) throw new Error('missing --config <file.json>.');
      if (!demo && !values.suite) throw new Error('missing --suite <suite.jsonl or folder>.');
      config = parseConfig(demo ? demo.config : await readConfigJson(values.config!));
      const suite = await loadSuite(demo ? demo.suite : values.suite!);
      tasks = suite.tasks;
      suiteName = suite.file;
      arms = parseArms(values.arms, config, [...new Set(tasks.map((t) => (t.kind === 'coding' ? 'coding' : classifyTask(t.prompt))))]);
      for (const arm of arms) {
        const missing = missingKeys(armConfig(arm, config), env);
        if (missing.length) throw new Error(`arm "${arm.name}": ${missing[0]}`);
      }
      for (const [flag, path] of [['--out', out], ['--report', report], ['--rollouts', rollouts]] as const) {
        if (path && !(await stat(dirname(resolve(path))).catch(() => null))?.isDirectory()) throw new Error(`${flag} ${path}: its folder does not exist.`);
      }
    } catch (err) {
      return fail(2, (err as Error).message);
    }

    for (const arm of arms) {
      const unpriced = unpricedModels(arm, config);
      if (unpriced.length) process.stderr.write(`fugu eval: arm "${arm.name}": no price is known for ${unpriced.join(', ')}; its cost counts as $0 (set "prices" in the config).\n`);
    }

    // What decides each attempt's outcome, so results made otherwise are never mixed in.
    const prompts = promptsVersion();
    const taskHashes = new Map<string, string>();
    const wsFiles = new Map<string, string[]>();
    for (const t of tasks) {
      taskHashes.set(t.id, await taskHash(t));
      if (t.kind === 'coding') wsFiles.set(t.id, await workspaceFileList(t.workspace));
    }
    const byArm = new Map(arms.map((a) => [a.name, a]));
    const fingerprints = new Map<string, Fingerprint>();
    for (const t of tasks) for (const a of arms) fingerprints.set(`${t.id}\u0000${a.name}`, fingerprintOf(taskHashes.get(t.id)!, a, config, prompts));
    const fingerprintFor = (task: string, arm: string) => fingerprints.get(`${task}\u0000${arm}`);

    const tracesDir = out.replace(/\.jsonl$/, '') + '.traces';
    if (values.restart && (await stat(out).catch(() => null))) {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const aside = `${out}.${stamp}.old`;
      await rename(out, aside);
      if (await stat(tracesDir).catch(() => null)) await rename(tracesDir, `${tracesDir}.${stamp}.old`);
      process.stderr.write(`fugu eval: --restart: the earlier results are now ${aside}; starting a new file.\n`);
    }
    await removeLeftoverCopies();
    await mkdir(tracesDir, { recursive: true });
    await dropPartialLine(out);
    const previous = await readResults(out);
    if (previous.bad.length) {
      const b = previous.bad[0];
      return fail(2, `${out} line ${b.line} is not a results line (${b.error}); ${previous.bad.length} such line(s). Fix or remove them, or pass --restart to move the file aside.`);
    }
    // Lines of this run's tasks and arms made with another setup: refused, or kept when told.
    const inRun = previous.results.filter((r) => fingerprintFor(r.task, r.arm));
    for (const r of inRun) {
      const d = fingerprintDifference(r.fingerprint, fingerprintFor(r.task, r.arm));
      if (!d || values['keep-stale']) continue;
      const line = previous.lines[previous.results.indexOf(r)];
      return fail(
        2,
        `${out} holds results made with a different setup: line ${line} (${r.task} × ${r.arm}) has ${d.field} ${d.was}, this run has ${d.now}. ` +
          'Pass --restart to move that file aside and start again, or --keep-stale to keep those results as they are.',
      );
    }
    const done = new Set(inRun.filter(isScored).map(cellKey));
    const grid = buildGrid(tasks.map((t) => t.id), arms.map((a) => a.name), repeat, shard);
    const todo = grid.filter((c) => !done.has(cellKey(c)));
    if (done.size && todo.length < grid.length) process.stderr.write(`fugu eval: resuming: ${grid.length - todo.length} of ${grid.length} attempts are already in ${out}.\n`);

    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    const progress = progressLine(todo.length, values.quiet);
    const byTask = new Map(tasks.map((t) => [t.id, t]));
    const keys = envKeys(env);
    const bounds = new Map(arms.map((a) => [a.name, firstAttemptBound(a, config)]));
    const estimates = new CostEstimates((arm) => bounds.get(arm) ?? Infinity);
    // Attempts already in the file tell what this setup costs.
    for (const r of inRun) estimates.record(r.arm, r.costUsd);
    const ledger = new BudgetLedger(maxCost);
    const finished: EvalResult[] = [];
    const notRunNow: EvalResult[] = [];

    const runOne = async (cell: Cell, cap: number): Promise<{ costUsd: number }> => {
      const task = byTask.get(cell.task)!;
      const arm = byArm.get(cell.arm)!;
      try {
        const { result, trace, policyTask } = await runAttempt(task, arm, cell, {
          config,
          keys,
          tracesDir,
          // A task's check gets as long as a verified run's check (verify.timeoutMs) unless told otherwise.
          checkTimeoutMs: checkTimeoutMs ?? config.verify?.timeoutMs ?? VERIFY_DEFAULTS.timeoutMs,
          maxCostUsd: Number.isFinite(cap) ? cap : Number.MAX_VALUE,
          signal: abort.signal,
          fingerprint: fingerprintFor(cell.task, cell.arm),
          shard: shard ? `${shard.index}/${shard.count}` : undefined,
          workspaceFiles: wsFiles.get(cell.task),
        });
        // An attempt cut short by Ctrl-C is not a result: it runs again when the eval is resumed.
        if (abort.signal.aborted) return { costUsd: result.costUsd };
        await appendResult(out, result);
        if (isScored(result)) finished.push(result);
        else notRunNow.push(result);
        if (rollouts && arm.kind === 'policy' && isScored(result)) {
          const r = rolloutOf(trace, policyTask, task.kind === 'coding', result.pass, armConfig(arm, config), cell.task, cell.arm);
          if (r) await appendFile(rollouts, `${JSON.stringify(r)}\n`);
        }
        progress.done(result);
        return { costUsd: result.costUsd };
      } catch (err) {
        if (abort.signal.aborted) return { costUsd: 0 };
        throw err;
      }
    };

    const { notStarted } = await runScheduled({ cells: todo, concurrency, ledger, estimates, run: runOne, signal: abort.signal });
    process.removeListener('SIGINT', onSigint);
    progress.end();

    const all = (await readResults(out)).results.filter((r) => {
      const fp = fingerprintFor(r.task, r.arm);
      return fp && (values['keep-stale'] || !fingerprintDifference(r.fingerprint, fp));
    });
    // Per cell the scored line (a cell cut once and run again later has both).
    const scoredCells = new Set(all.filter(isScored).map(cellKey));
    const current = all.filter((r) => isScored(r) || !scoredCells.has(cellKey(r)));
    const summary = summarise(current, arms.map((a) => a.name));
    const meta = reportMeta({
      suite: suiteName,
      suiteHash: [...taskHashes.values()].join(''),
      createdAt: new Date().toISOString(),
      fuguVersion: fuguVersion(),
      gitCommit: gitCommit(),
      arms: arms.map((a) => {
        // The arm's setup; the task hash differs per task and is left out.
        const { task: _task, ...setup } = fingerprintFor(tasks[0].id, a.name)!;
        void _task;
        return { name: a.name, ...setup };
      }),
      prices: config.prices ?? {},
      promptsVersion: prompts,
      demo: demo !== null,
      budget: maxCost === null ? null : { capUsd: maxCost, spentUsd: ledger.committed },
    });
    const spentLine = maxCost === null ? `spent ${usd(ledger.committed)} in this run (no --max-cost-usd)` : `spent ${usd(ledger.committed)} of the --max-cost-usd cap ${usd(maxCost)}`;
    process.stdout.write(`${demo ? `${DEMO_LABEL}\n` : ''}${formatSummary(summary)}\n${spentLine}\n`);
    if (report) {
      await writeFile(report, renderReport(summary, meta, current, reportLink(report, tracesDir)));
      await writeFile(report.replace(/\.html?$/i, '') + '.json', `${JSON.stringify({ meta, summary }, null, 1)}\n`);
    }
    let dpo = 0;
    if (rollouts) dpo = await writeDpo(rollouts);
    process.stderr.write(
      `fugu eval: results in ${out}, traces in ${tracesDir}${report ? `, report in ${report}` : ''}${rollouts ? `, rollouts in ${rollouts}${dpo ? ` (${dpo} DPO pair(s) in ${dpoPath(rollouts)})` : ''}` : ''}.\n`,
    );
    if (abort.signal.aborted) return fail(130, `interrupted: ${todo.length - finished.length - notRunNow.length} attempt(s) not run; run the same command again to resume.`);
    const unrun = [...notRunNow.map((r) => ({ cell: r as Cell, why: r.notRunReason ?? 'cut' })), ...notStarted.map((c) => ({ cell: c, why: 'budget: not started' }))];
    if (unrun.length) {
      const why = notStarted.length ? `stopped before --max-cost-usd ${maxCost} would be exceeded (${spentLine})` : 'some attempts were cut';
      process.stderr.write(`fugu eval: ${why}; not run (a rerun of the same command runs them):\n`);
      for (const u of unrun) process.stderr.write(`  ${u.cell.task} × ${u.cell.arm} (repeat ${u.cell.repeat + 1}): ${u.why}\n`);
      return 1;
    }
    return 0;
  } finally {
    await demo?.close();
  }
}

const dpoPath = (rollouts: string) => rollouts.replace(/\.jsonl$/, '') + '.dpo.jsonl';

/** The DPO pairs of every rollout so far (this run's and earlier ones'), rewritten whole. */
async function writeDpo(rollouts: string): Promise<number> {
  const text = await readFile(rollouts, 'utf8').catch(() => '');
  const lines = text.split('\n').filter((l) => l.trim()).flatMap((l) => {
    try {
      return [JSON.parse(l)];
    } catch {
      return [];
    }
  });
  const pairs = dpoPairs(lines);
  if (pairs.length) await writeFile(dpoPath(rollouts), pairs.map((p) => `${JSON.stringify(p)}\n`).join(''));
  return pairs.length;
}

/** Links from the report to the traces, relative when they sit beside it. */
function reportLink(report: string, tracesDir: string): (traceId: string) => string {
  const rel = resolve(dirname(resolve(report))) === dirname(tracesDir) ? basename(tracesDir) : tracesDir;
  return (id) => `${rel}/${id}.json`;
}

function fuguVersion(): string {
  try {
    return (JSON.parse(readFileSync(resolve(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['-C', resolve(__dirname, '..'), 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim() || null;
  } catch {
    return null;
  }
}

/** `fugu eval --merge a.jsonl b.jsonl --out all.jsonl`: the shards' results as one file and one summary. */
async function mergeCommand(files: string[], out: string | undefined, report: string | undefined, partial: boolean): Promise<number> {
  if (files.length === 0) return fail(2, '--merge needs the results files to merge.');
  const lists: { file: string; results: EvalResult[] }[] = [];
  for (const f of files) {
    if (!(await stat(f).catch(() => null))?.isFile()) return fail(2, `--merge: ${f} is not a file.`);
    const read = await readResults(f);
    if (read.bad.length) return fail(2, `--merge: ${f} line ${read.bad[0].line} is not a results line (${read.bad[0].error}); nothing was merged.`);
    if (read.partialLast) return fail(2, `--merge: ${f} ends in a partial line (an eval still running, or one that crashed): run it to the end first.`);
    if (read.results.length === 0) return fail(2, `--merge: ${f} holds no results.`);
    lists.push({ file: f, results: read.results });
  }
  let merged: EvalResult[];
  try {
    merged = mergeResults(lists);
  } catch (err) {
    if (err instanceof MergeError) return fail(2, `--merge: ${err.message} Nothing was merged.`);
    throw err;
  }
  const shards = missingShards(merged);
  if (shards && shards.missing.length) {
    const msg = `no results from shard${shards.missing.length > 1 ? 's' : ''} ${shards.missing.map((i) => `${i}/${shards.count}`).join(', ')}`;
    if (!partial) return fail(2, `--merge: ${msg}; add their files, or pass --partial to merge what is here.`);
    process.stderr.write(`fugu eval: --merge --partial: ${msg}.\n`);
  }
  if (out) await writeResults(out, merged);
  const current = merged.filter((r) => isScored(r));
  const summary = summarise(current);
  process.stdout.write(`${formatSummary(summary)}\n`);
  if (report) {
    const meta = reportMeta({ suite: files.map((f) => basename(f)).join(' + '), createdAt: new Date().toISOString(), fuguVersion: fuguVersion(), gitCommit: gitCommit(), arms: armsOfResults(merged) });
    await writeFile(report, renderReport(summary, meta, current, (id) => id));
    await writeFile(report.replace(/\.html?$/i, '') + '.json', `${JSON.stringify({ meta, summary }, null, 1)}\n`);
  }
  return 0;
}

/** The arms' setups as their lines recorded them. */
function armsOfResults(results: EvalResult[]): ReportMeta['arms'] {
  const seen = new Map<string, ReportMeta['arms'][number]>();
  for (const r of results) {
    if (seen.has(r.arm) || !r.fingerprint) continue;
    const { task: _task, ...setup } = r.fingerprint;
    void _task;
    seen.set(r.arm, { name: r.arm, ...setup });
  }
  return [...seen.values()];
}

/** Copies a crashed eval left in the temp folder (older than a day: never a running eval's). */
async function removeLeftoverCopies(): Promise<void> {
  const dir = tmpdir();
  const names = await readdir(dir).catch(() => [] as string[]);
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const n of names) {
    if (!n.startsWith(EVAL_COPY_PREFIX)) continue;
    const st = await stat(join(dir, n)).catch(() => null);
    if (st && st.mtimeMs < dayAgo) await rm(join(dir, n), { recursive: true, force: true });
  }
}

/** A live line on a terminal; one plain line per attempt otherwise. */
function progressLine(total: number, quiet: boolean) {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let n = 0;
  let passes = 0;
  let spent = 0;
  return {
    done(r: EvalResult) {
      n++;
      if (r.pass) passes++;
      spent += r.costUsd;
      if (quiet) return;
      const elapsed = Date.now() - started;
      const eta = n < total ? Math.round(((elapsed / n) * (total - n)) / 1000) : 0;
      const line = `eval ${n}/${total} · pass ${pct(passes / n)} · ${usd(spent)} · ETA ${eta}s`;
      const verdict = isScored(r) ? (r.pass ? 'pass' : 'fail') : `not run (${r.notRunReason})`;
      if (tty) process.stderr.write(`\r\x1b[K${line}`);
      else process.stderr.write(`fugu eval: ${r.task} × ${r.arm} #${r.repeat + 1}: ${verdict}${r.errorKind && isScored(r) ? ` (${r.errorKind})` : ''} — ${line}\n`);
    },
    end() {
      if (tty && !quiet && n > 0) process.stderr.write('\n');
    },
  };
}

/** `--demo`: the scripted fake providers (bundled beside the CLI) and the sample suite. */
async function startDemo() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('./eval-demo.js') as { startEvalDemo(suiteDir: string): Promise<{ config: unknown; env: Record<string, string>; close(): Promise<void> }> };
  const suite = resolve(__dirname, '..', 'eval', 'sample');
  const d = await mod.startEvalDemo(suite);
  return { ...d, suite };
}
