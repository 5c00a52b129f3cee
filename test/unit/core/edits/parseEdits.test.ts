import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseEditBlocks } from '../../../../src/core/edits';
import { blk } from '../../../support/editCases';

describe('parseEditBlocks', () => {
  it('numbers blocks in answer order and keeps SEARCH/REPLACE as newline-terminated lines', () => {
    const { blocks, errors } = parseEditBlocks(blk('a.ts', 'x\n', 'y\n') + 'prose\n' + blk('b.ts', '', 'new\n'));
    assert.deepEqual(errors, []);
    assert.deepEqual(
      blocks.map((b) => [b.ordinal, b.path, b.search, b.replace, b.kind]),
      [
        [0, 'a.ts', 'x\n', 'y\n', 'replace'],
        [1, 'b.ts', '', 'new\n', 'replace'],
      ],
    );
  });

  it('reads tilde fences and a "File:" label', () => {
    const { blocks } = parseEditBlocks('File: src/z.py\n~~~python\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n~~~\n');
    assert.equal(blocks[0].path, 'src/z.py');
  });

  it('does not take a sentence for a path, and then reports the block as unnamed', () => {
    const { blocks, errors } = parseEditBlocks('Change it as follows, e.g.\n```\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```\n');
    assert.equal(blocks.length, 0);
    assert.match(errors[0], /does not name a file/);
  });

  it('a block with no ======= line is an error naming its line in the answer', () => {
    const { blocks, errors } = parseEditBlocks('x.ts\n```\n<<<<<<< SEARCH\na\n>>>>>>> REPLACE\n```\n');
    assert.equal(blocks.length, 0);
    assert.match(errors[0], /line 3 of the answer has no "=======" line/);
  });

  it('an answer cut off inside a block reports it and keeps the blocks before it', () => {
    const { blocks, errors } = parseEditBlocks(blk('a.ts', 'x\n', 'y\n') + 'b.ts\n```\n<<<<<<< SEARCH\nold\n=======\nnew par');
    assert.equal(blocks.length, 1);
    assert.match(errors[0], /no closing ">>>>>>> REPLACE"/);
  });

  it('several ======= lines give alternative splits, the middle one first', () => {
    const { blocks } = parseEditBlocks(blk('r.md', 'T\n=======\nold\n', 'T\n=======\nnew\n', 'md'));
    assert.equal(blocks[0].search, 'T\n=======\nold\n');
    assert.equal(blocks[0].replace, 'T\n=======\nnew\n');
    assert.equal(blocks[0].altSplits?.length, 2);
  });

  it('a DELETE FILE line needs its own path; it never inherits the previous one', () => {
    const { blocks, errors } = parseEditBlocks(blk('a.ts', 'x\n', 'y\n') + '\n```\nDELETE FILE\n```\n');
    assert.deepEqual(blocks.map((b) => b.kind), ['replace']);
    assert.match(errors[0], /DELETE FILE.*does not name a file/);
  });

  it('reads a deletion with the path inside the fence', () => {
    const { blocks } = parseEditBlocks('```\nold/thing.js\nDELETE FILE\n```\n');
    assert.deepEqual(blocks.map((b) => [b.path, b.kind]), [['old/thing.js', 'delete']]);
  });

  it('keeps SEARCH/REPLACE markers indented in a list item, and CR-only line endings', () => {
    const text = '1. Update `a.ts`:\r   <<<<<<< SEARCH\r   x\r   =======\r   y\r   >>>>>>> REPLACE\r';
    const { blocks, errors } = parseEditBlocks(text);
    assert.deepEqual(errors, []);
    assert.equal(blocks[0].path, 'a.ts');
    assert.equal(blocks[0].search, '   x\n');
  });

  it('returns nothing for an answer without blocks', () => {
    assert.deepEqual(parseEditBlocks('All done, no changes needed.'), { blocks: [], errors: [] });
  });

  describe('where the file name is written', () => {
    const body = '<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n';
    const placements: [string, string, string][] = [
      ['alone in its own fence right before the block', '```\nsrc/a.ts\n```\n\n```ts\n' + body + '```\n', 'src/a.ts'],
      ['as a markdown heading', '## src/a.ts\n\n```ts\n' + body + '```\n', 'src/a.ts'],
      ['as a heading with a label', '### File: `src/a.ts`\n```ts\n' + body + '```\n', 'src/a.ts'],
      ['in bold with the label outside', '**File:** `src/a.ts`\n```ts\n' + body + '```\n', 'src/a.ts'],
      ['in bold with the label inside', '**File: src/a.ts**\n```ts\n' + body + '```\n', 'src/a.ts'],
      ['in backticks in a list item', '- `src/a.ts`\n```ts\n' + body + '```\n', 'src/a.ts'],
      ['as a // comment on the fence\'s first line', '```ts\n// src/a.ts\n' + body + '```\n', 'src/a.ts'],
      ['as a // File: comment', '```ts\n// File: src/a.ts\n' + body + '```\n', 'src/a.ts'],
      ['as a # comment', '```python\n# app/main.py\n' + body + '```\n', 'app/main.py'],
      ['as a /* */ comment', '```css\n/* web/site.css */\n' + body + '```\n', 'web/site.css'],
      ['inside the fence with a blank line before SEARCH', '```ts\nsrc/a.ts\n\n' + body + '```\n', 'src/a.ts'],
      ['with a "New file:" label', 'New file: src/new.ts\n```ts\n' + body + '```\n', 'src/new.ts'],
      ['with a trailing "- updated" note', 'src/a.ts - updated\n```ts\n' + body + '```\n', 'src/a.ts'],
      ['in a fence titled with title=', '```ts title="src/a.ts"\n' + body + '```\n', 'src/a.ts'],
    ];
    for (const [where, text, want] of placements) {
      it(where, () => {
        const { blocks, errors } = parseEditBlocks(text);
        assert.deepEqual(errors, []);
        assert.deepEqual(blocks.map((b) => b.path), [want]);
      });
    }

    it('any placement names any plain path, and two placements of one path agree (property)', () => {
      const segment = fc.stringMatching(/^[a-z][a-z0-9_-]{0,7}$/);
      const file = fc.tuple(fc.array(segment, { maxLength: 3 }), segment, fc.constantFrom('ts', 'py', 'md', 'json', 'go')).map(([dirs, name, ext]) => [...dirs, `${name}.${ext}`].join('/'));
      // Each writes the name somewhere around a fence: [above the fence, fence info, first line inside].
      const styles: ((p: string) => [string, string, string])[] = [
        (p) => [`${p}\n`, 'ts', ''],
        (p) => [`### ${p}\n\n`, 'ts', ''],
        (p) => [`**${p}**\n`, 'ts', ''],
        (p) => [`\`${p}\`:\n`, 'ts', ''],
        (p) => [`File: ${p}\n`, '', ''],
        (p) => [`\`\`\`\n${p}\n\`\`\`\n`, 'ts', ''],
        (p) => ['', `ts:${p}`, ''],
        (p) => ['', 'ts', `${p}\n`],
        (p) => ['', 'ts', `// ${p}\n`],
        (p) => ['', 'python', `# ${p}\n`],
      ];
      fc.assert(
        fc.property(file, fc.nat(styles.length - 1), fc.nat(styles.length - 1), (path, a, b) => {
          const [aboveA, infoA, insideA] = styles[a](path);
          const [aboveB, infoB, insideB] = styles[b](path);
          // Combine two placements where they do not share a slot; otherwise use the first alone.
          const clash = (aboveA && aboveB) || (infoA.includes(':') && infoB.includes(':')) || (insideA && insideB);
          const above = clash ? aboveA : aboveA || aboveB;
          const info = clash ? infoA : infoA.includes(':') ? infoA : infoB.includes(':') ? infoB : infoA || infoB;
          const inside = clash ? insideA : insideA || insideB;
          const { blocks, errors } = parseEditBlocks(`${above}\`\`\`${info}\n${inside}${body}\`\`\`\n`);
          assert.deepEqual(errors, []);
          assert.deepEqual(blocks.map((x) => x.path), [path]);
        }),
        { numRuns: 300 },
      );
    });

    it('a second block in the same fence keeps the first block\'s file', () => {
      const { blocks } = parseEditBlocks('```python\ntests/t.py\n' + body + '\n' + body + '```\n');
      assert.deepEqual(blocks.map((b) => b.path), ['tests/t.py', 'tests/t.py']);
    });

    it('a one-line fence that is code, not a name, does not name the next block', () => {
      const { blocks, errors } = parseEditBlocks('Run this:\n```\nnpm test\n```\n```ts\n' + body + '```\n');
      assert.equal(blocks.length, 0);
      assert.match(errors[0], /does not name a file/);
    });

    it('two different names for one block are refused with both names, not guessed', () => {
      const fenceAndAbove = parseEditBlocks('src/a.ts\n```ts:src/b.ts\n' + body + '```\n');
      assert.deepEqual(fenceAndAbove.blocks, []);
      assert.match(fenceAndAbove.errors[0], /line 3 of the answer names different files \(src\/b\.ts and src\/a\.ts\)/);
      const nameFenceAndComment = parseEditBlocks('```\nsrc/a.ts\n```\n```ts\n// lib/a.ts\n' + body + '```\n');
      assert.deepEqual(nameFenceAndComment.blocks, []);
      assert.match(nameFenceAndComment.errors[0], /names different files \(lib\/a\.ts and src\/a\.ts\)/);
    });

    it('prose that mentions several files does not pick one of them', () => {
      const { blocks, errors } = parseEditBlocks('Move the parsing from `config.json` into `src/a.ts`:\n```ts\n' + body + '```\n');
      assert.deepEqual(blocks, []);
      assert.match(errors[0], /names several files \(config\.json, src\/a\.ts\)/);
    });

    it('an exact name wins over prose that mentions another file', () => {
      const { blocks, errors } = parseEditBlocks('Now the helper that `main.ts` calls:\n```ts\n// src/helper.ts\n' + body + '```\n');
      assert.deepEqual(errors, []);
      assert.deepEqual(blocks.map((b) => b.path), ['src/helper.ts']);
    });

    it('a deletion whose names disagree is refused', () => {
      const { blocks, errors } = parseEditBlocks('old/a.js\n```\nold/b.js\nDELETE FILE\n```\n');
      assert.deepEqual(blocks, []);
      assert.match(errors[0], /^The "DELETE FILE" at line 4 of the answer names different files \(old\/b\.js and old\/a\.js\)/);
    });
  });
});
