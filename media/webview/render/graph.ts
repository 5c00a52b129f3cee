// The workflow picture: a box per step, edges from the access lists, laid out for the panel's width
// by graphGeometry (left to right when it fits, else top to bottom).
import { placeGraph } from '../graphGeometry';
import type { RoundLayout } from '../layout';
import { s } from '../dom';
import { STATUS_ICON } from './cards';

/** `width`: the pixels the picture may use (the panel's content width); 0 when not measured yet. */
export function renderGraph(rounds: RoundLayout[], width: number, selected: string | null, onSelect: (key: string) => void): SVGElement {
  const g = placeGraph(rounds, width);
  const svg = s('svg', { class: 'graph', role: 'group', 'aria-label': 'Workflow' });
  svg.append(s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 8 8', refX: 7, refY: 4, markerWidth: 7, markerHeight: 7, orient: 'auto' },
    s('path', { d: 'M0,0 L8,4 L0,8 z', class: 'arrow' }))));
  for (const l of g.labels) svg.append(s('text', { x: l.x, y: l.y, class: 'round-label' }, l.text));
  for (const e of g.edges) svg.append(s('path', { class: e.skip ? 'edge skip' : 'edge', d: e.d, 'marker-end': 'url(#arrow)', 'data-from': e.from, 'data-to': e.to }));
  for (const n of g.nodes) {
    const st = n.step;
    // About 5.7 px a character at the graph's 11 px font.
    const chars = Math.max(8, Math.floor((n.w - 12) / 5.7));
    svg.append(s('g', {
      class: `node status-${st.status}${st.check ? ' check' : ''}${n.key === selected ? ' selected' : ''}`,
      transform: `translate(${n.x},${n.y})`,
      tabindex: 0,
      role: 'button',
      'data-key': n.key,
      'aria-label': `Step ${st.index}: ${st.worker}, ${st.provider}, ${st.role}, ${st.status}`,
      onclick: () => onSelect(n.key),
      onkeydown: (ev: Event) => {
        const k = (ev as KeyboardEvent).key;
        if (k === 'Enter' || k === ' ') {
          ev.preventDefault();
          onSelect(n.key);
        }
      },
    },
    s('rect', { width: n.w, height: n.h, rx: 4 }),
    s('text', { x: 8, y: 18, class: 'node-title' }, `${STATUS_ICON[st.status]} #${st.index} ${clip(st.worker, chars - 8)}`),
    // [verify] A check node says its verdict and its command instead of a provider and role.
    s('text', { x: 8, y: 36, class: 'node-sub' }, clip(st.check ? `${st.check.passed ? 'pass' : st.check.outcome === 'failed' ? 'fail' : st.check.outcome} · ${st.model}` : `${st.provider} · ${st.role}`, chars)),
    ));
  }
  const w = Math.ceil(g.width);
  const h = Math.ceil(g.height);
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.setAttribute('width', String(w));
  svg.setAttribute('height', String(h));
  svg.dataset.layoutWidth = String(width);
  return svg;
}

function clip(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}
