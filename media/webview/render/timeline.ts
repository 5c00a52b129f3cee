// One bar per step on a shared time axis (CSS grid rows, widths in %): parallel planners overlap,
// the critical path is marked.
import type { Timeline } from '../layout';
import { formatMs, h } from '../dom';
import { STATUS_ICON } from './cards';

export function renderTimeline(t: Timeline, selected: string | null, onSelect: (key: string) => void): HTMLElement {
  const rows = t.bars.map((b) => {
    const left = (b.start / t.span) * 100;
    const width = Math.max(((b.end - b.start) / t.span) * 100, 0.5);
    const label = `#${b.step.index} ${b.step.worker}`;
    const duration = b.open ? `${formatMs(b.end - b.start)}+` : formatMs(b.end - b.start);
    const bar = h('button', {
          type: 'button',
          class: `tl-bar status-${b.step.status}${b.critical ? ' critical' : ''}${b.open ? ' open' : ''}`,
          'data-key': b.key,
          title: `${label}: ${duration}${b.critical ? ' (critical path)' : ''}`,
          'aria-label': `${label}, ${b.step.status} ${STATUS_ICON[b.step.status]}, ${duration}${b.critical ? ', on the critical path' : ''}`,
          onclick: () => onSelect(b.key),
        });
    // Through the CSSOM: the CSP forbids inline style attributes.
    bar.style.left = `${left.toFixed(2)}%`;
    bar.style.width = `${width.toFixed(2)}%`;
    // A client's tool loop: the step's earlier turns, each a faint bar of its own on the same row.
    const turns = (b.step.turns ?? []).filter((x) => x.startMs !== null && x.endMs !== null).map((x, i) => {
      const el = h('span', { class: 'tl-bar tl-turn', title: `${label}, turn ${i + 1}: ${formatMs(x.endMs! - x.startMs!)}` });
      el.style.left = `${((x.startMs! / t.span) * 100).toFixed(2)}%`;
      el.style.width = `${Math.max(((x.endMs! - x.startMs!) / t.span) * 100, 0.5).toFixed(2)}%`;
      return el;
    });
    return h('div', { class: `tl-row${b.key === selected ? ' selected' : ''}` },
      h('span', { class: 'tl-label', title: label }, b.round > 0 ? `R${b.round} ${label}` : label),
      h('span', { class: 'tl-track' }, ...turns, bar),
      h('span', { class: 'tl-time' }, duration),
    );
  });
  return h('div', { class: 'timeline', role: 'group', 'aria-label': 'Timeline' },
    ...rows,
    h('div', { class: 'tl-axis' }, h('span', {}, '0'), h('span', {}, formatMs(t.span))),
    t.bars.some((b) => b.critical)
      ? h('div', { class: 'tl-legend muted' }, h('span', { class: 'tl-swatch critical', 'aria-hidden': 'true' }), 'critical path: the steps that set the wall time')
      : null,
  );
}
