import assert from 'node:assert/strict';
import { applyEvent, emptyTrace } from '../../../../src/core/trace/reduce';
import type { TraceEvent } from '../../../../src/core/trace/types';
import { criticalPath, layoutWorkflow, timelineOf } from '../../../../media/webview/layout';
import { budgetUse, totalsOf } from '../../../../media/webview/totals';
import { recursionRun, wholeRun } from '../../../support/traceEvents';

const build = (events: TraceEvent[]) => events.reduce((d, e) => applyEvent(d, e), emptyTrace());

describe('workflow picture, timeline and totals', () => {
  it('puts parallel planners in one column and the coder after them, with an edge from each plan', () => {
    const [round] = layoutWorkflow(build(wholeRun()));
    assert.deepEqual(round.nodes.map((n) => [n.key, n.level, n.row]), [['0:0', 0, 0], ['0:1', 0, 1], ['0:2', 1, 0]]);
    assert.deepEqual(round.edges, [{ from: '0:0', to: '0:2', lane: null }, { from: '0:1', to: '0:2', lane: null }]);
    assert.equal(round.lanes, 0);
  });

  it('gives an edge that skips a column its own lane under the nodes, so it never runs behind one', () => {
    // planners 0, 1 -> coder 2 -> reviewer 3 -> conductor 4 that sees everything
    const events = recursionRun();
    const [round] = layoutWorkflow(build(events));
    assert.deepEqual(round.nodes.map((n) => n.level), [0, 0, 1, 2, 3]);
    const into4 = round.edges.filter((e) => e.to === '0:4');
    assert.deepEqual(into4.map((e) => [e.from, e.lane]), [['0:0', 0], ['0:1', 1], ['0:2', 2], ['0:3', null]]);
    assert.equal(round.lanes, 3);
  });

  it('shows overlapping planner bars and marks the slower planner and the coder as the critical path', () => {
    const doc = build(wholeRun());
    const t = timelineOf(doc);
    const [a, b, c] = t.bars;
    assert.ok(a.start < b.end && b.start < a.end, 'the planners overlap in time');
    assert.deepEqual([...criticalPath(doc)].sort(), ['0:1', '0:2']);
    assert.deepEqual(t.bars.map((x) => x.critical), [false, true, true]);
    assert.equal(t.span, 1600);
    assert.equal(c.open, false);
  });

  it('draws a running step up to the latest time the view knows', () => {
    const doc = build(wholeRun().slice(0, 7));
    const bar = timelineOf(doc).bars.find((x) => x.key === '0:1')!;
    assert.equal(bar.open, true);
    assert.equal(bar.end, 400);
  });

  it('counts the conductor step that wrote a corrective round once, not again in that round\'s policy record', () => {
    const doc = build(recursionRun());
    const t = totalsOf(doc);
    // policy 1 call (100/10) + 4 workers (100/50 each) + conductor 1 call (300/20), and round 1 adds only its coder
    assert.equal(t.calls, 1 + 4 + 1 + 1);
    assert.equal(t.inputTokens, 100 + 400 + 300 + 100);
    assert.equal(t.outputTokens, 10 + 200 + 20 + 50);
  });

  it('sums live totals from the steps, then takes the executor totals at the end', () => {
    const events = wholeRun();
    const midway = build(events.slice(0, 8));
    assert.deepEqual(totalsOf(midway), { calls: 2, inputTokens: 200, outputTokens: 100, costUsd: 0.02, wallMs: 900 });
    const done = build(events);
    assert.deepEqual(totalsOf(done), { calls: 3, inputTokens: 300, outputTokens: 150, costUsd: 0.03, wallMs: 1600 });
  });

  it('reports budget use per limit and the worst of them', () => {
    const doc = build(wholeRun());
    const use = budgetUse(doc, totalsOf(doc));
    assert.equal(use.calls, 0.3);
    assert.equal(use.tokens, 0.045);
    assert.ok(Math.abs(use.cost - 0.03) < 1e-12);
    assert.equal(use.worst, 0.3);
    doc.budget.maxCalls = 0;
    assert.equal(budgetUse(doc, totalsOf(doc)).calls, 0, 'an unset limit is not a division by zero');
  });
});
