// `fugu learn`: teach the learned policy from `fugu eval` results, or explain what it would pick.
//   fugu learn --config c.json --from results.jsonl --suite suite/
//   fugu learn --config c.json --explain "task" [--workspace dir]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LEARNED_DEFAULTS } from '../core/config';
import { workspaceContext } from '../core/context/workspaceContext';
import { loadSuite } from '../core/eval/suite';
import { describeCandidate, describeChoice } from '../core/policies/learned/describeChoice';
import { crossValidate, groupByTask } from '../core/policies/learned/crossValidate';
import { outcomesFromResults, readResultLines } from '../core/policies/learned/fromResults';
import { learnedChoice } from '../core/policies/learned/learnedPolicy';
import { cliOutcomeStore } from './outcomeStore';
import { loadConfigFile } from './solve';

export async function learnCommand(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        config: { type: 'string', short: 'c' },
        from: { type: 'string' },
        suite: { type: 'string', short: 's' },
        explain: { type: 'string' },
        workspace: { type: 'string', short: 'w' },
        coding: { type: 'boolean', default: false },
        cv: { type: 'string' },
      },
    });
  } catch (err) {
    return fail(2, (err as Error).message);
  }
  const v = args.values;
  if (!v.config) return fail(2, 'missing --config <file.json>.');
  if (!v.from === !v.explain) return fail(2, 'give either --from <results.jsonl> --suite <suite> or --explain "<task>".');
  let config;
  try {
    config = await loadConfigFile(v.config);
  } catch (err) {
    return fail(2, (err as Error).message);
  }
  const store = cliOutcomeStore(process.env, 'fugu learn');

  if (v.from) {
    if (!v.suite) return fail(2, '--from needs --suite <suite.jsonl|dir>: results name tasks by id, and the features come from their prompts.');
    let read;
    let suite;
    try {
      read = await readResultLines(v.from);
      suite = await loadSuite(v.suite);
    } catch (err) {
      return fail(2, (err as Error).message);
    }
    const contextOf = async (task: (typeof suite.tasks)[number]) => {
      if (task.kind !== 'coding') return { paths: [], chars: 0 };
      const { context } = await workspaceContext(task.prompt, task.workspace, config).catch(() => ({ context: [] }));
      return { paths: context.map((f) => f.path), chars: context.reduce((n, f) => n + f.text.length, 0) };
    };
    const { outcomes, taskIds, unknownTasks, otherArms } = await outcomesFromResults(read.lines, suite.tasks, config, contextOf);
    if (v.cv !== undefined) {
      const k = Number(v.cv);
      if (!Number.isInteger(k) || k < 2) return fail(2, `--cv is "${v.cv}"; expected a whole number of folds from 2.`);
      // Nothing is imported: the learned policy is scored on these results, fitted on other tasks only.
      const rows = crossValidate(groupByTask(outcomes, taskIds), k, config);
      process.stdout.write(`${k}-fold cross-validation by task (fit on the other folds, greedy pick on the held-out one):\n`);
      for (const r of rows) process.stdout.write(`  ${r.name.padEnd(44)} pass ${(100 * r.passRate).toFixed(1).padStart(5)}%  over ${String(r.tasks).padStart(4)} tasks  $${r.costUsd.toFixed(3)}\n`);
      return 0;
    }
    await store.import(outcomes);
    process.stderr.write(`fugu learn: ${outcomes.length} outcome${outcomes.length === 1 ? '' : 's'} added to ${store.path}\n`);
    if (read.skipped) process.stderr.write(`fugu learn: ${read.skipped} line${read.skipped === 1 ? '' : 's'} skipped (not run, an error, or not a result)\n`);
    if (otherArms.length) process.stderr.write(`fugu learn: arms that are not a fixed workflow were skipped: ${otherArms.join(', ')}\n`);
    if (unknownTasks.length) process.stderr.write(`fugu learn: tasks not in the suite were skipped: ${unknownTasks.slice(0, 5).join(', ')}${unknownTasks.length > 5 ? ', …' : ''}\n`);
    return 0;
  }

  const task = v.explain!;
  const context = v.workspace ? (await workspaceContext(task, resolve(v.workspace), config).catch(() => ({ context: [] }))).context : [];
  const model = await store.model(config);
  // The pick at the posterior mean: what the policy believes now, without the draw that explores.
  const greedy = { ...config, policy: { ...config.policy, learned: { ...LEARNED_DEFAULTS, ...config.policy.learned, explore: 0 } } };
  const { record } = learnedChoice(
    {
      task,
      coding: v.coding,
      config: greedy,
      conductorMayReview: config.maxRecursion > 0,
      signals: { contextPaths: context.map((f) => f.path), contextChars: context.reduce((n, f) => n + f.text.length, 0), check: false },
    },
    model,
  );
  process.stdout.write(`${describeChoice(record)}\n`);
  for (const c of record.candidates) process.stdout.write(`  ${c.label === record.pick ? '→' : ' '} ${describeCandidate(c)}\n`);
  return 0;
}

function fail(code: number, message: string): number {
  process.stderr.write(`fugu learn: ${message}\n`);
  return code;
}
