import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { progressPrinter } from '../../../src/cli/progress';
import type { TraceStep } from '../../../src/core/trace/types';

function step(index: number, worker: string): TraceStep {
  return {
    index, worker, provider: 'openai', model: `${worker}-model`, role: 'coder', subtask: 's', access: [], status: 'pending', output: '',
    usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, startMs: null, endMs: null, retries: 0, error: null,
  };
}

describe("the CLI's progress lines", () => {
  it('write tokens, dollars and durations in the shared format', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += d));
    const print = progressPrinter(out);
    const policy = { backend: 'builtin', rawAnswers: [], rejections: [], fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 };
    print({ type: 'run-started', id: 'r', task: 't', createdAt: '2026-12-01T00:00:00Z', policy: 'builtin', budget: { maxCalls: 5, maxTokens: 0, maxCostUsd: 0 }, context: [] });
    print({ type: 'round-started', round: 0, kind: 'initial', workflow: { model_id: [0], subtasks: ['s'], access_list: [[]] }, policy, steps: [step(0, 'gpt')] });
    print({ type: 'step-started', round: 0, index: 0, startMs: 100 });
    print({ type: 'step-delta', round: 0, index: 0, text: 'x'.repeat(8000) });
    print({ type: 'step-finished', round: 0, index: 0, status: 'succeeded', output: 'done', usage: { inputTokens: 11_000, outputTokens: 1345 }, costUsd: 0.0542, endMs: 2300, retries: 0, error: null });
    print({ type: 'run-finished', status: 'succeeded', error: null, errorKind: null, finalText: 'done', usage: { inputTokens: 11_000, outputTokens: 1345 }, costUsd: 0.0542, calls: 1, wallMs: 2400 });
    const lines = text.trim().split('\n');
    assert.ok(lines.includes('fugu: step 1/1 gpt … ~2k tokens so far'), text);
    assert.ok(lines.includes('fugu: step 1/1 gpt succeeded in 2.2 s: 11k in / 1.3k out, $0.054'), text);
    assert.equal(lines.at(-1), 'fugu: run succeeded in 2.4 s: 1 call(s), 12.3k tokens, $0.054');
  });

  it('print one line per workspace tool call once its result is in, refusals with their reason', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += d));
    const print = progressPrinter(out);
    const policy = { backend: 'builtin', rawAnswers: [], rejections: [], fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 };
    print({ type: 'round-started', round: 0, kind: 'initial', workflow: { model_id: [0], subtasks: ['s'], access_list: [[]] }, policy, steps: [{ ...step(0, 'gemini'), role: 'planner' }] });
    print({ type: 'step-started', round: 0, index: 0, startMs: 0 });
    print({ type: 'step-tool-call', round: 0, index: 0, id: 'a', name: 'read_file', arguments: '{"path":"src/price.ts"}' });
    print({ type: 'step-tool-call', round: 0, index: 0, id: 'b', name: 'read_file', arguments: '{"path":"../x"}' });
    const before = text;
    print({ type: 'step-tool-result', round: 0, index: 0, id: 'a', ok: true, result: 'src/price.ts, lines 1-3 of 3:\na\nb\nc', truncated: false });
    print({ type: 'step-tool-result', round: 0, index: 0, id: 'b', ok: false, result: 'read_file refused: "../x" leaves the workspace.', truncated: false });
    assert.equal(before.split('\n').filter((l) => l.includes('read_file')).length, 0, 'nothing is printed before a result');
    const lines = text.trim().split('\n').slice(-2);
    assert.deepEqual(lines, [
      'fugu: step 1/1 gemini read_file({"path":"src/price.ts"}): 4 line(s)',
      'fugu: step 1/1 gemini read_file({"path":"../x"}): read_file refused: "../x" leaves the workspace.',
    ]);
  });
});
