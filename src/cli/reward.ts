// `fugu reward --config FILE --suite SUITE`: one rollouts line on stdin (a task id and a conductor
// completion), that workflow run on the pool with the task's check, and the paper's reward on stdout
// (1 passed, 0.5 parsed but failed, 0 unparsable), so an online trainer can score sampled workflows.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { VERIFY_DEFAULTS } from '../core/check/types';
import type { FuguConfig } from '../core/config';
import { workspaceFileList } from '../core/eval/fingerprint';
import { rolloutReward } from '../core/eval/rollouts';
import { runAttempt } from '../core/eval/runAttempt';
import { sampledPolicy } from '../core/eval/sampledPolicy';
import { loadSuite } from '../core/eval/suite';
import { parseConfig } from '../core/loadConfig';
import { parseWorkflow } from '../core/workflow/parseWorkflow';
import { validateWorkflow } from '../core/workflow/validateWorkflow';
import { envKeys, missingKeys } from './envKeys';
import { readConfigJson } from './readConfigJson';

function fail(code: number, message: string): number {
  process.stderr.write(`fugu reward: ${message}\n`);
  return code;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The completion's text: TRL's conversational layout (a list of one assistant message) or a plain string. */
function completionText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    const last = v[v.length - 1] as { content?: unknown } | undefined;
    return typeof last?.content === 'string' ? last.content : null;
  }
  return null;
}

export async function rewardCommand(argv: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        suite: { type: 'string', short: 's' },
        traces: { type: 'string' },
        'check-timeout-ms': { type: 'string' },
      },
    }).values;
  } catch (err) {
    return fail(2, (err as Error).message);
  }
  if (!values.config) return fail(2, 'missing --config <file.json>.');
  if (!values.suite) return fail(2, 'missing --suite <suite.jsonl or folder>.');
  let config: FuguConfig;
  let line: { task?: unknown; completion?: unknown };
  let tasks;
  try {
    config = parseConfig(await readConfigJson(values.config));
    tasks = (await loadSuite(values.suite)).tasks;
    const missing = missingKeys(config, process.env);
    if (missing.length) throw new Error(missing[0]);
    const text = (await readStdin()).trim().split('\n')[0] ?? '';
    if (!text) throw new Error('no rollouts line on stdin: expected {"task": "<id>", "completion": [{"role": "assistant", "content": "..."}]}.');
    line = JSON.parse(text) as typeof line;
    if (!line || typeof line !== 'object') throw new Error('the line on stdin is not a JSON object.');
  } catch (err) {
    return fail(2, err instanceof SyntaxError ? `the line on stdin is not JSON (${err.message}).` : (err as Error).message);
  }
  const task = tasks.find((t) => t.id === line.task);
  if (!task) return fail(2, `the suite has no task ${JSON.stringify(line.task)}.`);
  const completion = completionText(line.completion);
  if (completion === null) return fail(2, '"completion" must be a string or a list of messages ending in one with text "content".');

  // An answer that is not a valid workflow scores 0 without a call.
  const parsed = parseWorkflow(completion);
  const valid = parsed.ok ? validateWorkflow(parsed.workflow, { poolSize: config.workers.length, maxSteps: config.maxSteps, allowConductorStep: config.maxRecursion > 0 }) : null;
  if (!parsed.ok || !valid?.ok) {
    process.stderr.write(`fugu reward: ${task.id}: not a valid workflow (${parsed.ok ? (valid as { error: string }).error : parsed.error}).\n`);
    process.stdout.write('0\n');
    return 0;
  }
  const tracesDir = values.traces ? resolve(values.traces) : await mkdtemp(join(tmpdir(), 'fugu-reward-'));
  try {
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    const { result } = await runAttempt(task, { name: 'sampled', kind: 'policy', backend: config.policy.backend }, { task: task.id, arm: 'sampled', repeat: 0 }, {
      config,
      keys: envKeys(process.env),
      tracesDir,
      checkTimeoutMs: values['check-timeout-ms'] ? Number(values['check-timeout-ms']) : (config.verify?.timeoutMs ?? VERIFY_DEFAULTS.timeoutMs),
      maxCostUsd: config.budget.maxCostUsd,
      signal: abort.signal,
      workspaceFiles: task.kind === 'coding' ? await workspaceFileList(task.workspace) : undefined,
      policy: sampledPolicy(parsed.workflow),
    });
    process.removeListener('SIGINT', onSigint);
    if (result.status === 'not-run') return fail(1, `${task.id}: the run was cut (${result.notRunReason}); no reward.`);
    const reward = rolloutReward(completion, result.pass, config);
    const check = result.check ? `, check ${result.check.outcome}${result.check.exitCode !== null ? ` (exit ${result.check.exitCode})` : ''}` : '';
    process.stderr.write(`fugu reward: ${task.id}: ${result.pass ? 'passed' : 'failed'}${result.errorKind ? ` (${result.errorKind})` : ''}${check}; ${result.calls} call(s), $${result.costUsd.toFixed(5)}.\n`);
    process.stdout.write(`${reward}\n`);
    return 0;
  } finally {
    if (!values.traces) await rm(tracesDir, { recursive: true, force: true });
  }
}
