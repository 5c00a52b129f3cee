import assert from 'node:assert/strict';
import { buildRepairPrompt, EDIT_FORMAT_INSTRUCTIONS, mergeRepair, planFileEdits } from '../../../../src/core/edits';

const b = (path: string, search: string, replace: string, ordinal = 0) => ({ path, search, replace, kind: 'replace' as const, ordinal });

describe('buildRepairPrompt and mergeRepair', () => {
  it('lists each failure and shows a small file whole, with line numbers', () => {
    const text = 'alpha\nbeta\ngamma\n';
    const failed = planFileEdits('s.txt', [b('s.txt', 'alpha\n', 'A\n', 0), b('s.txt', 'delta\n', 'D\n', 1)], text);
    const prompt = buildRepairPrompt([failed], () => text);
    assert.match(prompt, /## s\.txt/);
    assert.match(prompt, /Block #2 for s\.txt: the SEARCH text was not found/);
    assert.match(prompt, /1 \| alpha\n2 \| beta\n3 \| gamma/);
    assert.match(prompt, /for that file/);
    assert.ok(prompt.includes(EDIT_FORMAT_INSTRUCTIONS));
  });

  it('shows a window around the closest candidate of a large file, not the whole file', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `row ${i} value ${i * 7}`);
    lines[500] = 'the special marker line used by this test';
    const text = lines.join('\n') + '\n';
    const failed = planFileEdits('big.txt', [b('big.txt', 'the special marker line used by that test\nsomething else entirely here\n', 'x\n')], text);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.failures[0].closest?.line, 501);
    const prompt = buildRepairPrompt([failed], () => text);
    assert.match(prompt, /\n 501 \| the special marker line used by this test\n/);
    assert.match(prompt, /\n 471 \| /);
    assert.doesNotMatch(prompt, /\n {3}1 \| row 0 value 0\n/);
    assert.doesNotMatch(prompt, /\n 900 \| /);
  });

  it('says when a file does not exist, and skips plans that did not fail', () => {
    const missing = planFileEdits('gone.ts', [b('gone.ts', 'x\n', 'y\n')], null);
    const fine = planFileEdits('ok.ts', [b('ok.ts', 'x\n', 'y\n')], 'x\n');
    const prompt = buildRepairPrompt([missing, fine], () => null);
    assert.match(prompt, /gone\.ts does not exist/);
    assert.doesNotMatch(prompt, /## ok\.ts/);
  });

  it('mergeRepair replaces only failed plans that the repair covered', () => {
    const good = planFileEdits('a.ts', [b('a.ts', 'x\n', 'y\n')], 'x\n');
    const bad = planFileEdits('b.ts', [b('b.ts', 'nope\n', 'y\n')], 'x\n');
    const stillBad = planFileEdits('c.ts', [b('c.ts', 'nope\n', 'y\n')], 'x\n');
    const fixed = planFileEdits('b.ts', [b('b.ts', 'x\n', 'z\n')], 'x\n');
    const sneaky = planFileEdits('a.ts', [b('a.ts', 'x\n', 'EVIL\n')], 'x\n');
    const merged = mergeRepair([good, bad, stillBad], [fixed, sneaky]);
    assert.deepEqual(merged.map((p) => [p.path, p.status, p.proposed]), [
      ['a.ts', 'proposed', 'y\n'],
      ['b.ts', 'proposed', 'z\n'],
      ['c.ts', 'failed', null],
    ]);
  });
});
