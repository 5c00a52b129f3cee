// A realistic run as live events: two planners in parallel, a coder that sees both, then edits.
import type { TraceEvent, TraceStep } from '../../src/core/trace/types';

export function step(index: number, worker: string, provider: TraceStep['provider'], role: TraceStep['role'], access: number[]): TraceStep {
  return {
    index, worker, provider, model: `${worker}-model`, role, subtask: `subtask ${index}`, access,
    status: 'pending', output: '', usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0,
    startMs: null, endMs: null, retries: 0, error: null,
  };
}

export const RUN_ID = 'run-1';

export function runStart(): TraceEvent[] {
  return [
    { type: 'run-started', id: RUN_ID, task: 'Add a sum function', createdAt: '2025-01-01T00:00:00.000Z', policy: 'builtin', budget: { maxCalls: 10, maxTokens: 10_000, maxCostUsd: 1 }, context: ['src/a.ts'] },
    {
      type: 'round-started', round: 0, kind: 'initial',
      workflow: { model_id: [1, 2, 0], subtasks: ['plan', 'plan', 'code'], access_list: [[], [], ['all']] },
      policy: { backend: 'builtin', rawAnswers: [], rejections: [], fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 },
      steps: [step(0, 'gemini', 'google', 'planner', []), step(1, 'claude', 'anthropic', 'planner', []), step(2, 'gpt', 'openai', 'coder', [0, 1])],
    },
  ];
}

export function finished(round: number, index: number, output: string, endMs: number, extra: Partial<Extract<TraceEvent, { type: 'step-finished' }>> = {}): TraceEvent {
  return { type: 'step-finished', round, index, status: 'succeeded', output, usage: { inputTokens: 100, outputTokens: 50 }, costUsd: 0.01, endMs, retries: 0, error: null, ...extra };
}

/** The whole run: planners 0 and 1 overlap (10–400, 20–900 ms), the coder runs 900–1500 ms. */
export function wholeRun(): TraceEvent[] {
  return [
    ...runStart(),
    { type: 'step-started', round: 0, index: 0, startMs: 10 },
    { type: 'step-started', round: 0, index: 1, startMs: 20 },
    { type: 'step-delta', round: 0, index: 0, text: 'Plan A' },
    finished(0, 0, 'Plan A', 400),
    { type: 'step-retry', round: 0, index: 1, attempt: 1, delayMs: 500, reason: 'HTTP 429' },
    finished(0, 1, 'Plan B', 900, { retries: 1 }),
    { type: 'step-started', round: 0, index: 2, startMs: 900 },
    { type: 'step-delta', round: 0, index: 2, text: 'src/a.ts\n' },
    finished(0, 2, 'src/a.ts\n<<<<<<< SEARCH\n=======\nexport const sum = 1;\n>>>>>>> REPLACE', 1500),
    { type: 'edits', edits: [{ path: 'src/a.ts', status: 'proposed', reason: null, action: 'modify', blocks: 1, diff: '-a\n+b' }] },
    { type: 'run-finished', status: 'succeeded', error: null, errorKind: null, finalText: 'done', usage: { inputTokens: 300, outputTokens: 150 }, costUsd: 0.03, calls: 3, wallMs: 1600 },
  ];
}

/**
 * A conductor run still going: round 0 is two planners, the coder, a reviewer and the conductor's own
 * step (which sees every step and orders a correction); round 1, the corrective coder, is running.
 */
export function recursionRun(): TraceEvent[] {
  const policy = (answer: string, usage: { inputTokens: number; outputTokens: number }) =>
    ({ backend: 'conductor', rawAnswers: [answer], rejections: [], fallback: null, usage, costUsd: 0.001 });
  const conductor: TraceStep = { ...step(4, 'conductor', 'conductor', 'conductor', [0, 1, 2, 3]), model: 'conductor' };
  const correction = 'model_id = [2]\nsubtasks = ["fix it"]\naccess_list = [["all"]]';
  return [
    { type: 'run-started', id: RUN_ID, task: 'Fix the cart', createdAt: '2025-01-01T00:00:00.000Z', policy: 'conductor', budget: { maxCalls: 20, maxTokens: 10_000, maxCostUsd: 1 }, context: [] },
    {
      type: 'round-started', round: 0, kind: 'initial',
      workflow: { model_id: [0, 1, 2, 3, 4], subtasks: ['p', 'p', 'c', 'r', 'k'], access_list: [[], [], [0, 1], [2], ['all']] },
      policy: policy('model_id = [0, 1, 2, 3, 4] ...', { inputTokens: 100, outputTokens: 10 }),
      steps: [step(0, 'gemini', 'google', 'planner', []), step(1, 'claude', 'anthropic', 'planner', []), step(2, 'gpt', 'openai', 'coder', [0, 1]),
        step(3, 'review', 'anthropic', 'reviewer', [2]), conductor],
    },
    ...[0, 1, 2, 3].flatMap((i): TraceEvent[] => [{ type: 'step-started', round: 0, index: i, startMs: i * 100 }, finished(0, i, `out ${i}`, i * 100 + 90)]),
    { type: 'step-started', round: 0, index: 4, startMs: 400 },
    finished(0, 4, correction, 450, { usage: { inputTokens: 300, outputTokens: 20 }, costUsd: 0.002 }),
    {
      type: 'round-started', round: 1, kind: 'corrective',
      workflow: { model_id: [2], subtasks: ['fix it'], access_list: [['all']] },
      policy: policy(correction, { inputTokens: 300, outputTokens: 20 }),
      steps: [step(0, 'gpt', 'openai', 'coder', [])],
    },
    { type: 'step-started', round: 1, index: 0, startMs: 460 },
    finished(1, 0, 'fixed', 600),
  ];
}

/** [verify] The whole run, then a failing check of the coder's edits appended to round 0 (the baseline passed). */
export function checkRun(): TraceEvent[] {
  const run = wholeRun();
  const end = run.pop()!;
  const check = { ...step(3, 'check', 'check', 'check', []), model: 'npm test --silent', subtask: 'Run npm test --silent on the edited copy.' };
  return [
    ...run,
    { type: 'check-started', round: 0, step: { ...check, status: 'running', startMs: 1500 } },
    {
      type: 'check-finished', round: 0, index: 3, endMs: 1900, rounds: 0,
      check: {
        command: 'npm test --silent', outcome: 'failed', passed: false, exitCode: 1, durationMs: 400, reason: null,
        outputTail: '✖ sum adds (1ms)\n  AssertionError: -1 !== 5\nfail 1',
        baseline: { outcome: 'passed', exitCode: 0, durationMs: 380, outputTail: 'pass 1', reason: null },
      },
    },
    end,
  ];
}
