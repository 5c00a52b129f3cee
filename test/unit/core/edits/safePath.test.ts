import assert from 'node:assert/strict';
import { checkPathShape } from '../../../../src/core/edits';

describe('checkPathShape', () => {
  const refused: Array<[string, RegExp]> = [
    ['', /empty/],
    ['   ', /empty/],
    ['a\0b', /NUL/],
    ['/etc/passwd', /absolute/],
    ['C:/x.txt', /absolute/],
    ['\\\\server\\share\\x', /absolute/],
    ['~/notes.txt', /home directory/],
    ['..', /leaves the workspace/],
    ['a/../../b', /leaves the workspace/],
    ['.', /workspace itself/],
    ['.git/HEAD', /\.git/],
    ['vendor/lib/.git/config', /\.git/],
    ['.GIT/config', /\.git/],
  ];
  for (const [p, why] of refused) {
    it(`refuses ${JSON.stringify(p)}`, () => {
      const r = checkPathShape(p);
      assert.ok(r && !r.ok, 'expected a refusal');
      assert.match(r.reason, why);
    });
  }
  for (const p of ['.gitignore', '.github/workflows/ci.yml', 'a/b/../c.ts', 'src/.gitkeep']) {
    it(`accepts ${JSON.stringify(p)}`, () => assert.equal(checkPathShape(p), null));
  }
});
