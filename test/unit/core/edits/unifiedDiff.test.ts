import assert from 'node:assert/strict';
import { planDiff, planFileEdits, plansDiff } from '../../../../src/core/edits';

const block = (search: string, replace: string, kind: 'replace' | 'delete' = 'replace') => ({ path: 'src/a.ts', search, replace, kind, ordinal: 0 });

describe('planDiff', () => {
  it('shows a modification with a/ and b/ paths and one hunk', () => {
    const p = planFileEdits('src/a.ts', [block('b\n', 'B\n')], 'a\nb\nc\n');
    assert.equal(planDiff(p), '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
  });

  it('uses /dev/null for a created file and for a deleted one', () => {
    const created = planDiff(planFileEdits('src/a.ts', [block('', 'x\n')], null));
    assert.ok(created.startsWith('--- /dev/null\n+++ b/src/a.ts\n@@ -0,0 +1,1 @@\n+x\n'), created);
    const deleted = planDiff(planFileEdits('src/a.ts', [block('', '', 'delete')], 'x\n'));
    assert.ok(deleted.startsWith('--- a/src/a.ts\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-x\n'), deleted);
  });

  it('is empty for failed plans and concatenates proposed ones', () => {
    const failed = planFileEdits('src/a.ts', [block('zzz\n', 'y\n')], 'a\n');
    assert.equal(planDiff(failed), '');
    const ok = planFileEdits('src/a.ts', [block('a\n', 'A\n')], 'a\n');
    assert.equal(plansDiff([failed, ok]), planDiff(ok));
  });
});
