// Whole runs with a check: scripted fake providers, real test runners on sample workspaces.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { checkVerdict } from '../../../../src/core/check/checkReport';
import { nodeWorkspaceFiles } from '../../../../src/core/edits';
import { runTask } from '../../../../src/core/runTask';
import type { TraceEvent } from '../../../../src/core/trace/types';
import { reply } from '../../../fakes';
import { useFakes } from '../../../support/suiteFakes';
import { configFor, testKeys } from '../../../support/pool';
import { useCheckFixture } from '../../../support/checkFixture';
import { JS_PROJECT, PY_PROJECT, checkCopies, noProcessWith, processAppears } from '../../../support/sampleWorkspace';

const TASK = 'Make sum() log its arguments in sum.js';
const edit = (p: string, search: string, replace: string) => `Done.\n\n${p}\n\`\`\`\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n\`\`\`\n`;

async function snapshot(root: string): Promise<string> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    for (const e of await fs.readdir(path.join(root, rel), { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const r = path.join(rel, e.name);
      if (e.isDirectory()) await walk(r);
      else out.push(`${r}:${(await fs.readFile(path.join(root, r))).toString('base64')}`);
    }
  };
  await walk('');
  return out.sort().join('\n');
}

describe('verified runs (checks in a scratch copy)', () => {
  const fakes = useFakes();
  const fx = useCheckFixture('fugu-verify-tmp-');

  it("the coder's first answer breaks a test; the corrective round fixes it; the final edits pass", async () => {
    const ws = await fx.workspace(JS_PROJECT, { git: true });
    const before = await snapshot(ws.root);
    fakes.openai.enqueue(
      reply.text(edit('sum.js', 'exports.sum = (a, b) => a + b;', 'exports.sum = (a, b) => { console.log(a, b); return a - b; };')),
      reply.text(edit('sum.js', 'return a - b;', 'return a + b;')),
    );
    const events: TraceEvent[] = [];
    const { trace, plans } = await runTask({
      task: TASK, config: configFor(fakes), keys: testKeys, workspace: nodeWorkspaceFiles(ws.root),
      check: fx.check(['node', '--test']), onEvent: (e) => events.push(e),
    });
    assert.equal(trace.status, 'succeeded', trace.error ?? '');
    assert.equal(trace.rounds.length, 2);
    const first = trace.rounds[0].steps;
    assert.deepEqual(first.map((s) => s.provider), ['google', 'anthropic', 'openai', 'check']);
    assert.equal(first[3].check?.outcome, 'failed');
    assert.equal(first[3].check?.baseline?.outcome, 'passed', 'the baseline ran on the unmodified copy');
    assert.equal(trace.rounds[1].kind, 'corrective');
    assert.deepEqual(trace.rounds[1].steps.map((s) => s.provider), ['openai', 'check']);
    assert.equal(trace.rounds[1].steps[1].check?.outcome, 'passed');
    // The corrective prompt carries the failing output and the file as the first round left it.
    const corrective = fakes.openai.requests[1].lastUserText;
    assert.match(corrective, /sum adds/);
    assert.match(corrective, /return a - b;/);
    assert.match(corrective, /baseline\) the same check passed/);
    assert.equal(trace.final.check?.passed, true);
    assert.equal(trace.final.check?.rounds, 1);
    assert.equal(checkVerdict(trace.final.check!), 'Checks pass (node --test) after 1 corrective round');
    // The user reviews the net change from their own file.
    assert.equal(plans.length, 1);
    assert.equal(plans[0].original, JS_PROJECT['sum.js']);
    assert.equal(plans[0].proposed, 'exports.sum = (a, b) => { console.log(a, b); return a + b; };\n');
    assert.equal(trace.final.edits.length, 1);
    assert.match(trace.final.edits[0].diff, /return a \+ b/);
    assert.equal(await snapshot(ws.root), before, 'the user files are byte-identical until the edits are applied');
    // Order from the events: the baseline started before the coder's step finished, the check after it.
    const coderDone = events.findIndex((e) => e.type === 'step-finished' && e.round === 0 && e.index === 2);
    const checkStart = events.findIndex((e) => e.type === 'check-started');
    assert.ok(coderDone < checkStart);
  });

  it('a test that failed before the edits and still fails is reported with its baseline', async () => {
    const ws = await fx.workspace({ ...JS_PROJECT, 'test/old.test.js': "require('node:test')('an old failure', () => { throw new Error('was broken already'); });\n" }, { git: true });
    fakes.openai.enqueue(reply.text(edit('sum.js', 'exports.sum = (a, b) => a + b;', 'exports.sum = (a, b) => { console.log(a, b); return a + b; };')));
    const { trace, plans } = await runTask({
      task: TASK, config: configFor(fakes, { maxRecursion: 0 }), keys: testKeys, workspace: nodeWorkspaceFiles(ws.root), check: fx.check(['node', '--test']),
    });
    assert.equal(trace.status, 'succeeded');
    const c = trace.final.check!;
    assert.equal(c.passed, false);
    assert.equal(c.exitCode, 1);
    assert.equal(c.baselineExitCode, 1);
    assert.match(c.outputTail, /was broken already/);
    assert.match(checkVerdict(c), /^Checks fail \(they failed before the edits too\): /);
    assert.match(trace.rounds[0].note ?? '', /maxRecursion = 0/);
    assert.equal(plans[0].status, 'proposed', 'the edits stay reviewable');
  });

  it('a check that passes at once costs no review call', async () => {
    const ws = await fx.workspace(PY_PROJECT, { git: true });
    fakes.openai.enqueue(reply.text(edit('calc.py', '    return x * 2', '    return 2 * x')));
    const { trace, plans } = await runTask({
      task: 'Write double as 2 * x in calc.py', config: configFor(fakes), keys: testKeys, workspace: nodeWorkspaceFiles(ws.root), check: fx.check(['python3', '-m', 'unittest']),
    });
    assert.equal(trace.status, 'succeeded');
    assert.equal(trace.final.check?.passed, true, trace.final.check?.outputTail);
    assert.equal(trace.final.check?.rounds, 0);
    assert.equal(trace.rounds.length, 1);
    assert.equal(trace.calls, 3, 'two planners and the coder; no review');
    assert.equal(fakes.openai.requests.length, 1);
    assert.equal(plans[0].proposed, 'def double(x):\n    return 2 * x\n');
  });

  it('a hanging check is killed at its timeout; the run still returns its edits, marked unverified', async () => {
    const ws = await fx.workspace(JS_PROJECT, { git: true });
    const token = `fugu-hang-${process.pid}-${Date.now()}`;
    fakes.openai.enqueue(reply.text(edit('sum.js', 'a + b', 'b + a')));
    const { trace, plans } = await runTask({
      task: TASK, config: configFor(fakes), keys: testKeys, workspace: nodeWorkspaceFiles(ws.root),
      check: fx.check(`node -e "setInterval(() => {}, 1000)" ${token}`, 1000),
    });
    assert.equal(trace.status, 'succeeded');
    assert.equal(trace.final.check?.outcome, 'timeout');
    assert.equal(trace.rounds[0].steps.find((s) => s.check)?.check?.baseline?.outcome, 'timeout', 'the baseline hung too');
    assert.match(checkVerdict(trace.final.check!), /^Edits unverified: /);
    assert.equal(trace.rounds.length, 1, 'a timeout drives no correction');
    assert.equal(plans[0].status, 'proposed');
    assert.ok(await noProcessWith(token), 'no check process survived');
  });

  it('cancel during the check kills its process group and removes the copy', async () => {
    const ws = await fx.workspace(JS_PROJECT, { git: true });
    const before = await snapshot(ws.root);
    const token = `fugu-cancel-${process.pid}-${Date.now()}`;
    fakes.openai.enqueue(reply.text(edit('sum.js', 'a + b', 'b + a')));
    const ac = new AbortController();
    // The baseline passes at once; the edits' check (marked by the edited file) hangs until cancelled.
    const cmd = `grep -q "b + a" sum.js && node -e "setInterval(() => {}, 1000)" ${token} || true`;
    const { trace, plans } = await runTask({
      task: TASK, config: configFor(fakes), keys: testKeys, workspace: nodeWorkspaceFiles(ws.root), check: fx.check(cmd), signal: ac.signal,
      onEvent: (e) => {
        if (e.type === 'check-started') void processAppears(token).then(() => ac.abort());
      },
    });
    assert.equal(trace.status, 'cancelled');
    assert.deepEqual(plans, []);
    assert.equal(trace.final.check?.outcome, 'cancelled');
    assert.ok(await noProcessWith(token));
    assert.deepEqual(await checkCopies(fx.tmpRoot), [], 'the copy is gone');
    assert.equal(ws.git('worktree', 'list').trim().split('\n').length, 1);
    assert.equal(await snapshot(ws.root), before);
  });

  it('a check that cannot run never triggers a correction nor fails the run', async () => {
    const ws = await fx.workspace(JS_PROJECT, { git: true });
    fakes.openai.enqueue(reply.text(edit('sum.js', 'a + b', 'b + a')));
    const { trace, plans } = await runTask({
      task: TASK, config: configFor(fakes), keys: testKeys, workspace: nodeWorkspaceFiles(ws.root), check: fx.check(['fugu-no-such-runner']),
    });
    assert.equal(trace.status, 'succeeded');
    assert.equal(trace.final.check?.outcome, 'could-not-run');
    assert.equal(trace.rounds.length, 1);
    assert.equal(plans[0].status, 'proposed');
  });

  it('conductor backend: its review gets the check report and its corrective workflow fixes the edits', async () => {
    const ws = await fx.workspace(JS_PROJECT, { git: true });
    const isConductor = (r: { model: string }) => r.model === 'conductor-7b';
    const config = configFor(fakes, { policy: { backend: 'conductor', baseUrl: fakes.openai.url, model: 'conductor-7b', timeoutMs: 5000 } });
    fakes.openai.on((r) => isConductor(r) && /exit 1/.test(r.lastUserText), reply.text('The test fails.\nmodel_id = [2]\nsubtasks = ["Make the failing test pass again"]\naccess_list = [[]]'), { times: 1 });
    fakes.openai.on(isConductor, reply.text('model_id = [2]\nsubtasks = ["Write the code"]\naccess_list = [[]]'), { times: 1 });
    fakes.openai.enqueue(
      reply.text(edit('sum.js', 'exports.sum = (a, b) => a + b;', 'exports.sum = (a, b) => { console.log(a, b); return a - b; };')),
      reply.text(edit('sum.js', 'return a - b;', 'return a + b;')),
    );
    const { trace, plans } = await runTask({ task: TASK, config, keys: testKeys, workspace: nodeWorkspaceFiles(ws.root), check: fx.check(['node', '--test']) });
    assert.equal(trace.status, 'succeeded', trace.error ?? '');
    const review = fakes.openai.requests.filter(isConductor)[1];
    assert.ok(review, 'the conductor was asked to review');
    assert.match(review.lastUserText, /`node --test` failed \(exit 1\)/);
    assert.match(review.lastUserText, /sum adds/);
    assert.equal(trace.rounds[1].kind, 'corrective');
    assert.equal(trace.rounds[1].policy.backend, 'conductor');
    // The corrective coder is shown the file as the first round left it.
    const fix = fakes.openai.requests.filter((r) => !isConductor(r))[1];
    assert.match(fix.messages.map((m) => m.text).join('\n'), /return a - b;/);
    assert.equal(trace.final.check?.passed, true);
    assert.equal(plans[0].proposed, 'exports.sum = (a, b) => { console.log(a, b); return a + b; };\n');
  });

  it('hosted Fugu: the check runs and its verdict is recorded, but no corrective round of ours follows', async () => {
    const ws = await fx.workspace(JS_PROJECT, { git: true });
    const config = configFor(fakes, { policy: { backend: 'fugu', baseUrl: fakes.openai.url, model: 'fugu', timeoutMs: 5000 } });
    fakes.openai.enqueue(reply.text(edit('sum.js', 'a + b', 'a - b')));
    const { trace, plans } = await runTask({ task: TASK, config, keys: testKeys, workspace: nodeWorkspaceFiles(ws.root), check: fx.check(['node', '--test']) });
    assert.equal(trace.status, 'succeeded', trace.error ?? '');
    assert.equal(trace.final.check?.outcome, 'failed');
    assert.equal(trace.rounds.length, 1);
    assert.equal(fakes.openai.requests.length, 1);
    assert.equal(plans[0].status, 'proposed');
  });

  it('no check asked for: final.check is null and the reason is a round note', async () => {
    const ws = await fx.workspace(JS_PROJECT, { git: true });
    fakes.openai.enqueue(reply.text(edit('sum.js', 'a + b', 'b + a')));
    const { trace } = await runTask({ task: TASK, config: configFor(fakes), keys: testKeys, workspace: nodeWorkspaceFiles(ws.root), check: { skipped: 'checks are off (verify.mode = off).' } });
    assert.equal(trace.final.check, null);
    assert.match(trace.rounds[0].note ?? '', /No check ran: checks are off/);
  });
});
