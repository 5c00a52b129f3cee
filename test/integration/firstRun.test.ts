import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Fakes } from '../fakes';
import { askForKeys } from '../../src/vscode/preflight';
import type { SolveOutcome } from '../../src/vscode/solve';
import { configureFor, fuguApi, noticeMark, noticesSince, openEditor, setTestKeys, startTestFakes, TEST_KEY, writeDisk } from './fuguSupport';

// First run with no key at all: one message, one button that asks for every missing key in a row.

describe('First run without keys', function () {
  this.timeout(60_000);
  let fakes: Fakes;

  before(async () => {
    await fuguApi();
    fakes = await startTestFakes();
    await configureFor(fakes);
  });
  after(async () => {
    await setTestKeys();
    await fakes?.close();
  });

  it('first run: one "Set API Keys" button asks for each missing key in turn, quietly, then the run works', async () => {
    const api = await fuguApi();
    for (const name of ['openai', 'anthropic', 'google']) await vscode.commands.executeCommand('fugu.clearApiKey', { name });
    await writeDisk('fr/a.js', 'const a = 1;\n');
    await openEditor('fr/a.js');

    const n0 = noticeMark(api);
    assert.equal(await vscode.commands.executeCommand<SolveOutcome | undefined>('fugu.solve', { task: 'anything' }), undefined);
    const warn = noticesSince(api, n0).find((n) => n.kind === 'warning');
    assert.ok(warn, JSON.stringify(noticesSince(api, n0)));
    assert.match(warn.text, /2 more keys are missing too/);
    assert.deepEqual(warn.buttons, ['Set API Keys'], 'one button for all the missing keys');
    assert.equal(fakes.openai.stats.requests + fakes.gemini.stats.requests + fakes.anthropic.stats.requests, 0);

    // What the button does, with the keys typed in: the real command, once per missing key.
    const steps: string[] = [];
    const n1 = noticeMark(api);
    const done = await askForKeys(
      [{ name: 'GEMINI_API_KEY', who: ['gemini'] }, { name: 'ANTHROPIC_API_KEY', who: ['claude'] }, { name: 'OPENAI_API_KEY', who: ['gpt'] }],
      (name, step) => {
        steps.push(step);
        return vscode.commands.executeCommand<boolean>('fugu.setApiKey', { name, key: TEST_KEY, step, quiet: true });
      },
    );
    assert.equal(done, true);
    assert.deepEqual(steps, ['1 of 3', '2 of 3', '3 of 3']);
    assert.deepEqual(noticesSince(api, n1), [], 'no "stored" toast per key in the middle of the flow');

    // Escape on one key stops the chain.
    let asked = 0;
    assert.equal(await askForKeys([{ name: 'A', who: [] }, { name: 'B', who: [] }], async () => (asked++, false)), false);
    assert.equal(asked, 1);

    const n2 = noticeMark(api);
    await vscode.commands.executeCommand<SolveOutcome | undefined>('fugu.solve', { task: 'anything' });
    assert.equal(noticesSince(api, n2).find((n) => /needs/.test(n.text)), undefined, 'no key is missing any more');
    assert.equal(fakes.openai.lastRequest?.apiKey, TEST_KEY);
    await vscode.commands.executeCommand('fugu.rejectAll');
  });
});
