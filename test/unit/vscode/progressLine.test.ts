import assert from 'node:assert/strict';
import { applyEvent, emptyTrace } from '../../../src/core/trace/reduce';
import type { TraceStep } from '../../../src/core/trace/types';
import { outcomeLine, progressLine } from '../../../src/vscode/progressLine';

function step(index: number, worker: string): TraceStep {
  return {
    index, worker, provider: 'openai', model: 'm', role: 'planner', subtask: 's', access: [], status: 'pending', output: '',
    usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, startMs: null, endMs: null, retries: 0, error: null,
  };
}

describe('progressLine', () => {
  it('says planning before the first round', () => {
    const doc = emptyTrace();
    assert.equal(progressLine(doc), 'planning · 0 tok · $0');
  });

  it('names the running workers, counts started steps, and sums finished usage and cost', () => {
    const doc = emptyTrace();
    const policy = { backend: 'builtin', rawAnswers: [], rejections: [], fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 };
    applyEvent(doc, { type: 'round-started', round: 0, kind: 'initial', workflow: { model_id: [0, 1, 2], subtasks: ['a', 'b', 'c'], access_list: [[], [], ['all']] }, policy, steps: [step(0, 'gemini'), step(1, 'claude'), step(2, 'gpt')] });
    applyEvent(doc, { type: 'step-started', round: 0, index: 0, startMs: 1 });
    applyEvent(doc, { type: 'step-started', round: 0, index: 1, startMs: 1 });
    assert.equal(progressLine(doc), 'steps 1–2/3 · gemini, claude · 0 tok · $0');
    applyEvent(doc, { type: 'step-delta', round: 0, index: 0, text: 'x'.repeat(400) });
    assert.equal(progressLine(doc), 'steps 1–2/3 · gemini, claude · ~100 tok · $0', 'streamed text counts as an estimate');
    applyEvent(doc, { type: 'step-retry', round: 0, index: 1, attempt: 1, delayMs: 1000, reason: 'HTTP 429' });
    assert.equal(progressLine(doc), 'steps 1–2/3 · gemini, claude (retry 1) · ~100 tok · $0');
    applyEvent(doc, { type: 'step-finished', round: 0, index: 0, status: 'succeeded', output: 'p', usage: { inputTokens: 1000, outputTokens: 500 }, costUsd: 0.0042, endMs: 5, retries: 0, error: null });
    applyEvent(doc, { type: 'step-finished', round: 0, index: 1, status: 'succeeded', output: 'p', usage: { inputTokens: 100, outputTokens: 0 }, costUsd: 0.001, endMs: 5, retries: 0, error: null });
    applyEvent(doc, { type: 'step-started', round: 0, index: 2, startMs: 6 });
    assert.equal(progressLine(doc), 'step 3/3 · gpt · 1.6k tok · $0.0052');
  });

  it('writes tokens and cost in the shared format in the progress notification and the status bar', () => {
    const doc = emptyTrace();
    const policy = { backend: 'builtin', rawAnswers: [], rejections: [], fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 };
    applyEvent(doc, { type: 'round-started', round: 0, kind: 'initial', workflow: { model_id: [0, 1], subtasks: ['a', 'b'], access_list: [[], ['all']] }, policy, steps: [step(0, 'claude'), step(1, 'gpt')] });
    applyEvent(doc, { type: 'step-started', round: 0, index: 0, startMs: 1 });
    applyEvent(doc, { type: 'step-finished', round: 0, index: 0, status: 'succeeded', output: 'p', usage: { inputTokens: 11_000, outputTokens: 1345 }, costUsd: 0.0542, endMs: 5, retries: 0, error: null });
    applyEvent(doc, { type: 'step-started', round: 0, index: 1, startMs: 6 });
    // The line the progress notification and the spinning status bar item show.
    assert.equal(progressLine(doc), 'step 2/2 · gpt · 12.3k tok · $0.054');
    applyEvent(doc, { type: 'run-finished', status: 'budget_exceeded', error: 'over', errorKind: 'budget', finalText: '', usage: { inputTokens: 11_000, outputTokens: 1345 }, costUsd: 0.0542, calls: 1, wallMs: 9 });
    // The status bar item once the run ended.
    assert.equal(outcomeLine(doc), 'budget exceeded · 12.3k tok · $0.054');
  });
});
