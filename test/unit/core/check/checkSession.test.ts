import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CheckSession } from '../../../../src/core/check/checkSession';
import { toCommand } from '../../../../src/core/check/types';
import { nodeWorkspaceFiles, parseEditBlocks, planEdits } from '../../../../src/core/edits';
import { JS_PROJECT, checkCopies, processGone, sampleWorkspace, type Sample } from '../../../support/sampleWorkspace';

const setup = (argv: string[] | string, timeoutMs = 60_000) => ({ command: toCommand(argv), timeoutMs, maxOutputBytes: 65536, env: process.env });
const block = (p: string, search: string, replace: string) => `${p}\n\`\`\`js\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n\`\`\`\n`;

describe('CheckSession', () => {
  let ws: Sample | undefined;
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
      // A corrective answer is matched against the copy as the last round left it.
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
    assert.deepEqual(await checkCopies().then((c) => c.filter((d) => d.includes(ws!.root))), []);
  });

  it('cancel during the check kills it and the copy is removed', async () => {
    ws = await sampleWorkspace({ 'a.txt': 'a\n' }, { git: true });
    const ac = new AbortController();
    const cmd = `node -e "require('fs').writeFileSync(require('path').join('${ws.root}', 'check.pid'), String(process.pid)); setInterval(()=>{},1000)" & wait`;
    const session = new CheckSession(ws.root, setup(cmd), ac.signal);
    const pidFile = path.join(ws.root, 'check.pid');
    while (!(await fs.readFile(pidFile, 'utf8').catch(() => ''))) await new Promise((r) => setTimeout(r, 20));
    const copyRoot = (await session.files())!.root;
    ac.abort();
    const r = await session.baseline;
    assert.equal(r.outcome, 'cancelled');
    assert.ok(await processGone(Number(await fs.readFile(pidFile, 'utf8'))));
    await session.dispose();
    assert.equal(await fs.stat(copyRoot).then(() => true, () => false), false);
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
