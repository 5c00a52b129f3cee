import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Fakes } from '../fakes';
import { reply } from '../fakes';
import type { SolveOutcome } from '../../src/vscode/solve';
import { editBlock, fuguApi, noticeMark, noticesSince, readDisk, useFakeProviders, waitFor, writeDisk } from './fuguSupport';

// [verify] Checks inside a real VS Code: the verdict in the review notification, and ask mode.

const BROKEN = 'exports.sum = (a, b) => a - b;\n';
const TEST = "const test = require('node:test');\nconst assert = require('node:assert');\nconst { sum } = require('./sum.js');\ntest('sum adds', () => assert.strictEqual(sum(2, 3), 5));\n";

function script(fakes: Fakes, coder: string) {
  fakes.gemini.enqueue(reply.text('Plan: add instead of subtract.'));
  fakes.anthropic.enqueue(reply.text('Plan: sum must add.'));
  fakes.openai.enqueue(reply.text(coder));
}

describe('Checks (verify) in the editor', function () {
  this.timeout(90_000);
  let fakes: Fakes;
  useFakeProviders((f) => (fakes = f));
  const c = () => vscode.workspace.getConfiguration('fugu');
  afterEach(async () => {
    await c().update('verify.mode', 'off', vscode.ConfigurationTarget.Global);
    await c().update('verify.command', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('fugu.rejectAll');
  });

  it('mode on: the edits are checked in a copy and the review notification says "Checks pass (…)"', async () => {
    await writeDisk('it/verify/sum.js', BROKEN);
    await writeDisk('it/verify/sum.test.js', TEST);
    await c().update('verify.mode', 'on', vscode.ConfigurationTarget.Global);
    await c().update('verify.command', ['node', '--test', 'it/verify/'], vscode.ConfigurationTarget.Global);
    script(fakes, editBlock('it/verify/sum.js', 'a - b', 'a + b'));
    const api = await fuguApi();
    const n0 = noticeMark(api);
    const out = await vscode.commands.executeCommand<SolveOutcome | undefined>('fugu.solve', { task: 'Fix sum() in it/verify/sum.js: it subtracts' });
    assert.ok(out);
    assert.equal(out.trace.final.check?.passed, true, JSON.stringify([out.trace.final.check, out.trace.rounds.map((r) => r.note)]));
    assert.equal(out.trace.final.check?.baselineExitCode, 1, 'the baseline ran on the unmodified copy');
    assert.equal(await readDisk('it/verify/sum.js'), BROKEN, 'nothing written before the user accepts');
    const review = await waitFor(() => noticesSince(api, n0).find((n) => /proposes changes/.test(n.text)), 'the review notification');
    assert.match(review.text, /Checks pass \(node --test it\/verify\/\)\./);
  });

  it('a first Solve with the question unanswered still runs to the review; "Run checks" there checks the edits; the answer stands for that command only', async () => {
    await writeDisk('it/verify/sum.js', BROKEN);
    await writeDisk('it/verify/sum.test.js', TEST);
    await c().update('verify.mode', 'ask', vscode.ConfigurationTarget.Global);
    // A command of this test alone: answers are remembered per command.
    const run = Date.now();
    const command = `FUGU_IT=${run} node --test it/verify/`;
    await c().update('verify.command', command, vscode.ConfigurationTarget.Global);
    const api = await fuguApi();
    const task = 'Fix sum() in it/verify/sum.js: it subtracts';

    // Nobody answers: the run goes on to the review anyway.
    const n0 = noticeMark(api);
    script(fakes, editBlock('it/verify/sum.js', 'a - b', 'a + b'));
    const out = await vscode.commands.executeCommand<SolveOutcome | undefined>('fugu.solve', { task });
    assert.ok(out?.reviewId, 'the review opened without an answer');
    assert.equal(fakes.openai.stats.requests, 1, 'the coder ran');
    assert.deepEqual(out.trace.final.checkQuestion, { command, detected: null, answer: null });
    assert.equal(out.trace.final.check, null);
    assert.match(out.trace.rounds[0].note ?? '', /No check ran yet/);
    assert.equal(noticesSince(api, n0).find((n) => n.buttons.includes('Not now')), undefined, 'no question toast waits for an answer');
    const review = await waitFor(() => noticesSince(api, n0).find((n) => /proposes changes/.test(n.text)), 'the review notification');
    assert.deepEqual(review.buttons, ['Accept All', 'Run checks', 'Choose Files…', 'Reject All']);
    assert.match(review.text, /not checked yet/);

    // "Run checks" beside Accept: the check runs on the edits in review and says so.
    const n1 = noticeMark(api);
    assert.equal(api.choose(review, 'Run checks'), true);
    const verdict = await waitFor(() => noticesSince(api, n1).find((n) => /^Checks pass/.test(n.text)), 'the check verdict', 60_000);
    assert.deepEqual(verdict.buttons, ['Accept All', 'Reject All']);
    // The returned trace follows the run after it ended (read afresh: it changed since the asserts above).
    const final = () => out.trace.final;
    assert.equal(final().checkQuestion?.answer, 'run');
    assert.equal(final().check?.passed, true);
    assert.equal(final().check?.baselineExitCode, 1, 'the baseline ran on the unmodified copy');
    const shown = await waitFor(() => api.shownTrace()?.final.check ?? null, 'the check in the trace view');
    assert.equal(shown.passed, true);
    assert.equal(await readDisk('it/verify/sum.js'), BROKEN, 'nothing written before the user accepts');
    await vscode.commands.executeCommand('fugu.rejectAll');

    // Remembered for this command: the next run checks without asking.
    fakes.reset();
    script(fakes, editBlock('it/verify/sum.js', 'a - b', 'a + b'));
    const again = await vscode.commands.executeCommand<SolveOutcome | undefined>('fugu.solve', { task });
    assert.equal(again?.trace.final.checkQuestion, undefined, 'not asked again');
    assert.equal(again?.trace.final.check?.passed, true);
    await vscode.commands.executeCommand('fugu.rejectAll');

    // Another command is another question.
    fakes.reset();
    const changedCommand = `FUGU_IT=${run}b node --test it/verify/`;
    await c().update('verify.command', changedCommand, vscode.ConfigurationTarget.Global);
    script(fakes, editBlock('it/verify/sum.js', 'a - b', 'a + b'));
    const changed = await vscode.commands.executeCommand<SolveOutcome | undefined>('fugu.solve', { task });
    assert.equal(changed?.trace.final.checkQuestion?.command, changedCommand);
    assert.equal(changed?.trace.final.checkQuestion?.answer, null);
    // Answering from a progress link or the panel is the command fugu.answerCheck, by run id.
    assert.equal(await vscode.commands.executeCommand('fugu.answerCheck', [{ runId: changed?.trace.id, answer: 'never' }]), true);
    await waitFor(() => changed?.trace.final.checkQuestion?.answer === 'never', 'the answer in the trace');
    assert.equal(await vscode.commands.executeCommand('fugu.answerCheck', [{ runId: changed?.trace.id, answer: 'run' }]), false, 'answered once');
  });
});
