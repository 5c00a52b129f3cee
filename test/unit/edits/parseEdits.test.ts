import assert from 'node:assert/strict';
import { parseEditBlocks } from '../../../src/core/edits';
import { blk } from './editCases';

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
});
