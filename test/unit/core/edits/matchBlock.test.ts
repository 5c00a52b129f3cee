import assert from 'node:assert/strict';
import { joinText, matchBlock, splitText } from '../../../../src/core/edits';
import { spliceLines } from '../../../../src/core/edits/textLines';

function apply(text: string, search: string, replace: string): string {
  const doc = splitText(text);
  const r = matchBlock(doc, search, replace);
  if (!r.ok) throw new Error(r.reason);
  spliceLines(doc, r.start, r.end, r.lines);
  return joinText(doc);
}

describe('matchBlock', () => {
  it('prefers an exact match over a looser one elsewhere', () => {
    const doc = splitText('  foo();\nfoo();\n');
    const r = matchBlock(doc, 'foo();\n', 'bar();\n');
    assert.ok(r.ok);
    assert.equal(r.tier, 'exact');
    assert.equal(r.start, 1);
  });

  it('lists at most five places for a snippet repeated many times', () => {
    const r = matchBlock(splitText('x\n'.repeat(8)), 'x\n', 'y\n');
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.kind === 'ambiguous' && r.reason.includes('matches 8 places (lines 1, 2, 3, 4, 5, ...)'));
  });

  it('keeps a mixed-ending file\'s untouched lines as they were', () => {
    assert.equal(apply('a\r\nb\nc\r\n', 'c\n', 'C\n'), 'a\r\nb\nC\r\n');
  });

  it('deleting the last line of a file without a final newline leaves none', () => {
    assert.equal(apply('a\nb\nc', 'c\n', ''), 'a\nb');
  });

  it('re-indents a replacement with a deeper nested line', () => {
    const file = 'class A {\n\tm() {\n\t\treturn 1;\n\t}\n}\n';
    const out = apply(file, 'm() {\n  return 1;\n}\n', 'm() {\n  if (x) {\n    return 2;\n  }\n  return 1;\n}\n');
    assert.equal(out, 'class A {\n\tm() {\n\t\tif (x) {\n\t\t\treturn 2;\n\t\t}\n\t\treturn 1;\n\t}\n}\n');
  });

  it('a missing SEARCH reports the closest candidate with its 1-based line and text', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `const value${i} = compute(${i});`);
    lines[30] = 'const total = items.reduce((a, b) => a + b, 0);';
    lines[31] = 'console.log("total", total);';
    const r = matchBlock(splitText(lines.join('\n') + '\n'), 'const total = items.reduce((sum, item) => sum + item.size, 0);\nconsole.log("sum is", total);\n', '');
    assert.ok(!r.ok);
    assert.equal(r.kind, 'missing');
    assert.equal(r.closest?.line, 31);
    assert.ok(r.closest!.text.startsWith('const total = items.reduce'));
    assert.ok(r.closest!.similarity > 0.6 && r.closest!.similarity < 0.85, String(r.closest!.similarity));
  });

  it('finds a fuzzy match with no verbatim anchor line by scanning', () => {
    const file = 'alpha();\nfunction computeTotal(a, b) {\n  return a + b;\n}\nomega();\n';
    const r = matchBlock(splitText(file), 'function computeTotal(a, c) {\n  return a + c;\n}\n', 'function computeTotal(a, b) {\n  return b + a;\n}\n');
    assert.ok(r.ok, !r.ok ? r.reason : '');
    assert.equal(r.tier, 'fuzzy');
    assert.equal(r.start, 1);
  });

  it('refuses a SEARCH made only of blank lines', () => {
    const r = matchBlock(splitText('a\n\nb\n'), '\n\n', 'x\n');
    assert.ok(!r.ok && /only blank lines/.test(r.reason));
  });

  it('gives up cleanly on a hopeless block in a large file', () => {
    const big = Array.from({ length: 5000 }, (_, i) => `line number ${i} with some text`).join('\n');
    const r = matchBlock(splitText(big), 'completely different\nnothing like it at all\n', 'x\n');
    assert.equal(r.ok, false);
  });
});
