// The eval's grid: every task × arm × repeat, in a stable order, and a stable share of it per shard.

export interface Cell {
  task: string;
  arm: string;
  repeat: number;
}

export interface Shard {
  index: number; // 1-based
  count: number;
}

/** Parses "i/n" (1 ≤ i ≤ n); null with no shard. Throws a sentence for anything else. */
export function parseShard(text: string | undefined): Shard | null {
  if (text === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new Error(`--shard is "${text}"; expected i/n with 1 ≤ i ≤ n, e.g. 1/4.`);
  return { index, count };
}

export function cellKey(c: Cell): string {
  return `${c.task}\u0000${c.arm}\u0000${c.repeat}`;
}

/** FNV-1a: the same cell lands in the same shard on every machine, whatever the suite's order. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Task-major order (all arms of a task close together), filtered to the shard's share. */
export function buildGrid(tasks: string[], arms: string[], repeats: number, shard: Shard | null): Cell[] {
  const cells: Cell[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const task of tasks) for (const arm of arms) cells.push({ task, arm, repeat });
  }
  return shard ? cells.filter((c) => hash(cellKey(c)) % shard.count === shard.index - 1) : cells;
}
