// `fugu eval`: a suite of tasks run by several arms (policies, and each worker alone), scored by
// their checks or expected answers, with a summary, an optional HTML report and rollouts.
import { mkdir, readdir, rm, stat, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { FuguConfig } from '../core/config';
import { VERIFY_DEFAULTS } from '../core/check/types';
import { armConfig, parseArms, unpricedModels, type Arm } from '../core/eval/arms';
import { buildGrid, cellKey, parseShard, type Cell } from '../core/eval/grid';
import { renderReport } from '../core/eval/report';
import { appendResult, dropPartialLine, mergeResults, readResults, writeResults, type EvalResult } from '../core/eval/results';
import { rolloutOf } from '../core/eval/rollouts';
import { EVAL_COPY_PREFIX, runAttempt } from '../core/eval/runAttempt';
import { loadSuite, type EvalTask } from '../core/eval/suite';
import { formatSummary, pct, summarise, usd } from '../core/eval/summary';
import { parseConfig } from '../core/loadConfig';
import { envKeys, missingKeys } from './envKeys';
import { readConfigJson } from './readConfigJson';

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
        demo: { type: 'boolean', default: false },
        quiet: { type: 'boolean', short: 'q', default: false },
      },
    });
  } catch (err) {
    return fail(2, (err as Error).message);
  }
  const { values, positionals } = args;
  if (values.merge) return mergeCommand(positionals, values.out, values.report);
  if (positionals.length) return fail(2, `unexpected argument '${positionals[0]}' (only --merge takes files).`);

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
      arms = parseArms(values.arms, config);
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
    await removeLeftoverCopies();
    const tracesDir = out.replace(/\.jsonl$/, '') + '.traces';
    await mkdir(tracesDir, { recursive: true });
    await dropPartialLine(out);
    const previous = await readResults(out);
    const done = new Set(previous.results.map(cellKey));
    const grid = buildGrid(tasks.map((t) => t.id), arms.map((a) => a.name), repeat, shard);
    const todo = grid.filter((c) => !done.has(cellKey(c)));
    if (done.size && todo.length < grid.length) process.stderr.write(`fugu eval: resuming: ${grid.length - todo.length} of ${grid.length} attempts are already in ${out}.\n`);

    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    const progress = progressLine(todo.length, values.quiet);
    const byTask = new Map(tasks.map((t) => [t.id, t]));
    const byArm = new Map(arms.map((a) => [a.name, a]));
    const keys = envKeys(env);
    const costs = new Map<string, number[]>();
    for (const r of previous.results) costs.set(r.arm, [...(costs.get(r.arm) ?? []), r.costUsd]);

    let spent = 0;
    let reserved = 0;
    let inFlight = 0;
    let next = 0;
    let budgetStop = false;
    const notRun: Cell[] = [];
    const finished: EvalResult[] = [];

    /** The share of the remaining budget one more attempt may use, or null when it must not start. */
    const capFor = (arm: string): number | null => {
      if (maxCost === null) return Infinity;
      const available = maxCost - spent - reserved;
      // The costliest attempt of this arm so far is the estimate: an attempt that may not fit is not started.
      const estimate = Math.max(0, ...(costs.get(arm) ?? []));
      const cap = available / Math.max(1, concurrency - inFlight);
      return cap > 0 && cap >= estimate ? cap : null;
    };

    const runOne = async (cell: Cell, cap: number): Promise<void> => {
      const task = byTask.get(cell.task)!;
      const arm = byArm.get(cell.arm)!;
      try {
        const { result, trace, policyTask } = await runAttempt(task, arm, cell, {
          config,
          keys,
          tracesDir,
          // A task's check gets as long as a verified run's check (verify.timeoutMs) unless told otherwise.
          checkTimeoutMs: checkTimeoutMs ?? config.verify?.timeoutMs ?? VERIFY_DEFAULTS.timeoutMs,
          maxCostUsd: cap,
          signal: abort.signal,
        });
        spent += result.costUsd;
        costs.set(cell.arm, [...(costs.get(cell.arm) ?? []), result.costUsd]);
        // An attempt cut short by Ctrl-C is not a result: it runs again when the eval is resumed.
        if (abort.signal.aborted) return;
        await appendResult(out, result);
        finished.push(result);
        if (rollouts && arm.kind === 'policy') {
          const r = rolloutOf(trace, policyTask, task.kind === 'coding', result.pass, armConfig(arm, config), cell.task, cell.arm);
          if (r) await appendFile(rollouts, `${JSON.stringify(r)}\n`);
        }
        progress.done(result);
      } catch (err) {
        if (abort.signal.aborted) return;
        throw err;
      }
    };

    await new Promise<void>((resolveAll, rejectAll) => {
      const pump = () => {
        while (!abort.signal.aborted && !budgetStop && inFlight < concurrency && next < todo.length) {
          const cell = todo[next];
          const cap = capFor(cell.arm);
          if (cap === null) {
            // Wait for running attempts to settle before deciding the budget is spent.
            if (inFlight > 0) break;
            budgetStop = true;
            break;
          }
          next++;
          inFlight++;
          const share = Number.isFinite(cap) ? cap : Number.MAX_VALUE;
          reserved += Number.isFinite(cap) ? cap : 0;
          runOne(cell, share).then(
            () => {
              inFlight--;
              reserved -= Number.isFinite(cap) ? cap : 0;
              pump();
            },
            rejectAll,
          );
        }
        if (inFlight === 0 && (next >= todo.length || budgetStop || abort.signal.aborted)) resolveAll();
      };
      pump();
    });
    process.removeListener('SIGINT', onSigint);
    progress.end();
    if (budgetStop) notRun.push(...todo.slice(next));

    const all = (await readResults(out)).results;
    const summary = summarise(all, arms.map((a) => a.name));
    process.stdout.write(`${formatSummary(summary)}\n`);
    if (report) await writeFile(report, renderReport(summary, { suite: suiteName, createdAt: new Date().toISOString() }));
    process.stderr.write(`fugu eval: results in ${out}, traces in ${tracesDir}${report ? `, report in ${report}` : ''}${rollouts ? `, rollouts in ${rollouts}` : ''}.\n`);
    if (abort.signal.aborted) return fail(130, `interrupted: ${todo.length - finished.length} attempt(s) not run; run the same command again to resume.`);
    if (budgetStop) {
      process.stderr.write(`fugu eval: stopped before --max-cost-usd ${maxCost} would be exceeded (spent ${usd(spent)}); not run:\n`);
      for (const c of notRun) process.stderr.write(`  ${c.task} × ${c.arm} (repeat ${c.repeat + 1})\n`);
      return 1;
    }
    return 0;
  } finally {
    await demo?.close();
  }
}

/** `fugu eval --merge a.jsonl b.jsonl --out all.jsonl`: the shards' results as one file and one summary. */
async function mergeCommand(files: string[], out: string | undefined, report: string | undefined): Promise<number> {
  if (files.length === 0) return fail(2, '--merge needs the results files to merge.');
  const lists: EvalResult[][] = [];
  for (const f of files) {
    if (!(await stat(f).catch(() => null))?.isFile()) return fail(2, `--merge: ${f} is not a file.`);
    lists.push((await readResults(f)).results);
  }
  const merged = mergeResults(lists);
  if (out) await writeResults(out, merged);
  const summary = summarise(merged);
  process.stdout.write(`${formatSummary(summary)}\n`);
  if (report) await writeFile(report, renderReport(summary, { suite: files.map((f) => basename(f)).join(' + '), createdAt: new Date().toISOString() }));
  return 0;
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
      if (tty) process.stderr.write(`\r\x1b[K${line}`);
      else process.stderr.write(`fugu eval: ${r.task} × ${r.arm} #${r.repeat + 1}: ${r.pass ? 'pass' : 'fail'}${r.errorKind ? ` (${r.errorKind})` : ''} — ${line}\n`);
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
