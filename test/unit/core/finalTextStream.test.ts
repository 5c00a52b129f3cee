import assert from 'node:assert/strict';
import { FinalTextStream } from '../../../src/core/finalTextStream';
import { emptyTrace } from '../../../src/core/trace/reduce';
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

const piece = (r: number, index: number, call: number, args: string, named?: { id: string; name: string }): TraceEvent => ({
  type: 'step-tool-call-delta', round: r, index, call, ...named, arguments: args,
});

/** A writer that records what the client would see, in order. */
function recorder() {
  const out: string[] = [];
  return {
    out,
    writer: {
      text: (t: string) => out.push(`text ${t}`),
      callStart: (i: number, id: string, name: string) => out.push(`start ${i} ${id} ${name}`),
      callDelta: (i: number, d: string) => out.push(`args ${i} ${d}`),
    },
  };
}

const KYOTO = { id: 'c1', name: 'get_weather', arguments: '{"city":"Kyoto"}' };
const TOKYO = { id: 'c2', name: 'get_time', arguments: '{"zone":"Asia/Tokyo"}' };

describe('serve: which tool calls stream live', () => {
  it('streams the live step’s calls while they are written; finish sends only what is missing', () => {
    const { out, writer } = recorder();
    const s = new FinalTextStream(writer);
    s.onEvent(round(0, ['google', 'openai']));
    s.onEvent(piece(0, 0, 0, '{"plan', { id: 'p', name: 'planner_tool' }));
    s.onEvent(delta(0, 1, 'Let me look. '));
    s.onEvent(piece(0, 1, 0, '', { id: 'c1', name: 'get_weather' }));
    s.onEvent(piece(0, 1, 0, '{"city":'));
    s.onEvent(piece(0, 1, 0, '"Kyoto"}'));
    s.onEvent(piece(0, 1, 1, '{"zone"', { id: 'c2', name: 'get_time' }));
    assert.deepEqual(out, ['text Let me look. ', 'start 0 c1 get_weather', 'args 0 {"city":', 'args 0 "Kyoto"}', 'start 1 c2 get_time', 'args 1 {"zone"']);
    assert.equal(s.finish('Let me look. ', [KYOTO, TOKYO]), true);
    assert.deepEqual(out.slice(6), ['args 1 :"Asia/Tokyo"}']);
  });

  it('a continued run streams the resumed step (no round-started), its text and its next calls', () => {
    const { out, writer } = recorder();
    const s = new FinalTextStream(writer);
    const started = round(0, ['google', 'openai']) as Extract<TraceEvent, { type: 'round-started' }>;
    const earlier = emptyTrace();
    earlier.rounds = [{ index: 0, kind: 'initial', workflow: started.workflow, policy: started.policy, steps: started.steps, note: null }];
    s.onEvent({ type: 'run-continued', trace: earlier, round: 0, index: 1, results: [{ id: 'c0', content: 'ok', truncated: false }] });
    s.onEvent(delta(0, 0, 'a planner never streams'));
    s.onEvent(delta(0, 1, 'Next: '));
    s.onEvent(piece(0, 1, 0, '{"city":"Kyoto"}', { id: 'c1', name: 'get_weather' }));
    assert.deepEqual(out, ['text Next: ', 'start 0 c1 get_weather', 'args 0 {"city":"Kyoto"}']);
    assert.equal(s.finish('Next: ', [KYOTO]), true);
    assert.equal(out.length, 3);
  });

  it('holds text that comes after a call began, and sends it after the calls', () => {
    const { out, writer } = recorder();
    const s = new FinalTextStream(writer);
    s.onEvent(round(0, ['openai']));
    s.onEvent(piece(0, 0, 0, KYOTO.arguments, { id: 'c1', name: 'get_weather' }));
    s.onEvent(delta(0, 0, 'and more'));
    assert.deepEqual(out, ['start 0 c1 get_weather', `args 0 ${KYOTO.arguments}`]);
    assert.equal(s.finish('and more', [KYOTO, TOKYO]), true);
    assert.deepEqual(out.slice(2), ['start 1 c2 get_time', `args 1 ${TOKYO.arguments}`, 'text and more']);
  });

  it('says how much text went out before the first call: the rest followed the calls', () => {
    const live = new FinalTextStream(recorder().writer);
    live.onEvent(round(0, ['openai']));
    live.onEvent(delta(0, 0, 'Checking. '));
    live.onEvent(piece(0, 0, 0, KYOTO.arguments, { id: 'c1', name: 'get_weather' }));
    live.onEvent(delta(0, 0, 'One moment.'));
    assert.equal(live.finish('Checking. One moment.', [KYOTO]), true);
    assert.equal(live.textBeforeCalls, 'Checking. '.length);

    const held = new FinalTextStream(recorder().writer);
    held.onEvent(round(0, ['openai', 'conductor']));
    assert.equal(held.finish('All of it.', [KYOTO]), true);
    assert.equal(held.textBeforeCalls, 0, 'held back to the end: the calls go first, then all the text');

    const noCalls = new FinalTextStream(recorder().writer);
    noCalls.onEvent(round(0, ['openai']));
    noCalls.onEvent(delta(0, 0, 'Just text.'));
    assert.equal(noCalls.finish('Just text.'), true);
    assert.equal(noCalls.textBeforeCalls, 'Just text.'.length);
  });

  it('a call does not begin before it has an id and a name, nor before the call ahead of it', () => {
    const { out, writer } = recorder();
    const s = new FinalTextStream(writer);
    s.onEvent(round(0, ['openai']));
    s.onEvent(piece(0, 0, 0, '{"ci'));
    s.onEvent(piece(0, 0, 1, '{}', { id: 'c2', name: 'get_time' }));
    assert.deepEqual(out, [], 'the gap at call 0 holds everything');
    s.onEvent(piece(0, 0, 0, '', { id: 'c1', name: 'get_weather' }));
    assert.deepEqual(out, ['start 0 c1 get_weather', 'args 0 {"ci', 'start 1 c2 get_time', 'args 1 {}']);
  });

  it('a round that ends with the conductor sends its calls whole at the end', () => {
    const { out, writer } = recorder();
    const s = new FinalTextStream(writer);
    s.onEvent(round(0, ['openai', 'conductor']));
    s.onEvent(piece(0, 0, 0, KYOTO.arguments, { id: 'c1', name: 'get_weather' }));
    assert.deepEqual(out, []);
    assert.equal(s.finish('', [KYOTO]), true);
    assert.deepEqual(out, ['start 0 c1 get_weather', `args 0 ${KYOTO.arguments}`]);
  });

  it('reports streamed calls the final answer contradicts, and sends nothing more', () => {
    const cases: { name: string; final: (typeof KYOTO)[]; pieces: TraceEvent[] }[] = [
      { name: 'other arguments', final: [KYOTO], pieces: [piece(0, 0, 0, '{"city":"Osaka"', { id: 'c1', name: 'get_weather' })] },
      { name: 'another id', final: [{ ...KYOTO, id: 'c9' }], pieces: [piece(0, 0, 0, '{', { id: 'c1', name: 'get_weather' })] },
      { name: 'no calls at all', final: [], pieces: [piece(0, 0, 0, '{', { id: 'c1', name: 'get_weather' })] },
      {
        name: 'a closed call missing its end',
        final: [KYOTO, TOKYO],
        pieces: [piece(0, 0, 0, '{"city"', { id: 'c1', name: 'get_weather' }), piece(0, 0, 1, '{', { id: 'c2', name: 'get_time' })],
      },
    ];
    for (const c of cases) {
      const { out, writer } = recorder();
      const s = new FinalTextStream(writer);
      s.onEvent(round(0, ['openai']));
      c.pieces.forEach((p) => s.onEvent(p));
      const before = out.length;
      assert.equal(s.finish('', c.final), false, c.name);
      assert.equal(out.length, before, `${c.name}: nothing sent after the contradiction`);
    }
  });

  it('a writer of text alone gets the text and no calls (the caller sends them whole)', () => {
    const out: string[] = [];
    const s = new FinalTextStream((t) => out.push(t));
    s.onEvent(round(0, ['openai']));
    s.onEvent(piece(0, 0, 0, '{}', { id: 'c1', name: 'get_weather' }));
    s.onEvent(delta(0, 0, 'text'));
    assert.equal(s.finish('text', [KYOTO]), true);
    assert.deepEqual(out, ['text']);
  });
});
