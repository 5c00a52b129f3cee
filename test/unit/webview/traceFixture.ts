// A realistic run as live events: two planners in parallel, a coder that sees both, then edits.
import type { TraceEvent, TraceStep } from '../../../src/core/trace/types';

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
    { type: 'run-finished', status: 'succeeded', error: null, finalText: 'done', usage: { inputTokens: 300, outputTokens: 150 }, costUsd: 0.03, calls: 3, wallMs: 1600 },
  ];
}
