// Re-indents a replacement that was matched while ignoring leading whitespace, so the new lines sit
// at the file's indentation (and in its tabs-or-spaces style), keeping their relative structure.

const TAB_WIDTH = 4;

export function leadingWhitespace(line: string): string {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return line.slice(0, i);
}

function width(indent: string): number {
  let w = 0;
  for (const ch of indent) w += ch === '\t' ? TAB_WIDTH : 1;
  return w;
}

/** Most common step between the indentation of consecutive non-blank lines, or null. */
export function indentUnit(lines: string[]): number | null {
  const counts = new Map<number, number>();
  let prev: number | null = null;
  for (const l of lines) {
    if (l.trim() === '') continue;
    const w = width(leadingWhitespace(l));
    if (prev !== null && w !== prev) {
      const d = Math.abs(w - prev);
      counts.set(d, (counts.get(d) ?? 0) + 1);
    }
    prev = w;
  }
  let best: number | null = null;
  let bestCount = 0;
  for (const [d, c] of counts) if (c > bestCount || (c === bestCount && best !== null && d < best)) [best, bestCount] = [d, c];
  return best;
}

/**
 * `search[j]` was matched to `found[j]` ignoring indentation; returns `replace` with each line's
 * indentation translated the same way. `context` is nearby file text, used to learn the file's unit.
 */
export function reindent(replace: string[], search: string[], found: string[], context: string[]): string[] {
  const map = new Map<string, string>();
  const pairs: Array<[number, number]> = [];
  let same = true;
  for (let j = 0; j < search.length; j++) {
    if (search[j].trim() === '') continue;
    const s = leadingWhitespace(search[j]);
    const f = leadingWhitespace(found[j]);
    if (s !== f) same = false;
    if (!map.has(s)) map.set(s, f);
    pairs.push([width(s), width(f)]);
  }
  if (same || pairs.length === 0) return replace.slice();
  const useTabs = [...map.values()].some((f) => f.includes('\t'));
  const [baseS, baseF] = pairs[0];
  let scale = 0;
  const other = pairs.find(([s]) => s !== baseS);
  if (other) scale = (other[1] - baseF) / (other[0] - baseS);
  if (!(scale > 0) || !Number.isFinite(scale)) {
    const unitS = indentUnit([...search, ...replace]);
    const unitF = indentUnit(context);
    scale = unitS && unitF ? unitF / unitS : 1;
  }
  return replace.map((line) => {
    if (line.trim() === '') return line;
    const r = leadingWhitespace(line);
    const body = line.slice(r.length);
    const known = map.get(r);
    if (known !== undefined) return known + body;
    const w = Math.max(0, Math.round(baseF + (width(r) - baseS) * scale));
    const indent = useTabs ? '\t'.repeat(Math.floor(w / TAB_WIDTH)) + ' '.repeat(w % TAB_WIDTH) : ' '.repeat(w);
    return indent + body;
  });
}
