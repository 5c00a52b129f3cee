import assert from 'node:assert/strict';
import { timelineOf } from '../../../../media/webview/layout';
import { LiveClock } from '../../../../media/webview/liveClock';
import { totalsOf } from '../../../../media/webview/totals';
import { applyEvent, emptyTrace } from '../../../../src/core/trace/reduce';
import type { TraceEvent } from '../../../../src/core/trace/types';
import { wholeRun } from '../../../support/traceEvents';

const build = (events: TraceEvent[]) => events.reduce((d, e) => applyEvent(d, e), emptyTrace());

describe('the live clock', () => {
  it('grows between events from the latest reported time, on the page\'s own clock', () => {
    let t = 10_000; // page time, unrelated to the run's clock
    const clock = new LiveClock(() => t);
    const doc = build(wholeRun().slice(0, 7)); // planners started, one still running at 400 ms
    assert.equal(clock.now(doc), 400);
    t += 650;
    assert.equal(clock.now(doc), 1050);
    // A running bar and the wall time follow the clock.
    const bar = timelineOf(doc, clock.now(doc)).bars.find((x) => x.key === '0:1')!;
    assert.equal(bar.end, 1050);
    assert.equal(totalsOf(doc, clock.now(doc)).wallMs, 1050);
  });

  it('jumps to a later reported time, and stops once the run is over', () => {
    let t = 0;
    const clock = new LiveClock(() => t);
    const events = wholeRun();
    assert.equal(clock.now(build(events.slice(0, 7))), 400);
    t += 100;
    const later = build(events.slice(0, 9));
    assert.ok(clock.now(later)! >= 900, 'a later event moves the anchor forward');
    const done = build(events);
    assert.equal(clock.now(done), undefined);
    assert.equal(totalsOf(done, clock.now(done)).wallMs, done.wallMs);
  });
});
