import assert from 'node:assert/strict';
import type { TraceRound } from '../../../../src/core/trace/types';
import { roundInfo } from '../../../../media/webview/roundInfo';

function round(kind: TraceRound['kind'], policy: Partial<TraceRound['policy']>): TraceRound {
  return {
    index: kind === 'initial' ? 0 : 1, kind, workflow: { model_id: [], subtasks: [], access_list: [] }, steps: [], note: null,
    policy: { backend: 'conductor', rawAnswers: [], rejections: [], fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, ...policy },
  };
}

describe('round info', () => {
  it('shows a conductor that fell back: its raw answers, why each was rejected, and the fallback reason', () => {
    const info = roundInfo(round('initial', {
      rawAnswers: ['I think GPT should do it.', 'Still no lists.'],
      rejections: ['no model_id list found', 'no model_id list found'],
      fallback: { to: 'builtin', reason: 'no valid workflow after one retry' },
      usage: { inputTokens: 2600, outputTokens: 90 }, costUsd: 0.0011,
    }));
    assert.equal(info.title, 'Round 0 · initial');
    assert.equal(info.summary, 'policy conductor · 2 answers · 2.6k in / 90 out · $0.0011');
    assert.equal(info.fallback, 'Fell back to builtin: no valid workflow after one retry');
    assert.equal(info.rejectionsLabel, 'Rejected answers');
    assert.deepEqual(info.answers, ['I think GPT should do it.', 'Still no lists.']);
  });

  it('says how long the conductor took to write the workflow, and nothing for a builtin decision', () => {
    const conductor = roundInfo(round('initial', { rawAnswers: ['model_id = [0]'], startMs: 100, endMs: 3500 }));
    assert.equal(conductor.summary, 'policy conductor · 1 answer · 3.4 s');
    const builtin = roundInfo(round('initial', { backend: 'builtin', startMs: 0, endMs: 1 }));
    assert.equal(builtin.summary, 'policy builtin');
  });

  it('names a repair round and lists the failed blocks it sent back', () => {
    const info = roundInfo(round('repair', { backend: 'repair', rejections: ['src/cart.js: SEARCH not found'] }));
    assert.equal(info.title, 'Round 1 · repair of failed edits');
    assert.equal(info.summary, 'no policy call');
    assert.equal(info.rejectionsLabel, 'Sent back to the coder');
    assert.deepEqual(info.rejections, ['src/cart.js: SEARCH not found']);
    assert.equal(info.fallback, null);
  });

  it('says a corrective round was ordered by the conductor', () => {
    assert.equal(roundInfo(round('corrective', {})).title, 'Round 1 · corrective, ordered by the conductor');
  });
  it('shows the learned policy’s pick in one line and its three best candidates, the pick marked', () => {
    const c = (label: string, p: number, outcomes: number) => ({ label, p, lo: p - 0.05, hi: p + 0.05, costUsd: 0.031, ms: 9000, outcomes, score: p - 0.031 });
    const info = roundInfo(round('initial', {
      backend: 'learned',
      learned: {
        pick: 'planned(gemini,claude→gpt)', builtin: 'planned(gemini,claude→gpt)', explored: false, outcomes: 60, features: [1, 2],
        candidates: [c('planned(gemini,claude→gpt)', 0.82, 41), c('single(gpt)', 0.7, 12), c('single(claude)', 0.6, 5), c('planned(gemini→gpt)', 0.5, 2)],
      },
    }));
    assert.equal(info.learned?.headline, 'planned(gemini,claude→gpt) p=0.82±0.05 $0.031 (41 outcomes; builtin would pick the same)');
    assert.deepEqual(info.learned?.top, [
      { text: 'planned(gemini,claude→gpt) p=0.82±0.05 $0.031 · 41 outcomes', picked: true },
      { text: 'single(gpt) p=0.70±0.05 $0.031 · 12 outcomes', picked: false },
      { text: 'single(claude) p=0.60±0.05 $0.031 · 5 outcomes', picked: false },
    ]);
    assert.equal(roundInfo(round('initial', { backend: 'builtin' })).learned, null);
  });
});
