import assert from 'node:assert/strict';
import { BIAS, DIMENSIONS, WORD_BUCKETS, featureValues, languageOf, sizeBucket, taskFeatures, type TaskSignals } from '../../../../../src/core/policies/learned/features';

const base: TaskSignals = { request: 'Fix the date parser in utils', kind: 'coding', contextPaths: ['src/utils.py'], contextChars: 1200, check: 'exists' };

describe('learned features', () => {
  it('are sorted, distinct bucket numbers with the bias, words under 2^12 and signals above', () => {
    const f = taskFeatures(base);
    assert.deepEqual(f, [...new Set(f)].sort((a, b) => a - b));
    assert.ok(f.includes(BIAS));
    assert.ok(f.every((i) => Number.isInteger(i) && i >= 0 && i < DIMENSIONS));
    // 6 words + 5 bigrams at most (a collision may merge two), 6 signals, the bias.
    const words = f.filter((i) => i < WORD_BUCKETS).length;
    assert.ok(words >= 9 && words <= 11, `${words} word buckets`);
    assert.equal(f.filter((i) => i >= WORD_BUCKETS && i < BIAS).length, 6);
  });

  it('are the same for the same task (hashing is stable), and keep nothing of the text', () => {
    assert.deepEqual(taskFeatures(base), taskFeatures({ ...base }));
    assert.equal(JSON.stringify(taskFeatures(base)).includes('parser'), false);
  });

  it('tell the languages of the context files, the kind, the check and the sizes apart', () => {
    const f = taskFeatures(base);
    for (const other of [
      { contextPaths: ['src/utils.js'] },
      { kind: 'question' as const },
      { check: 'none' as const },
      { contextChars: 50_000 },
      { request: `${base.request} ${'and more words '.repeat(40)}` },
      { request: 'Fix the date parser in utils.py' },
    ]) {
      const g = taskFeatures({ ...base, ...other });
      const signals = (x: number[]) => x.filter((i) => i >= WORD_BUCKETS);
      assert.notDeepEqual(signals(g), signals(f), JSON.stringify(other));
    }
  });

  it('word order matters through bigrams; case does not', () => {
    const a = taskFeatures({ ...base, request: 'parser fix' });
    const b = taskFeatures({ ...base, request: 'fix parser' });
    assert.notDeepEqual(a, b);
    assert.deepEqual(taskFeatures({ ...base, request: 'FIX Parser' }), b);
  });

  it('words share a unit norm; signals and the bias count 1', () => {
    const f = taskFeatures(base);
    const x = featureValues(f);
    const wordNorm = f.reduce((s, i, k) => s + (i < WORD_BUCKETS ? x[k] * x[k] : 0), 0);
    assert.ok(Math.abs(wordNorm - 1) < 1e-9);
    assert.equal(x[f.indexOf(BIAS)], 1);
  });

  it('sizes double per bucket; languages come from extensions', () => {
    assert.deepEqual([0, 63, 64, 128, 1000, 1e9].map(sizeBucket), [0, 0, 1, 2, 4, 9]);
    assert.equal(languageOf('a/b/c.PY'), 'python');
    assert.equal(languageOf('a.tsx'), 'typescript');
    assert.equal(languageOf('Makefile'), null);
    assert.equal(languageOf('dir.v2/README'), null);
  });

  it('a huge pasted request is read only in part (bounded time)', () => {
    const f = taskFeatures({ ...base, request: 'x'.repeat(2_000_000) + '.py' });
    assert.ok(f.length < 20);
  });
});
