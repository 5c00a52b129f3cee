// One rule for a file that changed since the run began, shared by the CLI's disk apply and the editor's.
import assert from 'node:assert/strict';
import { parseEditBlocks, planFileEdits, rematchPlan } from '../../../../src/core/edits';
import { blk } from '../../../support/editCases';

const ORIGINAL = 'function f() {\n  return 1;\n}\n';
const plan = () => planFileEdits('c.ts', parseEditBlocks(blk('c.ts', '  return 1;\n', '  return 2;\n')).blocks, ORIGINAL);

describe('rematchPlan', () => {
  it('keeps the plan as it is when the file did not change', () => {
    const p = plan();
    const r = rematchPlan(p, ORIGINAL);
    assert.ok(r.ok);
    assert.equal(r.plan, p);
    assert.equal(r.rematched, false);
  });

  it('matches the blocks again against newer text, keeping the user\'s change', () => {
    const r = rematchPlan(plan(), `// mine\n${ORIGINAL}`);
    assert.ok(r.ok);
    assert.equal(r.rematched, true);
    assert.equal(r.plan.proposed, '// mine\nfunction f() {\n  return 2;\n}\n');
  });

  it('fails with the reason when the blocks no longer apply, or the file is gone', () => {
    const r = rematchPlan(plan(), 'function f() {\n  throw new Error("rewritten");\n}\n');
    assert.ok(!r.ok);
    assert.match(r.reason, /^c\.ts changed since the run began and its blocks no longer apply: Block #1 for c\.ts/);
    const gone = rematchPlan(plan(), null);
    assert.ok(!gone.ok);
    assert.match(gone.reason, /does not exist/);
  });
});
