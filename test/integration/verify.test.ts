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

  it('mode ask: the run shows the command and asks first; dismissing it is "Not now": no check, and the next run asks again', async () => {
    await writeDisk('it/verify/sum.js', BROKEN);
    await writeDisk('it/verify/sum.test.js', TEST);
    await c().update('verify.mode', 'ask', vscode.ConfigurationTarget.Global);
    await c().update('verify.command', 'node --test it/verify/', vscode.ConfigurationTarget.Global);
    const api = await fuguApi();
    for (let run = 0; run < 2; run++) {
      const n0 = noticeMark(api);
      script(fakes, editBlock('it/verify/sum.js', 'a - b', 'a + b'));
      const pending = vscode.commands.executeCommand<SolveOutcome | undefined>('fugu.solve', { task: 'Fix sum() in it/verify/sum.js: it subtracts' });
      const question = await waitFor(() => noticesSince(api, n0).find((n) => n.buttons.includes('Run checks')), 'the question');
      assert.match(question.text, /`node --test it\/verify\/`/);
      assert.deepEqual(question.buttons, ['Run checks', 'Not now', 'Never for this workspace']);
      assert.equal(fakes.openai.stats.requests, 0, 'nothing is sent before the answer');
      await vscode.commands.executeCommand('notifications.clearAll');
      const out = await pending;
      assert.equal(out?.trace.final.check, null);
      assert.match(out?.trace.rounds[0].note ?? '', /No check ran: you chose not to run checks this time/);
      await vscode.commands.executeCommand('fugu.rejectAll');
      fakes.reset();
    }
  });
});
