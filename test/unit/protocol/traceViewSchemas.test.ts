import assert from 'node:assert/strict';
import { applyEvent, emptyTrace } from '../../../src/core/trace/reduce';
import { parseTraceDocument } from '../../../src/protocol/traceSchemas';
import { runTitle } from '../../../src/core/trace/title';
import type { TraceEvent } from '../../../src/core/trace/types';
import { parseHostMessage, parseRequestResult, parseWebviewMessage } from '../../../src/protocol/traceViewSchemas';
import { wholeRun } from '../../support/traceEvents';

const doc = () => wholeRun().reduce((d, e) => applyEvent(d, e), emptyTrace());

describe('trace view protocol validation', () => {
  it('accepts every known command and request with valid params', () => {
    const ok = [
      { type: 'command', method: 'trace/select-run', params: { runId: 'r1' } },
      { type: 'command', method: 'trace/import', params: {} },
      { type: 'command', method: 'trace/open-in-editor', params: { runId: null } },
      { type: 'request', id: 1, method: 'trace/get-state', params: { runId: null } },
      { type: 'request', id: 2, method: 'edits/apply', params: { runId: 'r1', paths: ['a.ts'] } },
      { type: 'request', id: 3, method: 'edits/preview', params: { runId: 'r1', path: 'a.ts' } },
      { type: 'request', id: 4, method: 'check/answer', params: { runId: 'r1', answer: 'run' } },
      { type: 'command', method: 'trace/start', params: { action: 'demo-task' } },
    ];
    for (const m of ok) assert.equal(parseWebviewMessage(m).ok, true, JSON.stringify(m));
  });

  it('rejects malformed webview messages with a reason', () => {
    const bad: [unknown, RegExp][] = [
      [null, /not a webview message/],
      ['trace/select-run', /not a webview message/],
      [{ type: 'command', method: 'trace/rm-rf', params: {} }, /unknown command 'trace\/rm-rf'/],
      [{ type: 'command', method: 'trace/select-run', params: {} }, /trace\/select-run: runId/],
      [{ type: 'command', method: 'trace/delete-run', params: { runId: '' } }, /runId/],
      [{ type: 'request', method: 'edits/apply', params: { runId: 'r', paths: null } }, /not a webview message/],
      [{ type: 'request', id: 1, method: 'edits/apply', params: { runId: 'r', paths: 'a.ts' } }, /edits\/apply: paths/],
      [{ type: 'request', id: 1, method: 'toString', params: {} }, /unknown request 'toString'/],
      [{ type: 'command', method: 'trace/import', params: { extra: 1 } }, /trace\/import/],
      [{ type: 'request', id: 1, method: 'check/answer', params: { runId: 'r', answer: 'sure' } }, /check\/answer: answer/],
      [{ type: 'command', method: 'trace/start', params: { action: 'workbench.action.terminal.new' } }, /trace\/start: action/],
    ];
    for (const [m, why] of bad) {
      const r = parseWebviewMessage(m);
      assert.equal(r.ok, false, JSON.stringify(m));
      if (!r.ok) assert.match(r.reason, why);
    }
  });

  it('accepts a batch of real trace events and rejects one bad event in it', () => {
    const events = wholeRun();
    assert.equal(parseHostMessage({ type: 'notification', method: 'trace/events', params: { runId: 'r', seq: 0, events } }).ok, true);
    const broken = [...events.slice(0, 3), { type: 'step-delta', round: 0, index: 0 }];
    const r = parseHostMessage({ type: 'notification', method: 'trace/events', params: { runId: 'r', seq: 0, events: broken } });
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.reason, /events\.3/);
    const unknownType = parseHostMessage({ type: 'notification', method: 'trace/events', params: { runId: 'r', seq: 0, events: [{ type: 'step-exploded', round: 0, index: 0 }] } });
    assert.equal(unknownType.ok, false);
  });

  it('checks notifications and replies from the host', () => {
    assert.equal(parseHostMessage({ type: 'notification', method: 'trace/didLoad', params: { run: { doc: doc(), seq: 3, live: false, reviewable: [] } } }).ok, true);
    assert.equal(parseHostMessage({ type: 'notification', method: 'trace/didLoad', params: { run: { doc: { ...doc(), version: 2 }, seq: 0, live: false, reviewable: [] } } }).ok, false);
    assert.equal(parseHostMessage({ type: 'notification', method: 'trace/unknown', params: {} }).ok, false);
    assert.equal(parseHostMessage({ type: 'reply', id: 4, ok: false, error: 'no plans' }).ok, true);
    assert.equal(parseHostMessage({ type: 'reply', id: 4, ok: false }).ok, false);
    assert.equal(parseRequestResult('edits/apply', { applied: ['a.ts'], failed: [{ path: 'b.ts', reason: 'changed' }] }).ok, true);
    assert.equal(parseRequestResult('edits/apply', { applied: 'a.ts', failed: [] }).ok, false);
    assert.equal(parseRequestResult('trace/get-state', { history: [], run: null, demoTask: null }).ok, true);
    assert.equal(parseRequestResult('trace/get-state', { history: [], run: null, demoTask: 'Fix the discount' }).ok, true);
    assert.equal(parseRequestResult('check/answer', { ok: false, message: 'This question is no longer open.' }).ok, true);
    assert.equal(parseRequestResult('check/answer', { ok: 'yes', message: null }).ok, false);
  });

  it('reads a saved trace only if it is a version-1 trace, naming the first problem', () => {
    const json = JSON.parse(JSON.stringify(doc()));
    assert.equal(parseTraceDocument(json).ok, true);
    json.rounds[0].steps[1].status = 'exploded';
    const r = parseTraceDocument(json);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.reason, /^rounds\.0\.steps\.1\.status: /);
    assert.equal(parseTraceDocument({ version: 1 }).ok, false);
    assert.equal(parseTraceDocument([]).ok, false);
  });
});

describe('workspace tool calls in the trace', () => {
  const toolEvents: TraceEvent[] = [
    { type: 'step-tool-call', round: 0, index: 0, id: 'c1', name: 'read_file', arguments: '{"path":"src/a.ts"}' },
    { type: 'step-tool-call', round: 0, index: 0, id: 'c2', name: 'read_file', arguments: '{"path":"../x"}' },
    { type: 'step-tool-result', round: 0, index: 0, id: 'c1', ok: true, result: 'src/a.ts, lines 1-1 of 1:\nexport {};', truncated: false },
    { type: 'step-tool-result', round: 0, index: 0, id: 'c2', ok: false, result: 'read_file refused: "../x" leaves the workspace.', truncated: false },
  ];

  it('pass the host-to-webview check and fold into the step, each result with its call', () => {
    const events = [...wholeRun().slice(0, 3), ...toolEvents];
    const parsed = parseHostMessage({ type: 'notification', method: 'trace/events', params: { runId: 'r', seq: 0, events } });
    assert.equal(parsed.ok, true, parsed.ok ? '' : parsed.reason);
    const d = events.reduce((x, e) => applyEvent(x, e), emptyTrace());
    assert.deepEqual(d.rounds[0].steps[0].toolUses, [
      { id: 'c1', name: 'read_file', arguments: '{"path":"src/a.ts"}', result: 'src/a.ts, lines 1-1 of 1:\nexport {};', ok: true, truncated: false },
      { id: 'c2', name: 'read_file', arguments: '{"path":"../x"}', result: 'read_file refused: "../x" leaves the workspace.', ok: false, truncated: false },
    ]);
    assert.equal(d.rounds[0].steps[1].toolUses, undefined);
    assert.equal(parseTraceDocument(JSON.parse(JSON.stringify(d))).ok, true);
    const bad = parseHostMessage({ type: 'notification', method: 'trace/events', params: { runId: 'r', seq: 0, events: [{ ...toolEvents[2], ok: 'yes' }] } });
    assert.equal(bad.ok, false);
  });

  it('a trace saved before tools existed still loads, with no tool uses', () => {
    const r = parseTraceDocument(JSON.parse(JSON.stringify(doc())));
    assert.ok(r.ok);
    if (r.ok) assert.ok(r.doc.rounds[0].steps.every((s) => s.toolUses === undefined));
  });
});

describe('run titles', () => {
  const started = (extra: object) => ({ type: 'run-started', id: 'r', task: 'Instruction: clear the cart\n\nWrite the code to insert at <<<FUGU_CURSOR>>> …', createdAt: '2026-12-01T00:00:00.000Z', policy: 'inline', budget: { maxCalls: 1, maxTokens: 1, maxCostUsd: 1 }, context: ['src/cart.ts (lines 10–42 around the cursor)'], ...extra });

  it("carries the user's words through run-started and the reducer, apart from the task the workers saw", () => {
    const parsed = parseHostMessage({ type: 'notification', method: 'trace/events', params: { runId: 'r', seq: 0, events: [started({ title: 'clear the cart' })] } });
    assert.ok(parsed.ok && parsed.message.type === 'notification' && parsed.message.method === 'trace/events');
    const doc = applyEvent(emptyTrace(), (parsed.message.params as { events: TraceEvent[] }).events[0]);
    assert.equal(doc.title, 'clear the cart');
    assert.match(doc.task, /^Instruction: clear the cart/);
    assert.equal(runTitle(doc), 'clear the cart');
    assert.deepEqual(doc.context, ['src/cart.ts (lines 10–42 around the cursor)']);
    assert.equal(parseTraceDocument(JSON.parse(JSON.stringify(doc))).ok, true);
  });

  it('loads a trace saved before titles existed, titled by its task', () => {
    const old = JSON.parse(JSON.stringify(doc()));
    delete old.title;
    const r = parseTraceDocument(old);
    assert.ok(r.ok);
    if (r.ok) assert.equal(runTitle(r.doc), r.doc.task);
    const plain = applyEvent(applyEvent(emptyTrace(), started({ title: 'first' }) as TraceEvent), started({ id: 'r2' }) as TraceEvent);
    assert.equal(plain.title, undefined, 'a run without a title does not keep the previous one');
  });
});
