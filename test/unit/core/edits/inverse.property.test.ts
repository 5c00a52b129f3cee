import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseEditBlocks, planFileEdits, type EditBlock } from '../../../../src/core/edits';
import { blk } from '../../../support/editCases';

// A file made of segments; some segments are edited. Line prefixes (L3:, R7:) keep every line unique,
// so each SEARCH matches exactly one place before and after the edit.
const indent = fc.constantFrom('', '  ', '    ', '\t', '\t\t');
const body = fc.string({ unit: fc.constantFrom(...'ab xy(){};=+-'.split('')), maxLength: 16 });
const lineParts = fc.array(fc.tuple(indent, body), { minLength: 1, maxLength: 4 });
const segment = fc.record({ lines: lineParts, edit: fc.option(lineParts, { nil: undefined }) });
const fileShape = fc.record({
  segments: fc.array(segment, { minLength: 1, maxLength: 8 }),
  eol: fc.constantFrom('\n', '\r\n'),
  finalNewline: fc.boolean(),
  reverse: fc.boolean(),
});

type FileShape = typeof fileShape extends fc.Arbitrary<infer T> ? T : never;

function build(shape: FileShape) {
  let l = 0;
  let r = 0;
  const fileLines: string[] = [];
  const edits: Array<{ search: string[]; replace: string[] }> = [];
  for (const s of shape.segments) {
    const lines = s.lines.map(([i, b]) => `${i}L${l++}:${b}`);
    fileLines.push(...lines);
    if (s.edit) edits.push({ search: lines, replace: s.edit.map(([i, b]) => `${i}R${r++}:${b}`) });
  }
  const text = fileLines.join(shape.eol) + (shape.finalNewline ? shape.eol : '');
  const part = (ls: string[]) => ls.map((x) => x + '\n').join('');
  let blocks: EditBlock[] = edits.map((e, k) => ({ path: 'f.txt', search: part(e.search), replace: part(e.replace), kind: 'replace', ordinal: k }));
  if (shape.reverse) blocks = blocks.slice().reverse();
  return { text, blocks };
}

describe('edits: property — applying random edits and then their inverses restores the text', () => {
  it('inverse blocks (SEARCH and REPLACE swapped) give back the original, line endings and final newline included', () => {
    fc.assert(
      fc.property(fileShape, (shape) => {
        const { text, blocks } = build(shape);
        fc.pre(blocks.length > 0);
        const forward = planFileEdits('f.txt', blocks, text);
        assert.equal(forward.status, 'proposed', forward.reason ?? '');
        assert.notEqual(forward.proposed, text);
        // A one-line file without a final newline carries no line-ending convention to restore.
        fc.pre(shape.eol === '\n' || forward.proposed!.includes('\n'));
        const inverse = blocks.map((b) => ({ ...b, search: b.replace, replace: b.search }));
        const back = planFileEdits('f.txt', inverse, forward.proposed);
        assert.equal(back.status, 'proposed', back.reason ?? '');
        assert.equal(back.proposed, text);
      }),
      { numRuns: 300 },
    );
  });

  it('a block written in the format parses back to the same SEARCH and REPLACE', () => {
    fc.assert(
      fc.property(lineParts, lineParts, (s, r) => {
        const search = s.map(([i, b]) => `${i}${b}\n`).join('');
        const replace = r.map(([i, b]) => `${i}${b}\n`).join('');
        // Lines that are themselves markers are covered by the table cases, not by this property.
        fc.pre(![...s, ...r].some(([, b]) => /^\s*={5,9}\s*$/.test(b)));
        const parsed = parseEditBlocks(`Some prose.\n\n${blk('dir/file.ts', search, replace)}\nMore prose.\n`);
        assert.deepEqual(parsed.errors, []);
        assert.equal(parsed.blocks.length, 1);
        assert.equal(parsed.blocks[0].path, 'dir/file.ts');
        assert.equal(parsed.blocks[0].search, search);
        assert.equal(parsed.blocks[0].replace, replace);
      }),
      { numRuns: 200 },
    );
  });
});
