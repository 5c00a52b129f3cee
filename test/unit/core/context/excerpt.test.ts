import assert from 'node:assert/strict';
import { queryTerms } from '../../../../src/core/context/codeTokens';
import { excerptFile } from '../../../../src/core/context/excerpt';
import { packContext } from '../../../../src/core/context/packContext';
import type { CodeSymbol } from '../../../../src/core/context/types';

// A long file: 300 filler functions, one of which (line 1501..) quotes shell arguments.
function longFile(): { text: string; symbols: CodeSymbol[]; quoteLine: number } {
  const lines: string[] = ['import os', ''];
  const symbols: CodeSymbol[] = [];
  let quoteLine = 0;
  for (let i = 0; i < 300; i++) {
    const name = i === 250 ? 'quote_fish_argument' : `helper_${i}`;
    if (i === 250) quoteLine = lines.length + 1;
    symbols.push({ name, kind: 'function', line: lines.length + 1, signature: `def ${name}(value)` });
    lines.push(`def ${name}(value):`, `    total = value + ${i}`, i === 250 ? '    return shlex.quote(value)  # fish shell' : '    return total', '');
  }
  return { text: lines.join('\n'), symbols, quoteLine };
}

const weightsOf = (task: string) => new Map(queryTerms(task).map((t) => [t, 1]));

describe('excerpts', () => {
  it('sends the outline and the region around the matching lines, not the head alone, within the budget', () => {
    const { text, symbols, quoteLine } = longFile();
    const ex = excerptFile({ text, maxChars: 3_000, weights: weightsOf('quote the arguments in fish completion'), symbols });
    assert.ok(ex.text.length <= 3_000);
    assert.ok(ex.lines.some(([a, b]) => a <= quoteLine + 2 && quoteLine + 2 <= b), JSON.stringify(ex.lines));
    assert.ok(ex.text.includes('    return shlex.quote(value)  # fish shell'));
    assert.ok(ex.text.startsWith('outline:\n'));
    assert.match(ex.note, /^excerpts: lines 1–\d+, \d+–\d+ of 1202 \(outline; \d+ regions? matching the task\)$/);
    // Every range is sent verbatim under its header.
    const lines = text.split('\n');
    for (const [a, b] of ex.lines) assert.ok(ex.text.includes(`⋮ lines ${a}–${b}\n${lines.slice(a - 1, b).join('\n')}\n`));
  });

  it('sends a named symbol\'s definition first, even with no word of the task in it', () => {
    const { text, symbols } = longFile();
    const ex = excerptFile({ text, maxChars: 2_000, weights: new Map(), symbols, focus: ['helper_100'] });
    const def = symbols.find((s) => s.name === 'helper_100')!.line;
    assert.ok(ex.lines.some(([a, b]) => a <= def && def + 2 <= b), JSON.stringify(ex.lines));
    assert.match(ex.note, /defines `helper_100`/);
  });

  it('packs a short file whole and a long one as excerpts with their line ranges, a user\'s selection as its prefix', async () => {
    const { text, symbols, quoteLine } = longFile();
    const packed = await packContext(
      [
        { path: 'short.py', text: 'x = 1\n', reason: 'matches "x"' },
        { path: 'long.py', text, reason: 'matches "fish"', share: 4_000 },
        { path: 'sel.py', text: 'y'.repeat(5_000), reason: 'open', note: 'selection' },
      ],
      6_000,
      { weights: weightsOf('fish quote'), symbolsOf: async (p) => (p === 'long.py' ? symbols : undefined) },
    );
    const [short, long, sel] = packed.files;
    assert.equal(short.text, 'x = 1\n');
    assert.equal(short.lines, undefined);
    assert.ok(long.text.length <= 4_000 && long.lines!.some(([a, b]) => a <= quoteLine + 2 && quoteLine + 2 <= b));
    assert.match(long.note!, /^excerpts: /);
    // The rest of the budget, to the character.
    assert.equal(sel.text.length, 6_000 - short.text.length - long.text.length);
    assert.match(sel.note!, /^first \d+ of 5000 characters; selection$/);
    assert.equal(packed.chars, 6_000);
  });
});
