import assert from 'node:assert/strict';
import { applyEvent, emptyTrace } from '../../../../src/core/trace/reduce';
import type { TraceEvent } from '../../../../src/core/trace/types';
import { traceEventSchema } from '../../../../src/protocol/traceSchemas';

const usage = { inputTokens: 0, outputTokens: 0 };
const start: TraceEvent[] = [
  {
    type: 'round-started', round: 0, kind: 'initial', workflow: { model_id: [0], subtasks: ['answer'], access_list: [[]] },
    policy: { backend: 'test', rawAnswers: [], rejections: [], fallback: null, usage, costUsd: 0 },
    steps: [{ index: 0, worker: 'gpt', provider: 'openai', model: 'gpt-5', role: 'coder', subtask: 'answer', access: [], status: 'pending', output: '', usage, costUsd: 0, startMs: null, endMs: null, retries: 0, error: null }],
  },
  { type: 'step-started', round: 0, index: 0, startMs: 1 },
];
const piece = (call: number, args: string, named?: { id: string; name: string }): TraceEvent => ({ type: 'step-tool-call-delta', round: 0, index: 0, call, ...named, arguments: args });
const finished = (status: 'succeeded' | 'failed', toolCalls?: { id: string; name: string; arguments: string }[]): TraceEvent => ({
  type: 'step-finished', round: 0, index: 0, status, output: '', usage, costUsd: 0, endMs: 2, retries: 0, error: status === 'failed' ? 'cut' : null, ...(toolCalls ? { toolCalls } : {}),
});
const replay = (events: TraceEvent[]) => events.reduce((d, e) => applyEvent(d, e), emptyTrace());

describe('trace: a client tool call being written', () => {
  it('pieces join into the step’s calls as they arrive, in order, and step-finished sets the final ones', () => {
    const events = [...start, piece(0, '', { id: 'c1', name: 'get_weather' }), piece(0, '{"city":'), piece(1, '{}', { id: 'c2', name: 'get_time' })];
    assert.deepEqual(replay(events).rounds[0].steps[0].toolCalls, [
      { id: 'c1', name: 'get_weather', arguments: '{"city":' },
      { id: 'c2', name: 'get_time', arguments: '{}' },
    ]);
    const final = [{ id: 'c1', name: 'get_weather', arguments: '{"city":"Kyoto"}' }, { id: 'c2', name: 'get_time', arguments: '{}' }];
    assert.deepEqual(replay([...events, finished('succeeded', final)]).rounds[0].steps[0].toolCalls, final);
  });

  it('a step that finishes without calls clears the pieces it had streamed', () => {
    const doc = replay([...start, piece(0, '{"ci', { id: 'c1', name: 'get_weather' }), finished('failed')]);
    assert.equal(doc.rounds[0].steps[0].toolCalls, undefined);
  });

  it('a piece of a call after a gap joins nothing', () => {
    const doc = replay([...start, piece(1, '{}', { id: 'c2', name: 'get_time' })]);
    assert.deepEqual(doc.rounds[0].steps[0].toolCalls ?? [], []);
  });

  it('the event passes the protocol schema, with and without the call’s id and name', () => {
    assert.ok(traceEventSchema.safeParse(piece(0, '{', { id: 'c1', name: 'f' })).success);
    assert.ok(traceEventSchema.safeParse(piece(0, '}')).success);
    assert.equal(traceEventSchema.safeParse({ ...piece(0, '}'), call: -1 }).success, false);
  });
});
