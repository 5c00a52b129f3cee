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

/** `n` functions `f0`…, each its `def` line then `body` (four lines in all), with their symbols. */
function functions(n: number, body: [string, string, string]): { lines: string[]; symbols: CodeSymbol[] } {
  const lines: string[] = [];
  const symbols: CodeSymbol[] = [];
  for (let i = 0; i < n; i++) {
    symbols.push({ name: `f${i}`, kind: 'function', line: lines.length + 1, signature: `def f${i}()` });
    lines.push(`def f${i}():`, ...body);
  }
  return { lines, symbols };
}

describe('excerpts', () => {
  it('sends the outline and the region around the matching lines, not the head alone, within the budget', () => {
    const { text, symbols, quoteLine } = longFile();
    const ex = excerptFile({ text, maxChars: 3_000, weights: weightsOf('quote the arguments in fish completion'), symbols });
    assert.ok(ex.text.length <= 3_000);
    assert.ok(ex.lines.some(([a, b]) => a <= quoteLine + 2 && quoteLine + 2 <= b), JSON.stringify(ex.lines));
    assert.ok(ex.text.includes('    return shlex.quote(value)  # fish shell'));
    assert.ok(ex.text.startsWith('outline:\n'));
    // Each range says why it was sent: the head, then the definition whose name holds the task's words
    // (`quote_fish_argument`) with the region around the matching line and its terms.
    assert.match(ex.note, /^excerpts of 1202 lines: 1–\d+ head; \d+–\d+ defines `quote_fish_argument`, matches "argument", "fish", "quot"; with its outline$/);
    assert.deepEqual(ex.ranges.map((r) => r.why), [['head'], ['defines `quote_fish_argument`', 'matches "argument", "fish", "quot"']]);
    // Every range is sent verbatim under its header.
    const lines = text.split('\n');
    for (const [a, b] of ex.lines) assert.ok(ex.text.includes(`⋮ lines ${a}–${b}\n${lines.slice(a - 1, b).join('\n')}\n`));
  });

  it('sends a named symbol\'s definition first, even with no word of the task in it', () => {
    const { text, symbols } = longFile();
    const ex = excerptFile({ text, maxChars: 2_000, weights: new Map(), symbols, focus: ['helper_100'] });
    const def = symbols.find((s) => s.name === 'helper_100')!.line;
    assert.ok(ex.lines.some(([a, b]) => a <= def && def + 2 <= b), JSON.stringify(ex.lines));
    assert.match(ex.note, /\d+–\d+ defines `helper_100`/);
  });

  it("sends the definition of a function whose name holds several of the task's words, not just the lines around its name", () => {
    // 300 four-line functions, then `render_all` (line 1201, holding one of the task's words) and
    // `render_document_title` (line 1222), each with a 20-line body holding none of them, then 100 more.
    const { lines, symbols } = functions(400, ['    a = 1', '    return a', '']);
    const body = Array.from({ length: 20 }, (_, k) => `    step_${k} = compute(${k})`);
    const after = lines.splice(1_200);
    const tail = symbols.splice(300);
    for (const name of ['render_all', 'render_document_title']) {
      symbols.push({ name, kind: 'function', line: lines.length + 1, signature: `def ${name}()` });
      lines.push(`def ${name}():`, ...body);
    }
    for (const s of tail) symbols.push({ ...s, line: s.line + 42 });
    lines.push(...after);
    assert.equal(lines[1221], 'def render_document_title():');
    const ex = excerptFile({ text: lines.join('\n'), maxChars: 1_500, weights: weightsOf('render the document title'), symbols });
    // Its whole body, down to line 1237 (step_14), far past the lines around its name.
    assert.ok(ex.lines.some(([a, b]) => a <= 1222 && 1237 <= b), JSON.stringify(ex.lines));
    assert.match(ex.note, /\d+–\d+ defines `render_document_title`/);
    assert.ok(!ex.lines.some(([a, b]) => a <= 1215 && 1215 <= b), JSON.stringify(ex.lines));
    assert.ok(ex.text.length <= 1_500);
  });

  it("sends whole a short function whose lines hold between them more of the task's words than any one line", () => {
    // 300 four-line functions, 40 of them holding two of the task's words on one line; `check_layout`
    // (line 1001) holds three, one a line.
    const { lines, symbols } = functions(300, ['    a = 1', '    return a', '']);
    for (let k = 0; k < 40; k++) lines[4 * k * 7 + 1] = `    a = input_border_${k}`;
    symbols[250] = { name: 'check_layout', kind: 'function', line: 1001, signature: 'def check_layout(opts)' };
    lines.splice(1000, 4, 'def check_layout(opts):', '    a = opts.input', '    b = a.border', '    return b.line');
    const text = lines.join('\n');
    const ex = excerptFile({ text, maxChars: 1_500, weights: weightsOf('apply rule to the input border line'), symbols });
    assert.ok(ex.lines.some(([a, b]) => a <= 1001 && 1004 <= b), JSON.stringify(ex.lines));
    assert.match(ex.note, /\d+–\d+ matches "border", "input", "line"/);
    assert.ok(ex.text.length <= 1_500);
    // Two of the words over its lines are not enough.
    lines[1_003] = '    return b';
    const one = excerptFile({ text: lines.join('\n'), maxChars: 1_500, weights: weightsOf('apply rule to the input border line'), symbols });
    assert.ok(!one.lines.some(([a, b]) => a <= 1002 && 1004 <= b), JSON.stringify(one.lines));
  });

  it('sends the lines using the symbols the file was reached by, before lines matching the task\'s words', () => {
    const { text, symbols } = longFile();
    const lines = text.split('\n');
    // Line 801 calls a symbol defined elsewhere (`render_prompt`); a longer name holding it does not count.
    lines[800] = '    return render_prompt(value)';
    lines[600] = '    return render_prompt_twice(value)';
    const ex = excerptFile({ text: lines.join('\n'), maxChars: 1_200, weights: weightsOf('fish quote'), symbols, uses: ['render_prompt'] });
    assert.ok(ex.lines.some(([a, b]) => a <= 801 && 801 <= b), JSON.stringify(ex.lines));
    assert.ok(!ex.lines.some(([a, b]) => a <= 601 && 601 <= b), JSON.stringify(ex.lines));
    const use = ex.ranges.find((r) => r.from <= 801 && 801 <= r.to)!;
    assert.deepEqual(use.why, ['uses `render_prompt`']);
    assert.match(ex.note, /\d+–\d+ uses `render_prompt`/);
  });

  it('sends a matching line with two lines above it and four below (a change more often follows what matched)', () => {
    const { text, quoteLine } = longFile();
    // quote_fish_argument: its `def` line (1003) holds "quot" and "fish", its return line (1005) "quot" and "fish" as well.
    const ex = excerptFile({ text, maxChars: 900, weights: weightsOf('fish quote'), symbols: [] });
    assert.ok(ex.lines.some(([a, b]) => a === quoteLine - 2 && b === quoteLine + 2 + 4), JSON.stringify(ex.lines));
    assert.ok(!ex.lines.some(([a, b]) => a <= quoteLine - 3 && quoteLine - 3 <= b), JSON.stringify(ex.lines));
  });

  it('sends the lines holding an identifier the task names verbatim first, with the named definitions', () => {
    // 40 lines hold four of the task's words each ("skip", "item", "contain", "export"), earlier in the file than
    // line 1101, the only one holding `FZF_CURRENT_ITEM` (four words too: equal scores go in file order).
    const { text, symbols } = longFile();
    const lines = text.split('\n');
    for (let k = 0; k < 40; k++) lines[20 * k + 9] = `    skip_item_contains_export_${k} = value`;
    lines[1100] = '    env.append("FZF_CURRENT_ITEM=" + value)';
    const task = 'Skip FZF_CURRENT_ITEM export when item contains NUL';
    const req = { text: lines.join('\n'), maxChars: 1_200, weights: weightsOf(task), symbols };
    const ex = excerptFile({ ...req, named: ['FZF_CURRENT_ITEM'] });
    assert.ok(ex.lines.some(([a, b]) => a <= 1101 && 1101 <= b), JSON.stringify(ex.lines));
    assert.ok(ex.ranges.find((r) => r.from <= 1101 && 1101 <= r.to)!.why.includes('names `FZF_CURRENT_ITEM`'));
    assert.ok(ex.text.length <= 1_200);
    // Without it named, the earlier lines take the room.
    const plain = excerptFile(req);
    assert.ok(!plain.lines.some(([a, b]) => a <= 1101 && 1101 <= b), JSON.stringify(plain.lines));
    // A name the task gives that the file defines is sent as its definition, not as a line naming it.
    const own = excerptFile({ ...req, symbols: symbols.map((s) => (s.line === 999 ? { ...s, name: 'FZF_CURRENT_ITEM' } : s)), focus: ['FZF_CURRENT_ITEM'], named: ['FZF_CURRENT_ITEM'] });
    assert.doesNotMatch(own.note, /names `FZF_CURRENT_ITEM`/);
    assert.match(own.note, /999–\d+ defines `FZF_CURRENT_ITEM`/);
  });

  it('does not count the line where the file defines a name of its own as using it', () => {
    // A platform twin: this file defines `render_prompt` itself (line 403), as the file it was reached
    // from does; line 801 calls it.
    const { text, symbols } = longFile();
    const lines = text.split('\n');
    lines[402] = 'def render_prompt(value):';
    lines[800] = '    return render_prompt(value)';
    const own = symbols.map((s) => (s.line === 403 ? { ...s, name: 'render_prompt', signature: 'def render_prompt(value)' } : s));
    assert.ok(own.some((s) => s.name === 'render_prompt'));
    const ex = excerptFile({ text: lines.join('\n'), maxChars: 1_200, weights: new Map(), symbols: own, uses: ['render_prompt'] });
    assert.ok(ex.lines.some(([a, b]) => a <= 801 && 801 <= b), JSON.stringify(ex.lines));
    assert.ok(!ex.lines.some(([a, b]) => a <= 403 && 403 <= b), JSON.stringify(ex.lines));
    assert.doesNotMatch(ex.note, /40\d–40\d uses/);
  });

  it("among lines matching the task's words equally, sends first those naming the file's own matching function", () => {
    // Every function's comment says "terminal"; `query_terminal` (line 1001) is the file's own function
    // named after the word, and line 1103, far below, calls it. The room fits two windows.
    const { lines, symbols } = functions(300, ['    # asks the terminal', '    pass', '']);
    lines[1000] = 'def query_terminal():';
    symbols.find((s) => s.line === 1001)!.name = 'query_terminal';
    lines[1102] = '    reply = query_terminal()';
    const req = { text: lines.join('\n'), maxChars: 300, weights: new Map([['terminal', 1]]), symbols };
    const ex = excerptFile(req);
    assert.ok(ex.lines.some(([a, b]) => a <= 1103 && 1103 <= b), JSON.stringify(ex.lines));
    assert.ok(ex.lines.some(([a, b]) => a <= 1001 && 1001 <= b), JSON.stringify(ex.lines));
    assert.ok(!ex.lines.some(([a, b]) => a <= 6 && 6 <= b), JSON.stringify(ex.lines));
    assert.ok(ex.text.length <= 300);
    // Its reason stays what it matched.
    assert.deepEqual(ex.ranges.find((r) => r.from <= 1103 && 1103 <= r.to)!.why, ['matches "terminal"']);
    // Without that function in the outline, the prose lines come first, in file order.
    const plain = excerptFile({ ...req, symbols: symbols.filter((s) => s.name !== 'query_terminal') });
    assert.ok(plain.lines.some(([a, b]) => a <= 6 && 6 <= b), JSON.stringify(plain.lines));
    assert.ok(!plain.lines.some(([a, b]) => a <= 1103 && 1103 <= b), JSON.stringify(plain.lines));
  });

  it('sends weaker matches with the room the strong ones left', () => {
    const { text, symbols, quoteLine } = longFile();
    const lines = text.split('\n');
    lines[400] = '    return total  # fish';
    // "fish" alone scores under a third of "quote" + "fish" (weights 1 and 3).
    const weights = new Map([['fish', 1], ['quot', 3]]);
    const ex = excerptFile({ text: lines.join('\n'), maxChars: 3_000, weights, symbols });
    assert.ok(ex.lines.some(([a, b]) => a <= quoteLine + 2 && quoteLine + 2 <= b), JSON.stringify(ex.lines));
    assert.ok(ex.lines.some(([a, b]) => a <= 401 && 401 <= b), JSON.stringify(ex.lines));
    const tight = excerptFile({ text: lines.join('\n'), maxChars: 260, weights, symbols: [] });
    assert.ok(tight.lines.some(([a, b]) => a <= quoteLine + 2 && quoteLine + 2 <= b), JSON.stringify(tight.lines));
    assert.ok(!tight.lines.some(([a, b]) => a <= 401 && 401 <= b), JSON.stringify(tight.lines));
  });

  it('sends the head of the file (its imports) before weak matches fill the room', () => {
    // Four import lines, then 300 functions whose comments all say "fish" (weak next to "quote" + "fish").
    const { lines, symbols } = functions(300, ['    # fish', '    pass', '']);
    lines.unshift('import os', 'import shlex', 'from util import helper', '');
    for (const s of symbols) s.line += 4;
    lines[601] = '    return shlex.quote(value)  # fish';
    const weights = new Map([['fish', 1], ['quot', 3]]);
    const ex = excerptFile({ text: lines.join('\n'), maxChars: 3_000, weights, symbols });
    assert.ok(ex.lines.some(([a, b]) => a <= 602 && 602 <= b), JSON.stringify(ex.lines));
    assert.ok(ex.lines.some(([a, b]) => a === 1 && 3 <= b), JSON.stringify(ex.lines));
    assert.ok(ex.ranges[0].why.includes('head'), ex.note);
    // The weak matches still take the rest of the room.
    assert.ok(ex.text.length > 2_500 && ex.text.length <= 3_000, `${ex.text.length}`);
  });

  it('sends a matching comment with the code it describes, down to the end of its block', () => {
    // 300 four-line functions, then `run` (line 1201): a comment naming the task's words (line 1203)
    // over a 14-line block, then a comment at the same indentation starting the next step.
    const { lines, symbols } = functions(300, ['    a = 1', '    return a', '']);
    symbols.push({ name: 'run', kind: 'function', line: 1_201, signature: 'def run(values)' });
    lines.push('def run(values):', '    out = []', '    # Phase 2: quote each fish argument', '    for v in values:');
    for (let k = 0; k < 12; k++) lines.push(`        step_${k} = v + ${k}`);
    lines.push('', '        out.append(step_11)', '    # Phase 3: the rest', '    for v in out:', '        print(v)', '    return out');
    const ex = excerptFile({ text: lines.join('\n'), maxChars: 1_200, weights: weightsOf('quote fish arguments'), symbols });
    const block = ex.ranges.find((r) => r.from <= 1203 && 1203 <= r.to)!;
    assert.ok(block, JSON.stringify(ex.ranges));
    // Down to `out.append` (line 1218, past a blank line inside the block), not into the next step.
    assert.equal(block.to, 1218, JSON.stringify(ex.ranges));
    assert.match(ex.note, /\d+–1218 matches "argument", "fish", "quot"/);
    // A matching line of code keeps two lines above it and four below.
    lines[1_202] = '    # Phase 2';
    lines[1_205] = '        step_1 = quote(fish)';
    const code = excerptFile({ text: lines.join('\n'), maxChars: 1_200, weights: weightsOf('quote fish'), symbols });
    assert.ok(code.lines.some(([a, b]) => a === 1204 && b === 1210), JSON.stringify(code.lines));
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
    assert.match(long.note!, /^excerpts of 1202 lines: /);
    // The rest of the budget, to the character.
    assert.equal(sel.text.length, 6_000 - short.text.length - long.text.length);
    assert.match(sel.note!, /^first \d+ of 5000 characters; selection$/);
    assert.equal(packed.chars, 6_000);
  });

  it('leaves the next ranked files room of their own: one long file does not take the whole budget', async () => {
    const { text, symbols } = longFile();
    const others = ['a.py', 'b.py', 'c.py'].map((path) => ({ path, text: `${'# fish quote\n'.repeat(300)}`, reason: 'matches "fish"', share: 20_000 }));
    const packed = await packContext([{ path: 'long.py', text, reason: 'matches "fish"', share: 20_000 }, ...others], 8_000, {
      weights: weightsOf('fish quote'),
      symbolsOf: async (p) => (p === 'long.py' ? symbols : undefined),
    });
    assert.deepEqual(packed.files.map((f) => f.path), ['long.py', 'a.py', 'b.py', 'c.py']);
    assert.deepEqual(packed.skipped, []);
    assert.ok(packed.chars <= 8_000);
  });

  it('does not send a ranked long file in less than 4,000 characters of a large budget, and still does in a small one or for a part the user chose', async () => {
    // A whole file leaves 3,500 characters: a sliver of a long file within 60,000, a fair part of 8,000.
    const { text, symbols } = longFile();
    const packWith = (budget: number) =>
      packContext(
        [
          { path: 'whole.py', text: 'x'.repeat(budget - 3_500), reason: 'named in the task' },
          { path: 'long.py', text, reason: 'matches "fish"', share: 20_000 },
        ],
        budget,
        { weights: weightsOf('fish quote'), symbolsOf: async () => symbols },
      );
    const large = await packWith(60_000);
    assert.deepEqual(large.files.map((f) => f.path), ['whole.py']);
    assert.deepEqual(large.skipped, ['long.py']);
    const small = await packWith(8_000);
    assert.deepEqual(small.files.map((f) => f.path), ['whole.py', 'long.py']);
    assert.ok(small.files[1].lines && small.chars <= 8_000, JSON.stringify(small.files[1].lines));
    assert.deepEqual(small.skipped, []);
    // A part the user chose (a selection) is still sent in that room.
    const chosen = await packContext(
      [
        { path: 'whole.py', text: 'x'.repeat(60_000 - 3_500), reason: 'named in the task' },
        { path: 'sel.py', text: 'y'.repeat(5_000), reason: 'open', note: 'selection' },
      ],
      60_000,
      { weights: weightsOf('fish quote') },
    );
    assert.deepEqual(chosen.files.map((f) => [f.path, f.text.length]), [['whole.py', 56_500], ['sel.py', 3_500]]);
  });

  it('places the files ranked after a long one before that one takes its whole share, then grows it back with what is left', async () => {
    // Two long files whose every function says "fish" in a comment: the first alone would fill its share.
    const fishy = (tag: string) => Array.from({ length: 400 }, (_, i) => `def ${tag}_${i}():\n    # fish ${i}\n    return ${i}\n`).join('\n');
    const opts = { weights: weightsOf('fish') };
    const [first, second] = (
      await packContext(
        [
          { path: 'a.py', text: fishy('a'), reason: 'matches "fish"', share: 4_000 },
          { path: 'b.py', text: fishy('b'), reason: 'matches "fish"', share: 4_000 },
        ],
        6_000,
        opts,
      )
    ).files;
    // The second file gets more than the 2,000 characters the first one's whole share would leave it.
    assert.ok(second.text.length > 2_500, `${first.text.length} ${second.text.length}`);
    assert.ok(first.text.length >= 2_500 && first.text.length + second.text.length <= 6_000, `${first.text.length} ${second.text.length}`);
    // Alone, the file grows back to the excerpt its whole share holds (and the room left widens it).
    const alone = excerptFile({ text: fishy('a'), maxChars: 4_000, ...opts });
    const [grown] = (await packContext([{ path: 'a.py', text: fishy('a'), reason: 'matches "fish"', share: 4_000 }], 4_100, opts)).files;
    assert.ok(grown.text.length >= alone.text.length && grown.text.length <= 4_100, `${grown.text.length} ${alone.text.length}`);
    for (const [a, b] of alone.lines) assert.ok(grown.lines!.some(([x, y]) => x <= a && b <= y), `${a}–${b} not in ${JSON.stringify(grown.lines)}`);
  });

  it('pays for the outline only from the room the strong regions leave: a tight excerpt keeps its match', () => {
    // 200 short functions; line 1001 (in the middle of a long one) matches. Its window of 7 lines of 100
    // characters fits 800 characters, but not with the outline's share taken first.
    const { lines, symbols } = functions(200, ['    pass', '', '']);
    while (lines.length < 1_100) lines.push(`    x = ${'y'.repeat(90)}`);
    lines[1000] = `    return fish_quote(${'z'.repeat(80)})`;
    const ex = excerptFile({ text: lines.join('\n'), maxChars: 800, weights: weightsOf('fish quote'), symbols });
    assert.ok(ex.lines.some(([a, b]) => a <= 1001 && 1001 <= b), JSON.stringify(ex.lines));
    assert.ok(ex.text.length <= 800);
    // With room, the outline still comes first.
    const roomy = excerptFile({ text: lines.join('\n'), maxChars: 3_000, weights: weightsOf('fish quote'), symbols });
    assert.ok(roomy.text.startsWith('outline:\n  1: def f0()\n'));
  });

  it('widens its windows with the room it is given: up to the enclosing definition, then lines on each side', () => {
    // A 40-line function (line 501) whose line 519 matches; nothing else does. Rounds alone would widen its
    // window (517–523) to 505 above.
    const { lines, symbols } = functions(125, ['    a = 1', '    b = 2', '    return a + b']);
    symbols.push({ name: 'long_one', kind: 'function', line: 501, signature: 'def long_one()' });
    lines.push('def long_one():');
    for (let i = 0; i < 40; i++) lines.push(i === 17 ? '    return fish_quote(v)' : `    v = v + ${i}`);
    const text = lines.join('\n');
    const req = { text, maxChars: 2_000, weights: weightsOf('fish quote'), symbols };
    const plain = excerptFile(req);
    const window = plain.ranges.find((r) => r.from <= 519 && 519 <= r.to)!;
    assert.deepEqual([window.from, window.to], [517, 523]);
    const wide = excerptFile({ ...req, widenTo: 4_000 });
    const grown = wide.ranges.find((r) => r.from <= 519 && 519 <= r.to)!;
    assert.ok(grown.from <= 501, JSON.stringify(wide.ranges));
    assert.ok(grown.to >= 523 + 9, JSON.stringify(wide.ranges));
    assert.ok(wide.text.length > plain.text.length && wide.text.length <= 4_000);
    assert.ok(wide.text.includes('def long_one():\n'));
    // The same regions, widened: the reasons stay.
    assert.ok(grown.why.some((w) => w.startsWith('matches')), JSON.stringify(grown.why));
  });

  it('spends the budget the files left on widening the excerpts\' windows, within the budget', async () => {
    const { text, symbols, quoteLine } = longFile();
    const alone = excerptFile({ text, maxChars: 2_000, weights: weightsOf('fish quote'), symbols });
    const packed = await packContext([{ path: 'long.py', text, reason: 'matches "fish"', share: 2_000 }], 5_000, {
      weights: weightsOf('fish quote'),
      symbolsOf: async () => symbols,
    });
    const [long] = packed.files;
    assert.ok(long.text.length > alone.text.length && packed.chars <= 5_000, `${long.text.length} ${alone.text.length}`);
    const wide = long.lines!.find(([a, b]) => a <= quoteLine + 2 && quoteLine + 2 <= b)!;
    const narrow = alone.lines.find(([a, b]) => a <= quoteLine + 2 && quoteLine + 2 <= b)!;
    assert.ok(wide[1] - wide[0] > narrow[1] - narrow[0], `${wide} ${narrow}`);
    assert.equal(packed.chars, long.text.length);
  });
});
