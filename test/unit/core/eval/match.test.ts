import assert from 'node:assert/strict';
import { matchAnswer } from '../../../../src/core/eval/match';

describe('eval answer matching', () => {
  it('exact: the whole answer or its last line, ignoring case, emphasis and a final period', () => {
    assert.ok(matchAnswer('Canberra', 'Canberra', 'exact'));
    assert.ok(matchAnswer('The capital is not Sydney.\n\n**Answer: canberra.**', 'Canberra', 'exact'));
    assert.ok(!matchAnswer('Canberra or Sydney', 'Canberra', 'exact'));
  });

  it('number: the last number written, with thousands separators', () => {
    assert.ok(matchAnswer('17 * 23 = 391', '391', 'number'));
    assert.ok(matchAnswer('About 1,234.5 in total', '1234.5', 'number'));
    assert.ok(!matchAnswer('391 is wrong; it is 381', '391', 'number'));
    assert.ok(!matchAnswer('no number here', '3', 'number'));
  });

  it('choice: the labelled letter, else the last standalone one', () => {
    assert.ok(matchAnswer('A is slow, so the answer is B.', 'B', 'choice'));
    assert.ok(matchAnswer('Answer: (c)', 'C', 'choice'));
    assert.ok(!matchAnswer('Answer: D', 'B', 'choice'));
  });

  it('regex: anywhere in the answer, case-insensitive', () => {
    assert.ok(matchAnswer('It is 404 Not Found.', '\\b404\\b', 'regex'));
    assert.ok(!matchAnswer('It is 4040.', '\\b404\\b', 'regex'));
  });
});
