import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SolveOutcome } from '../../src/vscode/solve';
import type { ApplyOutcome } from '../../src/vscode/review/applyPlans';
import { askRunner } from './askRunner';
import { closeAll, editBlock, fuguApi, noticeMark, noticesSince, openEditor, proposedDiffTabs, readDisk, waitFor, writeDisk } from './fuguSupport';
import { lmTestProvider, useLmPool, words, type LmTestApi } from './lmTestProvider';
import type { LmWorkerSetting } from '../../src/vscode/lm/modelPool';

const ORIGINAL = "'use strict';\n\nfunction total(a, b) {\n  return a - b;\n}\n\nmodule.exports = { total };\n";
const FIXED = "'use strict';\n\nfunction total(a, b) {\n  return a + b;\n}\n\nmodule.exports = { total };\n";

function solve(task: string): Thenable<SolveOutcome | undefined> {
  return vscode.commands.executeCommand<SolveOutcome | undefined>('fugu.solve', { task });
}

const steps = (out: SolveOutcome) => out.trace.rounds.flatMap((r) => r.steps);

const fugu = () => vscode.workspace.getConfiguration('fugu');
/** "Fugu: Choose Models" as the palette runs it: no arguments, so its pickers ask. */
const chooseModels = () => vscode.commands.executeCommand<LmWorkerSetting[] | undefined>('fugu.chooseModels');
const MODELS_PICKER = 'Fugu: choose the models of your pool';
/** The pool in the user settings: id, vendor, model, role, in order. */
const userPool = () => (fugu().inspect<LmWorkerSetting[]>('workers')?.globalValue ?? []).map((w) => [w.id, w.vendor, w.model, w.role]);

describe("VS Code's language models as Fugu workers (provider vscode-lm)", function () {
  this.timeout(60_000);
  let lm: LmTestApi;

  before(async () => {
    await fuguApi();
    lm = await lmTestProvider();
  });
  beforeEach(async () => {
    lm.reset();
    await useLmPool();
    await closeAll();
  });
  after(async () => {
    await vscode.workspace.getConfiguration('fugu').update('workers', undefined, vscode.ConfigurationTarget.Global);
    await closeAll();
  });

  it('a pool of VS Code models plans, codes and proposes an edit that review applies, with no API key and cost 0 (subscription)', async () => {
    const api = await fuguApi();
    const from = noticeMark(api);
    const rel = 'it/lm-solve.js';
    await writeDisk(rel, ORIGINAL);
    const editor = await openEditor(rel);
    lm.enqueue('planner-a', { chunks: ['Plan A: ', 'change the minus ', 'to a plus.'], chunkDelayMs: 5 });
    lm.enqueue('planner-b', { text: 'Plan B: total() must add.' });
    lm.enqueue('coder', { chunks: ['Fixed the sign.\n\n', editBlock(rel, '  return a - b;', '  return a + b;')] });

    const out = await solve(`Fix total() in ${rel}: it subtracts`);
    assert.ok(out, `Solve did not run: ${JSON.stringify(noticesSince(api, from))}`);
    assert.equal(out.trace.status, 'succeeded', out.trace.error ?? '');
    assert.ok(!noticesSince(api, from).some((n) => /API key/i.test(n.text)), 'no key was asked for');

    const [a, b, coder] = steps(out);
    assert.deepEqual(steps(out).map((s) => [s.worker, s.provider, s.subscription]), [
      ['lm-planner-a', 'vscode-lm', true], ['lm-planner-b', 'vscode-lm', true], ['lm-coder', 'vscode-lm', true],
    ]);
    assert.equal(a.output, 'Plan A: change the minus to a plus.', 'the stream arrived whole');
    assert.equal(out.trace.costUsd, 0);
    // Tokens come from the model's own counter (the test provider counts words), output counted after the stream.
    assert.equal(coder.usage.outputTokens, words(coder.output));
    assert.ok(a.usage.inputTokens > 0 && b.usage.inputTokens > 0);
    assert.ok(coder.startMs! >= Math.max(a.endMs!, b.endMs!), 'the coder starts after both planners finished');
    const coderAsked = lm.requests().find((r) => r.model === 'coder')!;
    const seen = coderAsked.messages.map((m) => m.text).join('\n');
    assert.ok(seen.includes('Plan A: change the minus to a plus.') && seen.includes('Plan B: total() must add.'), 'the coder sees both plans');
    assert.ok(seen.includes('return a - b;'), 'the open file went as context');

    assert.deepEqual(out.plans.map((p) => [p.path, p.status]), [[rel, 'proposed']]);
    await waitFor(() => proposedDiffTabs().length > 0, 'the diff review');
    assert.equal(await readDisk(rel), ORIGINAL, 'nothing written before the review');
    const applied = await vscode.commands.executeCommand<ApplyOutcome>('fugu.acceptAll');
    assert.deepEqual(applied.applied, [rel]);
    assert.equal(editor.document.getText(), FIXED);
  });

  it('Cancel reaches the VS Code model provider; the coder never runs', async () => {
    lm.enqueue('planner-a', { chunks: ['thinking about it '], hang: true });
    lm.enqueue('planner-b', { chunks: ['also thinking '], hang: true });
    const running = solve('Refactor everything');
    await waitFor(() => lm.requests().length >= 2, 'both planners to be asked');
    const api = await fuguApi();
    await waitFor(() => /Fugu/.test(api.statusText()) && api.statusText().includes('sync'), 'the run to show progress');
    assert.ok((await vscode.commands.executeCommand<number>('fugu.cancel')) >= 1);
    const out = (await running)!;
    assert.equal(out.trace.status, 'cancelled');
    const cancelled = await waitFor(() => lm.cancelled().length >= 2 && lm.cancelled(), 'the provider to see both cancellations');
    assert.deepEqual([...cancelled].sort(), ['planner-a', 'planner-b']);
    assert.equal(lm.requests().filter((r) => r.model === 'coder').length, 0, 'the coder never ran');
  });

  it("a refused permission ends the run (errorKind auth) with VS Code's reason, asks the model only once, and offers no key to set", async () => {
    const api = await fuguApi();
    const from = noticeMark(api);
    lm.enqueue('planner-a', { error: 'NoPermissions', message: 'The user did not allow access.' });
    lm.enqueue('planner-b', { chunks: ['slow plan '], hang: true });
    const out = (await solve('Add a test for total()'))!;
    assert.equal(out.trace.status, 'failed');
    assert.equal(out.trace.errorKind, 'auth');
    const shown = noticesSince(api, from).find((n) => n.kind === 'error')!;
    assert.match(shown.text, /VS Code did not allow Fugu/);
    assert.ok(!shown.buttons.includes('Set API Key'), `buttons: ${shown.buttons}`);
    const failed = steps(out).find((s) => s.status === 'failed')!;
    assert.equal(failed.worker, 'lm-planner-a');
    assert.match(failed.error!, /VS Code did not allow Fugu to use the fugu-test model 'test-planner-a'.*run Solve again and allow it/);
    assert.equal(lm.requests().filter((r) => r.model === 'planner-a').length, 1, 'nothing retried');
  });

  it('a blocked request is a rate limit, and a model VS Code does not offer names the ones it does', async () => {
    lm.enqueue('planner-a', { error: 'Blocked' });
    lm.enqueue('planner-b', { chunks: ['slow plan '], hang: true });
    let out = (await solve('Add a test for total()'))!;
    assert.match(out.trace.error ?? '', /blocked the request.*rate limit or quota/);
    assert.equal(out.trace.errorKind, 'rate_limit');

    await useLmPool([
      { id: 'gone', provider: 'vscode-lm', vendor: 'fugu-test', model: 'no-such-model', role: 'planner' },
      { id: 'lm-coder', provider: 'vscode-lm', vendor: 'fugu-test', model: 'test-coder', role: 'coder' },
    ]);
    out = (await solve('Add a test for total()'))!;
    assert.equal(out.trace.status, 'failed');
    assert.match(out.trace.error ?? '', /model 'no-such-model' is not available; VS Code offers: .*fugu-test\/test-planner-a.*fugu-test\/test-coder/);
    assert.equal(out.trace.errorKind, 'bad_request');
  });

  it('"Fugu: Choose Models" writes the chosen models and roles as the pool (never Fugu itself)', async () => {
    const pool = await vscode.commands.executeCommand<unknown[]>('fugu.chooseModels', { models: ['fugu-test/planner-a', 'fugu-test/coder'], roles: ['planner', 'coder'] });
    const written = vscode.workspace.getConfiguration('fugu').get<unknown[]>('workers');
    assert.deepEqual(written, pool);
    assert.deepEqual(
      (written as { id: string; provider: string; vendor: string; model: string; role: string }[]).map((w) => [w.id, w.provider, w.vendor, w.model, w.role]),
      [
        ['fugu-test-test-planner-a', 'vscode-lm', 'fugu-test', 'test-planner-a', 'planner'],
        ['fugu-test-test-coder', 'vscode-lm', 'fugu-test', 'test-coder', 'coder'],
      ],
    );
    const refused = await vscode.commands.executeCommand('fugu.chooseModels', { models: ['fugu/fugu'], roles: ['coder'] });
    assert.equal(refused, undefined, "Fugu's own models are not offered as workers");
  });

  describe('"Fugu: Choose Models" in its real pickers (the runner clicks and types in the workbench)', () => {
    // A picker left open by a failed test would take the next test's keys.
    afterEach(() => vscode.commands.executeCommand('workbench.action.closeQuickOpen'));

    it('lists the offered models by vendor with the pool checked, asks each role with the suggested one first, and writes the pool in list order', async () => {
      assert.equal((await vscode.lm.selectChatModels({ vendor: 'fugu' })).length, 2, "VS Code offers Fugu's own models too");
      // The pool is LM_POOL: the three fugu-test models (by family, by id, by family).
      let running = chooseModels();
      let shown = await askRunner({ action: 'quick-pick', title: MODELS_PICKER, check: ['Test Planner A', 'Test Coder'] });
      assert.deepEqual(shown.rows.map((r) => [r.separator, r.label, r.description, r.checked]), [
        ['fugu-test', 'Test Planner A', 'test-planner-a', true],
        ['', 'Test Planner B', 'test-planner-b', true],
        ['', 'Test Coder', 'test-coder', true],
        ['fugu-test-alt', 'Test Alt', 'test-alt', false],
      ], "grouped by vendor, the pool's models checked, Fugu's own absent");
      const first = await askRunner({ action: 'quick-pick', title: 'Fugu: role of Test Planner A (1 of 2)', press: ['Enter'] });
      assert.deepEqual(first.rows.map((r) => r.label), ['planner', 'coder', 'reviewer', 'any']);
      const second = await askRunner({ action: 'quick-pick', title: 'Fugu: role of Test Coder (2 of 2)', type: 'any', press: ['Enter'] });
      assert.deepEqual(second.rows.map((r) => r.label), ['coder', 'planner', 'reviewer', 'any'], 'the last model is suggested as the coder');
      let pool = await running;
      assert.deepEqual(userPool(), [
        ['fugu-test-test-planner-a', 'fugu-test', 'test-planner-a', 'planner'],
        ['fugu-test-test-coder', 'fugu-test', 'test-coder', 'any'],
      ]);
      assert.deepEqual(fugu().inspect('workers')?.globalValue, pool, 'the command returns what it wrote');

      // Again: now the two chosen models are the ones checked. Across both vendors, Enter for every role.
      running = chooseModels();
      shown = await askRunner({ action: 'quick-pick', title: MODELS_PICKER, check: ['Test Planner B', 'Test Coder', 'Test Alt'] });
      assert.deepEqual(shown.rows.map((r) => [r.label, r.checked]), [['Test Planner A', true], ['Test Planner B', false], ['Test Coder', true], ['Test Alt', false]]);
      const suggested: string[] = [];
      for (const [i, name] of ['Test Planner B', 'Test Coder', 'Test Alt'].entries()) {
        const asked = await askRunner({ action: 'quick-pick', title: `Fugu: role of ${name} (${i + 1} of 3)`, press: ['Enter'] });
        suggested.push(asked.rows[0].label);
      }
      assert.deepEqual(suggested, ['planner', 'planner', 'coder']);
      pool = await running;
      assert.deepEqual(userPool(), [
        ['fugu-test-test-planner-b', 'fugu-test', 'test-planner-b', 'planner'],
        ['fugu-test-test-coder', 'fugu-test', 'test-coder', 'planner'],
        ['fugu-test-alt-test-alt', 'fugu-test-alt', 'test-alt', 'coder'],
      ]);
      assert.deepEqual(fugu().inspect('workers')?.globalValue, pool);
    });

    it('Escape on a role question, or roles that leave no coder, keep the pool as it was', async () => {
      const api = await fuguApi();
      const before = userPool();
      assert.equal(before.length, 3);
      let running = chooseModels();
      await askRunner({ action: 'quick-pick', title: MODELS_PICKER, check: ['Test Alt'] });
      const asked = await askRunner({ action: 'quick-pick', title: 'Fugu: role of Test Alt (1 of 1)', press: ['Escape'] });
      assert.equal(asked.rows[0].label, 'any', 'a lone model is suggested for any role');
      assert.equal(await running, undefined);
      assert.deepEqual(userPool(), before);

      const from = noticeMark(api);
      running = chooseModels();
      await askRunner({ action: 'quick-pick', title: MODELS_PICKER, check: ['Test Planner A', 'Test Coder'] });
      await askRunner({ action: 'quick-pick', title: 'Fugu: role of Test Planner A (1 of 2)', press: ['Enter'] });
      await askRunner({ action: 'quick-pick', title: 'Fugu: role of Test Coder (2 of 2)', type: 'reviewer', press: ['Enter'] });
      assert.equal(await running, undefined);
      const said = noticesSince(api, from).find((n) => n.kind === 'error');
      assert.match(said?.text ?? '', /^Fugu kept its pool: .*no worker can write code/, JSON.stringify(noticesSince(api, from)));
      assert.deepEqual(userPool(), before);
    });
  });
});
