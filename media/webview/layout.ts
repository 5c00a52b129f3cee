// Geometry of the workflow picture and the timeline, as plain data (the renderer only draws it).
import type { TraceDocument, TraceRound, TraceStep } from '../../src/core/trace/types';
import { stepKey } from './viewModel';

export interface GraphNode {
  key: string;
  step: TraceStep;
  /** Column inside the round: 0 for steps that see nothing, else one past the deepest step they see. */
  level: number;
  /** Row inside the column. */
  row: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  /**
   * For an edge that skips a column (the conductor seeing every step), the lane under the nodes it is
   * drawn in, so it never runs behind a node it does not connect; null for neighbouring columns.
   */
  lane: number | null;
}

export interface RoundLayout {
  round: TraceRound;
  nodes: GraphNode[];
  edges: GraphEdge[];
  levels: number;
  rows: number;
  /** How many lanes under the nodes the skipping edges use. */
  lanes: number;
}

export function layoutWorkflow(doc: TraceDocument): RoundLayout[] {
  return doc.rounds.filter(Boolean).map((round) => {
    const levelOf: number[] = [];
    const rowsAt: number[] = [];
    const nodes: GraphNode[] = [];
    const edges: GraphEdge[] = [];
    let lanes = 0;
    for (const step of round.steps) {
      const seen = step.access.filter((a) => a >= 0 && a < step.index && levelOf[a] !== undefined);
      const level = seen.length ? Math.max(...seen.map((a) => levelOf[a])) + 1 : 0;
      levelOf[step.index] = level;
      const row = rowsAt[level] ?? 0;
      rowsAt[level] = row + 1;
      const key = stepKey(round.index, step.index);
      nodes.push({ key, step, level, row });
      for (const a of seen) edges.push({ from: stepKey(round.index, a), to: key, lane: level - levelOf[a] > 1 ? lanes++ : null });
    }
    return { round, nodes, edges, levels: rowsAt.length, rows: Math.max(0, ...rowsAt), lanes };
  });
}

export interface Bar {
  key: string;
  step: TraceStep;
  round: number;
  start: number;
  end: number;
  /** Still running: `end` is the latest time the view knows of. */
  open: boolean;
  critical: boolean;
}

export interface Timeline {
  bars: Bar[];
  /** Time axis length in ms (from run start). */
  span: number;
}

/** One bar per started step on the run's clock (ms since the run began); `now` extends running bars. */
export function timelineOf(doc: TraceDocument, now?: number): Timeline {
  let latest = now ?? 0;
  for (const r of doc.rounds) for (const s of r?.steps ?? []) latest = Math.max(latest, s.startMs ?? 0, s.endMs ?? 0);
  const critical = criticalPath(doc);
  const bars: Bar[] = [];
  for (const r of doc.rounds) {
    for (const s of r?.steps ?? []) {
      if (s.startMs === null) continue;
      const key = stepKey(r.index, s.index);
      bars.push({ key, step: s, round: r.index, start: s.startMs, end: s.endMs ?? latest, open: s.endMs === null, critical: critical.has(key) });
    }
  }
  return { bars, span: Math.max(latest, doc.wallMs, 1) };
}

/**
 * The chain of steps that decided each round's length: from the step that ended last, walk back
 * through the step it waited for (the latest-ending step in its access list). Rounds run one after
 * another, so the run's critical path is every round's chain.
 */
export function criticalPath(doc: TraceDocument): Set<string> {
  const keys = new Set<string>();
  for (const r of doc.rounds) {
    if (!r) continue;
    const ended = (s: TraceStep | undefined): s is TraceStep => !!s && s.startMs !== null;
    const endOf = (s: TraceStep) => s.endMs ?? Infinity;
    let cur = r.steps.filter(ended).reduce<TraceStep | undefined>((a, s) => (!a || endOf(s) > endOf(a) ? s : a), undefined);
    while (cur) {
      keys.add(stepKey(r.index, cur.index));
      const from: TraceStep = cur;
      const preds = from.access.filter((a) => a < from.index).map((a) => r.steps[a]).filter(ended);
      cur = preds.reduce<TraceStep | undefined>((a, s) => (!a || endOf(s) > endOf(a) ? s : a), undefined);
    }
  }
  return keys;
}
