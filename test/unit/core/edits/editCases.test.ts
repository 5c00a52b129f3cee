import assert from 'node:assert/strict';
import { nodeWorkspaceFiles, parseEditBlocks, planEdits } from '../../../../src/core/edits';
import { EDIT_CASES } from '../../../support/editCases';
import { makeWorkspace } from '../../../support/tempWorkspace';

describe('edits: real-world cases (parse + plan against a workspace on disk)', () => {
  it('has at least 40 cases', () => {
    assert.ok(EDIT_CASES.length >= 40, `only ${EDIT_CASES.length} cases`);
  });

  for (const c of EDIT_CASES) {
    it(c.name, async () => {
      const ws = await makeWorkspace(c.files);
      try {
        if (c.setup) await c.setup(ws.root, ws.outside);
        const parsed = parseEditBlocks(c.answer);
        assert.equal(parsed.errors.length, c.parseErrors ?? 0, `parse errors: ${parsed.errors.join(' | ')}`);
        const plans = await planEdits(parsed.blocks, nodeWorkspaceFiles(ws.root));
        assert.deepEqual(plans.map((p) => p.path).sort(), Object.keys(c.expect).sort());
        for (const plan of plans) {
          const want = c.expect[plan.path];
          assert.equal(plan.status, want.status, `${plan.path}: ${plan.reason}`);
          if (want.action) assert.equal(plan.action, want.action);
          if (want.text !== undefined) assert.equal(plan.proposed, want.text);
          for (const r of want.reason ?? []) assert.ok(plan.reason?.includes(r), `reason "${plan.reason}" lacks "${r}"`);
          if (plan.status !== 'proposed') {
            // A failure never proposes content, so nothing can be emptied or half-written.
            assert.equal(plan.proposed, null);
            assert.ok(plan.reason && plan.reason.length > 0);
          }
          if (plan.status === 'failed' && plan.original !== null) assert.equal(plan.original, c.files[plan.path]);
        }
        // Planning never touches the disk.
        for (const [rel, text] of Object.entries(c.files)) assert.equal(await ws.read(rel), text);
      } finally {
        await ws.cleanup();
      }
    });
  }
});
