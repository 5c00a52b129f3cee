import assert from 'node:assert/strict';
import { applyEvent, emptyTrace } from '../../../../src/core/trace/reduce';
import type { TraceEvent } from '../../../../src/core/trace/types';
import { placeGraph, type GraphGeometry } from '../../../../media/webview/graphGeometry';
import { layoutWorkflow } from '../../../../media/webview/layout';
import { recursionRun, wholeRun } from '../../../support/traceEvents';

const build = (events: TraceEvent[]) => events.reduce((d, e) => applyEvent(d, e), emptyTrace());
const at = (g: GraphGeometry, key: string) => g.nodes.find((n) => n.key === key)!;

/** Every x of every box and every edge point lies within [0, width]. */
function assertInside(g: GraphGeometry, width: number): void {
  assert.ok(g.width <= width, `drawing ${g.width} px wide in ${width} px`);
  for (const n of g.nodes) assert.ok(n.x >= 0 && n.x + n.w <= width, `${n.key} at ${n.x}+${n.w}`);
  for (const e of g.edges) {
    for (const m of e.d.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)) assert.ok(Number(m[1]) >= 0 && Number(m[1]) <= width, `${e.from}->${e.to}: ${e.d}`);
  }
}

/** No edge segment of a lane edge runs through a box it does not connect. */
function assertLanesClear(g: GraphGeometry): void {
  for (const e of g.edges.filter((x) => x.skip)) {
    const pts = [...e.d.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    for (let i = 1; i < pts.length; i++) {
      const [[x1, y1], [x2, y2]] = [pts[i - 1], pts[i]];
      for (const n of g.nodes) {
        if (n.key === e.from || n.key === e.to) continue;
        const crossesX = Math.max(x1, x2) > n.x && Math.min(x1, x2) < n.x + n.w;
        const crossesY = Math.max(y1, y2) > n.y && Math.min(y1, y2) < n.y + n.h;
        assert.ok(!(crossesX && crossesY), `${e.from}->${e.to} runs through ${n.key}`);
      }
    }
  }
}

describe('workflow picture geometry', () => {
  it('keeps the wide picture left to right where it fits: planners in one column, the coder beside them', () => {
    const g = placeGraph(layoutWorkflow(build(wholeRun())), 800);
    assert.deepEqual([at(g, '0:0'), at(g, '0:1'), at(g, '0:2')].map((n) => [n.x, n.y]), [[0, 22], [0, 82], [190, 22]]);
    assert.equal(g.width, 340);
  });

  it('at 280 px lays the round out top to bottom, planners stacked, every box and edge inside the width', () => {
    const g = placeGraph(layoutWorkflow(build(wholeRun())), 280);
    assertInside(g, 280);
    const [a, b, c] = [at(g, '0:0'), at(g, '0:1'), at(g, '0:2')];
    assert.ok(a.y < b.y && b.y < c.y, 'one box per row: two planners do not fit side by side');
    assert.ok(a.y + a.h <= b.y && b.y + b.h <= c.y, 'rows do not overlap');
    assert.equal(g.edges.length, 2);
    assertLanesClear(g);
  });

  it('at 380 px puts the planners side by side and the coder below them', () => {
    const g = placeGraph(layoutWorkflow(build(wholeRun())), 380);
    assertInside(g, 380);
    const [a, b, c] = [at(g, '0:0'), at(g, '0:1'), at(g, '0:2')];
    assert.equal(a.y, b.y);
    assert.ok(a.x + a.w <= b.x, 'side by side without overlapping');
    assert.ok(c.y >= a.y + a.h);
    assert.deepEqual(g.edges.map((e) => e.skip), [false, false], 'neighbouring rows: direct edges');
  });

  it('routes edges that skip rows through lanes beside the boxes, never through one, and stacks rounds', () => {
    for (const width of [280, 380]) {
      const g = placeGraph(layoutWorkflow(build(recursionRun())), width);
      assertInside(g, width);
      assertLanesClear(g);
      assert.ok(g.edges.some((e) => e.skip));
      assert.equal(g.nodes.length, 6);
      const round1 = at(g, '1:0');
      assert.ok(g.nodes.filter((n) => n.key.startsWith('0:')).every((n) => n.y + n.h < round1.y), 'round 1 is below round 0');
      assert.equal(g.labels.length, 2);
    }
  });

  it('draws rounds side by side while they fit, and each round left to right when it fits alone', () => {
    const layout = layoutWorkflow(build(recursionRun()));
    const wide = placeGraph(layout, 2000);
    assert.equal(at(wide, '1:0').y, at(wide, '0:0').y, 'side by side');
    const mid = placeGraph(layout, 800);
    assertInside(mid, 800);
    assert.ok(at(mid, '1:0').y > at(mid, '0:2').y, 'the corrective round wraps below');
  });

  it('lays out at natural size before the width is known', () => {
    const g = placeGraph(layoutWorkflow(build(wholeRun())), 0);
    assert.equal(at(g, '0:2').x, 190);
  });
});
