import assert from 'node:assert/strict';
import { capContext, describeContext } from '../../../../src/core/context/capContext';

describe('capContext', () => {
  it('keeps files in priority order while they fit', () => {
    const r = capContext(
      [
        { path: 'a.ts', text: 'a'.repeat(100) },
        { path: 'b.ts', text: 'b'.repeat(100) },
      ],
      1000,
    );
    assert.deepEqual(r.files.map((f) => f.path), ['a.ts', 'b.ts']);
    assert.equal(r.chars, 200);
    assert.deepEqual(r.skipped, []);
  });

  it('cuts the first file that does not fit to a prefix and says so, and skips the rest', () => {
    const r = capContext(
      [
        { path: 'a.ts', text: 'a'.repeat(3000) },
        { path: 'big.ts', text: 'b'.repeat(10_000) },
        { path: 'c.ts', text: 'c'.repeat(10) },
      ],
      6000,
    );
    assert.equal(r.files[1].path, 'big.ts');
    assert.equal(r.files[1].text.length, 3000);
    assert.match(r.files[1].note ?? '', /first 3000 of 10000 characters/);
    assert.equal(r.chars, 6000);
    assert.deepEqual(r.skipped, ['c.ts']);
    assert.match(describeContext(r), /left out \(size cap\): c\.ts/);
  });

  it('never exceeds the cap, and drops a file rather than send a useless sliver', () => {
    const r = capContext(
      [
        { path: 'a.ts', text: 'a'.repeat(5000) },
        { path: 'b.ts', text: 'b'.repeat(5000) },
      ],
      5500,
    );
    assert.equal(r.chars, 5000);
    assert.deepEqual(r.skipped, ['b.ts']);
  });

  it('sends a selection and its whole file once each, and the same file only once', () => {
    const r = capContext(
      [
        { path: 'a.ts', text: 'x', note: 'selection, lines 1-1' },
        { path: 'a.ts', text: 'xyz' },
        { path: 'a.ts', text: 'xyz' },
      ],
      100,
    );
    assert.equal(r.files.length, 2);
    assert.equal(describeContext(r), 'a.ts (selection, lines 1-1), a.ts');
  });

  it('with a zero cap sends nothing and lists everything as left out', () => {
    const r = capContext([{ path: 'a.ts', text: 'abc' }], 0);
    assert.deepEqual(r.files, []);
    assert.deepEqual(r.skipped, ['a.ts']);
  });
});
