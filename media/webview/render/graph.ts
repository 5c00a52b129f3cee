// The workflow picture: each round a column group of step nodes, edges from the access lists,
// rounds side by side left to right.
import type { RoundLayout } from '../layout';
import { s } from '../dom';
import { STATUS_ICON } from './cards';

const NODE_W = 150;
const NODE_H = 46;
const GAP_X = 40;
const GAP_Y = 14;
const ROUND_GAP = 36;
const TOP = 22;
const LANE_GAP = 8;

export function renderGraph(rounds: RoundLayout[], selected: string | null, onSelect: (key: string) => void): SVGElement {
  const svg = s('svg', { class: 'graph', role: 'group', 'aria-label': 'Workflow' });
  let x0 = 0;
  let height = 0;
  const pos = new Map<string, { x: number; y: number }>();
  for (const r of rounds) {
    const label = r.round.kind === 'initial' ? `Round ${r.round.index}` : `Round ${r.round.index} (${r.round.kind})`;
    svg.append(s('text', { x: x0, y: 14, class: 'round-label' }, label));
    for (const n of r.nodes) pos.set(n.key, { x: x0 + n.level * (NODE_W + GAP_X), y: TOP + n.row * (NODE_H + GAP_Y) });
    const rowsBottom = TOP + Math.max(1, r.rows) * (NODE_H + GAP_Y) - GAP_Y;
    const into = new Map<string, number>();
    for (const e of r.edges) {
      const a = pos.get(e.from);
      const b = pos.get(e.to);
      if (!a || !b) continue;
      if (e.lane !== null) {
        // Out of the source's right side, down the gap between columns, along its lane under every
        // node, and up into the target's bottom edge.
        const k = into.get(e.to) ?? 0;
        into.set(e.to, k + 1);
        const y = rowsBottom + LANE_GAP * (e.lane + 1);
        const gx = a.x + NODE_W + 6 + (e.lane % 4) * 6;
        const x2 = b.x + 14 + k * 10;
        const y1 = a.y + NODE_H / 2 + 6;
        svg.append(s('path', { class: 'edge skip', d: `M${a.x + NODE_W},${y1} L${gx},${y1} L${gx},${y} L${x2},${y} L${x2},${b.y + NODE_H + 4}`, 'marker-end': 'url(#arrow)' }));
        continue;
      }
      const x1 = a.x + NODE_W;
      const y1 = a.y + NODE_H / 2;
      const x2 = b.x;
      const y2 = b.y + NODE_H / 2;
      const mid = (x1 + x2) / 2;
      svg.append(s('path', { class: 'edge', d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2 - 4},${y2}`, 'marker-end': 'url(#arrow)' }));
    }
    for (const n of r.nodes) {
      const p = pos.get(n.key)!;
      const st = n.step;
      const g = s('g', {
        class: `node status-${st.status}${st.check ? ' check' : ''}${n.key === selected ? ' selected' : ''}`,
        transform: `translate(${p.x},${p.y})`,
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
      s('rect', { width: NODE_W, height: NODE_H, rx: 4 }),
      s('text', { x: 8, y: 18, class: 'node-title' }, `${STATUS_ICON[st.status]} #${st.index} ${clip(st.worker, 16)}`),
      s('text', { x: 8, y: 36, class: 'node-sub' }, clip(st.check ? `${st.check.passed ? 'pass' : st.check.outcome === 'failed' ? 'fail' : st.check.outcome} · ${st.model}` : `${st.provider} · ${st.role}`, 24)),
      );
      svg.append(g);
    }
    const width = Math.max(1, r.levels) * (NODE_W + GAP_X) - GAP_X;
    height = Math.max(height, rowsBottom + GAP_Y + LANE_GAP * r.lanes);
    x0 += Math.max(width, 90) + ROUND_GAP;
  }
  const defs = s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 8 8', refX: 7, refY: 4, markerWidth: 7, markerHeight: 7, orient: 'auto' },
    s('path', { d: 'M0,0 L8,4 L0,8 z', class: 'arrow' })));
  svg.prepend(defs);
  const w = Math.max(0, x0 - ROUND_GAP);
  svg.setAttribute('viewBox', `0 0 ${w} ${height}`);
  svg.setAttribute('width', String(w));
  svg.setAttribute('height', String(height));
  return svg;
}

function clip(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}
