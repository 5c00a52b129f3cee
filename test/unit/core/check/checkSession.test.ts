import assert from 'node:assert/strict';
import * as path from 'node:path';
import { CheckSession } from '../../../../src/core/check/checkSession';
import { toCommand } from '../../../../src/core/check/types';
import { nodeWorkspaceFiles, parseEditBlocks, planEdits } from '../../../../src/core/edits';
import { JS_PROJECT, checkCopies, noProcessWith, processAppears, sampleWorkspace, type Sample } from '../../../support/sampleWorkspace';
import { tempDir } from '../../../support/tempDir';

let tmpRoot = '';
const setup = (argv: string[] | string, timeoutMs = 60_000) => ({ command: toCommand(argv), timeoutMs, maxOutputBytes: 65536, env: process.env, tmpRoot });
const block = (p: string, search: string, replace: string) => `${p}\n\`\`\`js\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n\`\`\`\n`;

describe('CheckSession', () => {
  let ws: Sample | undefined;
  beforeEach(() => {
    tmpRoot = tempDir('fugu-session-tmp-');
  });
  afterEach(async () => {
    await ws?.cleanup();
    ws = undefined;
  });

  it('the baseline runs on the unmodified copy; the edits are checked in the copy, never in the user files', async () => {
    ws = await sampleWorkspace(JS_PROJECT, { git: true });
    const user = nodeWorkspaceFiles(ws.root);
    const session = new CheckSession(ws.root, setup(['node', '--test']), new AbortController().signal);
    try {
      const baseline = await session.baseline;
      assert.equal(baseline.outcome, 'passed', baseline.outputTail);
      const broken = await planEdits(parseEditBlocks(block('sum.js', 'a + b', 'a - b')).blocks, user);
      const bad = await session.checkEdits(broken, user);
      assert.equal(bad.outcome, 'failed');
      assert.equal(await ws.read('sum.js'), JS_PROJECT['sum.js'], 'the user file is untouched');
      // A corrective answer is matched against the files as the last round's edits left them.
      const copyFiles = await session.files();
      assert.ok(copyFiles);
      const fix = await planEdits(parseEditBlocks(block('sum.js', 'a - b;', 'a + b; // checked')).blocks, copyFiles);
      assert.equal(fix[0].status, 'proposed', fix[0].reason ?? '');
      const good = await session.checkEdits(fix, user);
      assert.equal(good.outcome, 'passed', good.outputTail);
      const net = await session.netPlans();
      assert.equal(net.length, 1);
      assert.equal(net[0].original, JS_PROJECT['sum.js'], 'the net change starts from the user text');
      assert.equal(net[0].proposed, 'exports.sum = (a, b) => a + b; // checked\n');
      assert.equal(net[0].blocks.length, 2, "both rounds' blocks replay from the user text");
    } finally {
      await session.dispose();
    }
    assert.equal(await ws.read('sum.js'), JS_PROJECT['sum.js']);
    assert.deepEqual(await checkCopies(tmpRoot), []);
  });

  it("the marker the check's processes carry is in the copy's owner file when the check starts (written before it, so a crash at any moment leaves the next start a way to end them)", async () => {
    ws = await sampleWorkspace({ 'a.txt': 'a\n' }, { git: true });
    // The check's first instruction looks for its own marker in the copy's owner file.
    const session = new CheckSession(ws.root, setup('if grep -q "$FUGU_CHECK_RUN" ../owner.json; then echo recorded; else echo missing; fi'), new AbortController().signal);
    try {
      const baseline = await session.baseline;
      assert.equal(baseline.outcome, 'passed', baseline.outputTail);
      assert.equal(baseline.outputTail.trim(), 'recorded');
    } finally {
      await session.dispose();
    }
  });

  it('cancel during the check kills it and the copy is removed', async () => {
    ws = await sampleWorkspace({ 'a.txt': 'a\n' }, { git: true });
    const ac = new AbortController();
    const token = `fugu-session-cancel-${process.pid}-${Date.now()}`;
    const session = new CheckSession(ws.root, setup(`node -e "setInterval(()=>{},1000)" ${token} & wait`), ac.signal);
    assert.ok((await processAppears(token)).length > 0, 'the check started');
    assert.equal((await checkCopies(tmpRoot)).length, 1);
    ac.abort();
    const r = await session.baseline;
    assert.equal(r.outcome, 'cancelled');
    assert.ok(await noProcessWith(token));
    await session.dispose();
    assert.deepEqual(await checkCopies(tmpRoot), []);
  });

  it('what a check does to the copy is named in its record and put back before the next check; the edits are the coder\'s', async () => {
    ws = await sampleWorkspace({ ...JS_PROJECT, 'fixture.txt': 'needed\n' }, { git: true });
    const user = nodeWorkspaceFiles(ws.root);
    // Needs fixture.txt, then deletes it, rewrites sum.js and leaves a file behind: a clean-up step and a formatter.
    const cmd = 'test -f fixture.txt || exit 3; node --test; rc=$?; rm fixture.txt; echo "// fmt" >> sum.js; echo x > out.log; exit $rc';
    const session = new CheckSession(ws.root, setup(cmd), new AbortController().signal);
    try {
      const baseline = await session.baseline;
      assert.equal(baseline.outcome, 'passed', baseline.outputTail);
      assert.deepEqual(baseline.touched, ['fixture.txt', 'out.log', 'sum.js']);
      const plans = await planEdits(parseEditBlocks(block('sum.js', 'a + b', 'b + a')).blocks, user);
      const run = await session.checkEdits(plans, user);
      assert.equal(run.outcome, 'passed', `fixture.txt was put back: ${run.outputTail}`);
      assert.deepEqual(run.touched, ['fixture.txt', 'out.log', 'sum.js']);
      const files = await session.files();
      assert.equal(await files!.read('sum.js'), 'exports.sum = (a, b) => b + a;\n', 'a corrective round sees the coder\'s text, not the formatter\'s');
      const net = await session.netPlans();
      assert.deepEqual(net.map((p) => [p.path, p.action, p.proposed]), [['sum.js', 'modify', 'exports.sum = (a, b) => b + a;\n']]);
    } finally {
      await session.dispose();
    }
  });

  it('under the sandbox an edit aimed into a linked dependency folder is not written through the link', async () => {
    ws = await sampleWorkspace({ ...JS_PROJECT, '.gitignore': 'node_modules/\n', 'node_modules/dep/index.js': 'module.exports = 1;\n' }, { git: true });
    const user = nodeWorkspaceFiles(ws.root);
    const session = new CheckSession(ws.root, { ...setup(['node', '--test']), sandbox: 'required' }, new AbortController().signal);
    try {
      await session.baseline;
      const plans = await planEdits(parseEditBlocks('node_modules/dep/lib/new.js\n```js\n<<<<<<< SEARCH\n=======\nmodule.exports = 2;\n>>>>>>> REPLACE\n```\n').blocks, user);
      assert.equal(plans[0]?.status, 'proposed', plans[0]?.reason ?? '');
      const run = await session.checkEdits(plans, user);
      assert.equal(run.outcome, 'could-not-run');
      assert.match(run.reason ?? '', /leads out of the copy/);
      assert.equal(await ws.read('node_modules/dep/lib/new.js'), null, 'nothing was written into the user\'s node_modules');
    } finally {
      await session.dispose();
    }
  });

  it('a copy that cannot be made makes the check "could not run", not a failure', async () => {
    ws = await sampleWorkspace({ 'a.txt': 'a\n' });
    const session = new CheckSession(path.join(ws.root, 'missing-folder'), setup(['node', '--test']), new AbortController().signal);
    const r = await session.baseline;
    assert.equal(r.outcome, 'could-not-run');
    assert.match(r.reason ?? '', /could not run/);
    await session.dispose();
  });
});
