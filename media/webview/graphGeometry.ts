// Where the workflow picture's boxes, edges and labels go for a given panel width, as plain data
// (no DOM: tested in Node). In a narrow panel (under 400 px) a round is drawn top to bottom (a row per
// column of steps, boxes side by side only where they fit); wider, left to right as long as it fits,
// so the picture never scrolls sideways. Rounds sit side by side while they fit, else one below another.
import type { TraceStep } from '../../src/core/trace/types';
import type { RoundLayout } from './layout';

export const NODE_W = 150;
export const NODE_H = 46;
const MIN_NODE_W = 96;
/** Top to bottom, boxes widen to use the panel (longer names stay readable), up to this. */
const MAX_NODE_W = 240;
const GAP_X = 40;
const GAP_Y = 14;
/** Between rows of the top-to-bottom picture: room for the edges and the lanes' turns. */
const GAP_ROW = 30;
const GAP_SIDE = 14;
const ROUND_GAP = 36;
const TOP = 22;
const LANE_GAP = 8;
/** Below this width every round is drawn top to bottom. */
export const NARROW_PX = 400;

export interface PlacedNode {
  key: string;
  step: TraceStep;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  /** SVG path data. */
  d: string;
  /** Drawn in a lane around the boxes it passes (dashed). */
  skip: boolean;
}

export interface GraphGeometry {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  labels: { x: number; y: number; text: string }[];
  width: number;
  height: number;
}

interface Block {
  nodeW: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  label: string;
  width: number;
  height: number;
}

/** `width`: the pixels the picture may use; 0 or less (not measured yet) means any. */
export function placeGraph(rounds: RoundLayout[], width: number): GraphGeometry {
  const room = width > 0 ? width : Infinity;
  const out: GraphGeometry = { nodes: [], edges: [], labels: [], width: 0, height: 0 };
  let x0 = 0;
  let y0 = 0;
  let lineHeight = 0;
  const across = rounds.map(acrossBlock);
  const down = rounds.map((r, i) => (room >= NARROW_PX && across[i].width <= room ? null : r));
  // Rounds drawn top to bottom share one box width, the narrowest any of them needs.
  const nodeW = Math.min(MAX_NODE_W, ...down.map((r) => (r ? downBlock(r, room, MAX_NODE_W).nodeW : MAX_NODE_W)));
  for (const [i, r] of rounds.entries()) {
    const block = down[i] ? downBlock(r, room, nodeW) : across[i];
    if (x0 > 0 && x0 + block.width > room) {
      x0 = 0;
      y0 += lineHeight + ROUND_GAP / 2;
      lineHeight = 0;
    }
    out.labels.push({ x: x0, y: y0 + 14, text: block.label });
    for (const n of block.nodes) out.nodes.push({ ...n, x: n.x + x0, y: n.y + y0 });
    for (const e of block.edges) out.edges.push({ ...e, d: shift(e.d, x0, y0) });
    out.width = Math.max(out.width, x0 + block.width);
    lineHeight = Math.max(lineHeight, block.height);
    out.height = Math.max(out.height, y0 + block.height);
    x0 += block.width + ROUND_GAP;
  }
  return out;
}

function roundLabel(r: RoundLayout): string {
  return r.round.kind === 'initial' ? `Round ${r.round.index}` : `Round ${r.round.index} (${r.round.kind})`;
}

/** Translates every coordinate pair of a path made of absolute commands. */
function shift(d: string, dx: number, dy: number): string {
  if (!dx && !dy) return d;
  return d.replace(/(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)/g, (_, x: string, y: string) => `${round1(Number(x) + dx)},${round1(Number(y) + dy)}`);
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Left to right: a column per level, skipping edges in lanes under the boxes. */
function acrossBlock(r: RoundLayout): Block {
  const pos = new Map<string, PlacedNode>();
  for (const n of r.nodes) pos.set(n.key, { key: n.key, step: n.step, x: n.level * (NODE_W + GAP_X), y: TOP + n.row * (NODE_H + GAP_Y), w: NODE_W, h: NODE_H });
  const rowsBottom = TOP + Math.max(1, r.rows) * (NODE_H + GAP_Y) - GAP_Y;
  const edges: PlacedEdge[] = [];
  const into = new Map<string, number>();
  for (const e of r.edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) continue;
    if (e.lane !== null) {
      // Out of the source's right side, down the gap between columns, along its lane under every
      // box, and up into the target's bottom edge.
      const k = into.get(e.to) ?? 0;
      into.set(e.to, k + 1);
      const y = rowsBottom + LANE_GAP * (e.lane + 1);
      const gx = a.x + NODE_W + 6 + (e.lane % 4) * 6;
      const x2 = b.x + 14 + k * 10;
      const y1 = a.y + NODE_H / 2 + 6;
      edges.push({ from: e.from, to: e.to, skip: true, d: `M${a.x + NODE_W},${y1} L${gx},${y1} L${gx},${y} L${x2},${y} L${x2},${b.y + NODE_H + 4}` });
      continue;
    }
    const x1 = a.x + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_H / 2;
    const mid = (x1 + x2) / 2;
    edges.push({ from: e.from, to: e.to, skip: false, d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2 - 4},${y2}` });
  }
  const width = Math.max(Math.max(1, r.levels) * (NODE_W + GAP_X) - GAP_X, 90);
  return { nodeW: NODE_W, nodes: [...pos.values()], edges, label: roundLabel(r), width, height: rowsBottom + GAP_Y + LANE_GAP * r.lanes };
}

interface Rows {
  /** Keys per row, top to bottom. */
  rows: string[][];
  rowOf: Map<string, number>;
  lanes: number;
}

/** Each level's steps in rows of at most `perRow`; edges between rows that are not neighbours need a lane. */
function rowsOf(r: RoundLayout, perRow: number): Rows {
  const rows: string[][] = [];
  const rowOf = new Map<string, number>();
  for (let level = 0; level < r.levels; level++) {
    const keys = r.nodes.filter((n) => n.level === level).map((n) => n.key);
    for (let i = 0; i < keys.length; i += perRow) {
      for (const k of keys.slice(i, i + perRow)) rowOf.set(k, rows.length);
      rows.push(keys.slice(i, i + perRow));
    }
  }
  const lanes = r.edges.filter((e) => (rowOf.get(e.to) ?? 0) - (rowOf.get(e.from) ?? 0) > 1).length;
  return { rows, rowOf, lanes };
}

const lanesWidth = (lanes: number) => (lanes ? GAP_SIDE / 2 + lanes * LANE_GAP : 0);

/** Top to bottom within `room` pixels: a row per level (wrapped where its boxes do not fit side by side). */
function downBlock(r: RoundLayout, room: number, maxNodeW: number): Block {
  const widest = Math.max(1, ...Array.from({ length: r.levels }, (_, l) => r.nodes.filter((n) => n.level === l).length));
  let perRow = widest;
  let layout = rowsOf(r, perRow);
  while (perRow > 1 && perRow * NODE_W + (perRow - 1) * GAP_SIDE + lanesWidth(layout.lanes) > room) {
    perRow--;
    layout = rowsOf(r, perRow);
  }
  const { rows, rowOf, lanes } = layout;
  const nodeW = Math.max(MIN_NODE_W, Math.min(maxNodeW, Math.floor((room - lanesWidth(lanes) - (perRow - 1) * GAP_SIDE) / perRow)));
  const area = Math.max(...rows.map((row) => row.length * nodeW + (row.length - 1) * GAP_SIDE), nodeW);
  const pos = new Map<string, PlacedNode>();
  const stepOf = new Map(r.nodes.map((n) => [n.key, n.step]));
  rows.forEach((row, i) => {
    const rowW = row.length * nodeW + (row.length - 1) * GAP_SIDE;
    const left = (area - rowW) / 2;
    row.forEach((key, j) => pos.set(key, { key, step: stepOf.get(key)!, x: left + j * (nodeW + GAP_SIDE), y: TOP + i * (NODE_H + GAP_ROW), w: nodeW, h: NODE_H }));
  });
  const edges: PlacedEdge[] = [];
  const outOf = new Map<string, number>();
  const into = new Map<string, number>();
  let lane = 0;
  for (const e of r.edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) continue;
    if (rowOf.get(e.to)! - rowOf.get(e.from)! <= 1) {
      const x1 = a.x + a.w / 2;
      const y1 = a.y + NODE_H;
      const x2 = b.x + b.w / 2;
      const y2 = b.y;
      const mid = (y1 + y2) / 2;
      edges.push({ from: e.from, to: e.to, skip: false, d: `M${x1},${y1} C${x1},${mid} ${x2},${mid} ${x2},${y2 - 4}` });
      continue;
    }
    // Out of the source's bottom, right along the gap under its row to a lane beside every box,
    // down the lane, and left along the gap above the target's row into its top.
    const k = outOf.get(e.from) ?? 0;
    outOf.set(e.from, k + 1);
    const m = into.get(e.to) ?? 0;
    into.set(e.to, m + 1);
    const lx = area + GAP_SIDE / 2 + lane * LANE_GAP + LANE_GAP / 2;
    const x1 = a.x + a.w - 10 - k * 8;
    const ya = a.y + NODE_H + 6 + (lane % 3) * 5;
    const x2 = b.x + b.w - 12 - m * 10;
    const yb = b.y - 10 - (lane % 3) * 5;
    edges.push({ from: e.from, to: e.to, skip: true, d: `M${x1},${a.y + NODE_H} L${x1},${ya} L${lx},${ya} L${lx},${yb} L${x2},${yb} L${x2},${b.y - 4}` });
    lane++;
  }
  const height = TOP + Math.max(1, rows.length) * (NODE_H + GAP_ROW) - GAP_ROW + 4;
  return { nodeW, nodes: [...pos.values()], edges, label: roundLabel(r), width: area + lanesWidth(lanes), height };
}
