// `npm start -- --demo` must show a real review: the scripted coder's edits apply to the sample workspace.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { nodeWorkspaceFiles } from '../../../src/core/edits';
import { runTask } from '../../../src/core/runTask';
import { scriptDemo } from '../../fakes';
import { useFakes } from '../../support/suiteFakes';
import { configFor, testKeys } from '../../support/pool';

describe('the --demo script', function () {
  this.timeout(20_000);
  const fakes = useFakes({ resetEachTest: false });
  before(() => scriptDemo(fakes));

  it('plans with both planners and proposes edits that match the sample workspace', async () => {
    const workspace = nodeWorkspaceFiles(join(__dirname, '../../../../test/fixtures/workspace'));
    const { trace, plans } = await runTask({ task: 'Fix applyDiscount in src/cart.js', config: configFor(fakes), keys: testKeys, workspace });
    assert.equal(trace.status, 'succeeded');
    assert.deepEqual(trace.rounds[0].steps.map((s) => s.worker), ['gemini', 'claude', 'gpt']);
    assert.deepEqual(plans.map((p) => [p.path, p.status]), [['src/cart.js', 'proposed'], ['src/cart.test.js', 'proposed']]);
    assert.match(plans[0].proposed!, /total \* \(1 - discount\.value \/ 100\)/);
  });
});
