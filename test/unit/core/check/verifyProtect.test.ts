// verify.protect: a verified run may not weaken the tests that judge it.
import assert from 'node:assert/strict';
import { VERIFY_DEFAULTS } from '../../../../src/core/check/types';
import { nodeWorkspaceFiles } from '../../../../src/core/edits';
import { runTask } from '../../../../src/core/runTask';
import { reply } from '../../../fakes';
import { useFakes } from '../../../support/suiteFakes';
import { configFor, testKeys } from '../../../support/pool';
import { useCheckFixture } from '../../../support/checkFixture';
import { JS_PROJECT } from '../../../support/sampleWorkspace';

const TASK = 'Make sum() subtract in sum.js';
const block = (p: string, search: string, replace: string) => `${p}\n\`\`\`\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n\`\`\`\n`;
// The code made wrong, and the test rewritten to pass whatever the code does.
const tampering = `Done.\n\n${block('sum.js', 'exports.sum = (a, b) => a + b;', 'exports.sum = (a, b) => a - b;')}\n${block('test/sum.test.js', "test('sum adds', () => assert.strictEqual(sum(2, 3), 5));", "test('sum adds', () => assert.ok(true));")}`;

describe('verify.protect (fugu solve --verify)', () => {
  const fakes = useFakes();
  const fx = useCheckFixture('fugu-protect-check-');

  it('is off by default: an edit that rewrites the test is checked with it, and passes', async () => {
    assert.equal(VERIFY_DEFAULTS.protect, false);
    const ws = await fx.workspace(JS_PROJECT, { git: true });
    fakes.openai.enqueue(reply.text(tampering));
    const { trace, plans } = await runTask({ task: TASK, config: configFor(fakes, { maxRecursion: 0 }), keys: testKeys, workspace: nodeWorkspaceFiles(ws.root), check: fx.check(['node', '--test']) });
    assert.equal(trace.final.check?.passed, true, JSON.stringify([trace.status, trace.error, trace.rounds.map((r) => r.note)]));
    assert.deepEqual(plans.map((p) => [p.path, p.status]).sort(), [['sum.js', 'proposed'], ['test/sum.test.js', 'proposed']]);
  });

  it('on: the edit to the test is refused, the check runs the original test and fails, and the trace says why', async () => {
    const ws = await fx.workspace(JS_PROJECT, { git: true });
    fakes.openai.enqueue(reply.text(tampering));
    const config = configFor(fakes, { maxRecursion: 0, verify: { ...VERIFY_DEFAULTS, protect: true } });
    const { trace, plans } = await runTask({ task: TASK, config, keys: testKeys, workspace: nodeWorkspaceFiles(ws.root), check: fx.check(['node', '--test']) });
    assert.equal(trace.final.check?.passed, false);
    assert.match(trace.final.check?.outputTail ?? '', /sum adds/);
    const test = plans.find((p) => p.path === 'test/sum.test.js')!;
    assert.equal(test.status, 'refused');
    assert.match(test.reason ?? '', /protected test file \(verify\.protect\)/);
    assert.equal(plans.find((p) => p.path === 'sum.js')!.status, 'proposed');
    assert.match(trace.rounds[0].note ?? '', /Edits to protected test files were refused \(verify\.protect\): test\/sum\.test\.js/);
    assert.equal(trace.final.edits.find((e) => e.path === 'test/sum.test.js')?.status, 'refused');
  });

  it('a list of globs protects exactly those files', async () => {
    const ws = await fx.workspace(JS_PROJECT, { git: true });
    fakes.openai.enqueue(reply.text(tampering));
    const config = configFor(fakes, { maxRecursion: 0, verify: { ...VERIFY_DEFAULTS, protect: ['sum.js'] } });
    const { plans } = await runTask({ task: TASK, config, keys: testKeys, workspace: nodeWorkspaceFiles(ws.root), check: fx.check(['node', '--test']) });
    assert.deepEqual(plans.map((p) => [p.path, p.status]).sort(), [['sum.js', 'refused'], ['test/sum.test.js', 'proposed']]);
  });
});
