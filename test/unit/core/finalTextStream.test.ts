import assert from 'node:assert/strict';
import { FinalTextStream } from '../../../src/core/finalTextStream';
import type { TraceEvent, TraceStep } from '../../../src/core/trace/types';

const step = (index: number, provider: TraceStep['provider']): TraceStep => ({
  index, worker: provider, provider, model: provider, role: 'any', subtask: 's', access: [], status: 'pending', output: '',
  usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, startMs: null, endMs: null, retries: 0, error: null,
});
const round = (r: number, providers: TraceStep['provider'][]): TraceEvent => ({
  type: 'round-started', round: r, kind: r === 0 ? 'initial' : 'corrective', workflow: { model_id: [], subtasks: [], access_list: [] },
  policy: { backend: 'builtin', rawAnswers: [], rejections: [], fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 },
  steps: providers.map((p, i) => step(i, p)),
});
const delta = (r: number, index: number, text: string): TraceEvent => ({ type: 'step-delta', round: r, index, text });

describe('serve: which text streams live', () => {
  it('streams the last step of a round without a conductor, and nothing from the planners', () => {
    const out: string[] = [];
    const s = new FinalTextStream((t) => out.push(t));
    s.onEvent(round(0, ['google', 'anthropic', 'openai']));
    s.onEvent(delta(0, 0, 'plan A'));
    s.onEvent(delta(0, 2, 'code '));
    s.onEvent(delta(0, 1, 'plan B'));
    s.onEvent(delta(0, 2, 'here'));
    assert.deepEqual(out, ['code ', 'here']);
    assert.equal(s.finish('code here'), true);
    assert.deepEqual(out, ['code ', 'here'], 'nothing left to send');
  });

  it('holds back a round that ends with the conductor and sends the accepted text at the end', () => {
    const out: string[] = [];
    const s = new FinalTextStream((t) => out.push(t));
    s.onEvent(round(0, ['openai', 'anthropic', 'conductor']));
    s.onEvent(delta(0, 0, 'first code'));
    s.onEvent(delta(0, 1, 'VERDICT: FAIL'));
    s.onEvent(round(1, ['openai']));
    s.onEvent(delta(1, 0, 'fixed '));
    s.onEvent(delta(1, 0, 'code'));
    assert.equal(s.finish('fixed code'), true);
    assert.deepEqual(out, ['fixed ', 'code']);
  });

  it('sends the rest of the final text when the stream fell short, and reports a contradiction', () => {
    const out: string[] = [];
    const s = new FinalTextStream((t) => out.push(t));
    s.onEvent(round(0, ['openai']));
    s.onEvent(delta(0, 0, 'abc'));
    assert.equal(s.finish('abcdef'), true);
    assert.deepEqual(out, ['abc', 'def']);
    const t = new FinalTextStream(() => {});
    t.onEvent(round(0, ['openai']));
    t.onEvent(delta(0, 0, 'xyz'));
    assert.equal(t.finish('abc'), false);
  });
});
