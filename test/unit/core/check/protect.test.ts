import assert from 'node:assert/strict';
import { filesNamedBy, protectedMatcher } from '../../../../src/core/check/protect';

describe('eval protected files', () => {
  const files = ['src/value.js', 'value.test.js', 'tests/test_x.py', 'test/helper.js', 'lib/a_test.go', 'web/b.spec.ts', 'check.sh', 'testing.md'];

  it('by default: test folders, *_test.*, *.test.*, *.spec.* anywhere, and the files the check names', () => {
    const isProtected = protectedMatcher(undefined, 'sh ./check.sh && node --test', files);
    assert.deepEqual(files.filter(isProtected), ['value.test.js', 'tests/test_x.py', 'test/helper.js', 'lib/a_test.go', 'web/b.spec.ts', 'check.sh']);
    assert.equal(isProtected('pkg/test/new_fixture.json'), true, 'a new file in a test folder');
  });

  it('a task`s own globs replace the defaults; [] protects nothing', () => {
    assert.deepEqual(files.filter(protectedMatcher(['src/**'], 'node --test', files)), ['src/value.js']);
    assert.deepEqual(files.filter(protectedMatcher([], 'node --test value.test.js', files)), []);
  });

  it('the check`s words that are workspace files', () => {
    assert.deepEqual(filesNamedBy('python3 -m unittest tests/test_x.py; ./check.sh|tee log', files), ['tests/test_x.py', 'check.sh']);
  });
});
