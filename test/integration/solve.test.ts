import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Fakes } from '../fakes';
import { reply } from '../fakes';
import type { ApplyOutcome } from '../../src/vscode/review/applyPlans';
import type { SolveOutcome } from '../../src/vscode/solve';
import {
  closeAll, editBlock, fileUri, fuguApi, noticeMark, noticesSince, openEditor, proposedDiffTabs, readDisk, setTestKeys, TEST_KEY, useFakeProviders, waitFor, writeDisk,
} from './fuguSupport';

const ORIGINAL = "'use strict';\n\nfunction total(a, b) {\n  return a - b;\n}\n\nmodule.exports = { total };\n";
const FIXED = "'use strict';\n\nfunction total(a, b) {\n  return a + b;\n}\n\nmodule.exports = { total };\n";

function solve(task: string): Thenable<SolveOutcome | undefined> {
  return vscode.commands.executeCommand<SolveOutcome | undefined>('fugu.solve', { task });
}

/** Planners answer, the coder answers with `coder` (text or a scripted reply). */
function script(fakes: Fakes, coder: string | ReturnType<typeof reply.text>) {
  fakes.gemini.enqueue(reply.text('Plan: change the minus to a plus in total().'));
  fakes.anthropic.enqueue(reply.text('Plan: total() must add its arguments.'));
  fakes.openai.enqueue(typeof coder === 'string' ? reply.text(coder) : coder);
}

describe('Solve with Fugu (end to end against the fake providers)', function () {
  this.timeout(60_000);
  let fakes: Fakes;

  useFakeProviders((f) => (fakes = f));

  it('sends the file defining the function the task names though it is not open, with the reason', async () => {
    await closeAll();
    await openEditor('README.md');
    script(fakes, 'Nothing to change.');
    const out = await solve('Fix applyDiscount: a percent discount is subtracted as an amount');
    assert.ok(out, 'the command returned nothing');
    assert.equal(out.trace.status, 'succeeded', out.trace.error ?? '');
    // The reason starts with the definition; the words it matched may follow.
    assert.ok(out.context.some((c) => c.startsWith('src/cart.js (defines `applyDiscount`')), `context sent: ${out.context}`);
    assert.ok(out.context.includes('README.md (open, active)'), `context sent: ${out.context}`);
    const definition = out.context.findIndex((c) => c.startsWith('src/cart.js (defines `applyDiscount`'));
    assert.ok(out.context.indexOf('README.md (open, active)') < definition, 'open editors rank above definitions');
    const planner = fakes.gemini.lastRequest!.messages.map((m) => m.text).join('\n');
    assert.ok(planner.includes('return total - discount.value;'), 'the planner saw cart.js');
  });

  it('a planner reads a file through read_file; the call and its result are on its step in the trace', async () => {
    await closeAll();
    fakes.gemini.enqueue(
      reply.toolCalls([{ name: 'read_file', arguments: { path: 'src/cart.js' } }], { text: 'Reading the cart.' }),
      reply.text('Plan: divide the percent by 100 before subtracting.'),
    );
    fakes.anthropic.enqueue(reply.text('Plan: total() must add its arguments.'));
    fakes.openai.enqueue(reply.text('Nothing to change.'));
    const out = await solve('The percent discount in the checkout is wrong');
    assert.ok(out, 'the command returned nothing');
    assert.equal(out.trace.status, 'succeeded', out.trace.error ?? '');
    assert.match(fakes.gemini.requests[1].toolResults[0]?.content ?? '', /return total - discount\.value;/);
    const step = out.trace.rounds[0].steps.find((s) => s.provider === 'google')!;
    assert.deepEqual(step.toolUses?.map((u) => [u.name, JSON.parse(u.arguments).path, u.ok]), [['read_file', 'src/cart.js', true]]);
    assert.match(step.output, /divide the percent by 100/);
  });

  it('the index follows the files on disk: a new file is found by what it defines, a deleted one is gone', async () => {
    const api = await fuguApi();
    assert.ok((await api.contextIndexFiles()).includes('src/cart.js'));
    const rel = 'it/fresh.js';
    await writeDisk(rel, 'function freshHelper(x) {\n  return x;\n}\nmodule.exports = { freshHelper };\n');
    await waitFor(async () => (await api.contextIndexFiles()).includes(rel), `the watcher to index ${rel}`);
    script(fakes, 'Nothing to change.');
    const out = await solve('Make freshHelper double its argument');
    assert.ok(out?.context.some((c) => c.startsWith(`${rel} (defines \`freshHelper\``)), `context sent: ${out?.context}`);
    await vscode.workspace.fs.delete(fileUri(rel));
    await waitFor(async () => !(await api.contextIndexFiles()).includes(rel), `the watcher to drop ${rel}`);
  });

  it('proposes a diff without touching the file; Accept All writes it; one undo restores it', async () => {
    const rel = 'it/accept.js';
    await writeDisk(rel, ORIGINAL);
    const editor = await openEditor(rel);
    script(fakes, `Fixed the sign.\n\n${editBlock(rel, '  return a - b;', '  return a + b;')}`);

    const out = await solve('Fix total() in it/accept.js: it subtracts instead of adding');
    assert.ok(out, 'the command returned nothing');
    assert.equal(out.trace.status, 'succeeded', out.trace.error ?? '');
    assert.deepEqual(out.plans.map((p) => [p.path, p.status]), [[rel, 'proposed']]);
    assert.ok(out.context.some((c) => c.startsWith(rel)), `context sent: ${out.context}`);
    // The coder saw the file as context, and the key came from SecretStorage.
    assert.ok(fakes.openai.lastRequest!.messages.some((m) => m.text.includes('return a - b;')));
    assert.equal(fakes.openai.lastRequest!.apiKey, TEST_KEY);

    // Review: a diff of two virtual documents; nothing written yet.
    const tabs = await waitFor(() => proposedDiffTabs().length > 0 && proposedDiffTabs(), 'the diff tab');
    assert.equal(tabs[0].original.scheme, 'fugu-original');
    assert.equal((await vscode.workspace.openTextDocument(tabs[0].modified)).getText(), FIXED);
    assert.equal(editor.document.getText(), ORIGINAL);
    assert.equal(await readDisk(rel), ORIGINAL);

    const applied = await vscode.commands.executeCommand<ApplyOutcome>('fugu.acceptAll');
    assert.deepEqual(applied.applied, [rel]);
    assert.equal(editor.document.getText(), FIXED);
    assert.equal(await readDisk(rel), FIXED, 'the accepted edit is saved');
    assert.equal(out.trace.final.edits[0].status, 'applied');
    assert.equal(proposedDiffTabs().length, 0, 'the diff closes once decided');

    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), ORIGINAL, 'one undo restores the file');
  });

  it('learned policy: accepting the edits records a pass; Undo within two minutes corrects it to a reject (one outcome for the run, not two)', async () => {
    const api = await fuguApi();
    // The fixture's workspace settings name builtin; this test alone runs the default, learned.
    const fugu = () => vscode.workspace.getConfiguration('fugu');
    await fugu().update('policy.backend', 'learned', vscode.ConfigurationTarget.Workspace);
    try {
      const rel = 'it/undo-learned.js';
      await writeDisk(rel, ORIGINAL);
      const editor = await openEditor(rel);
      // Whatever the learned policy picks, the coder's answer is the same edit.
      fakes.gemini.setDefault(() => reply.text('Plan: change the minus to a plus in total().'));
      fakes.anthropic.setDefault(() => reply.text('Plan: total() must add its arguments.'));
      fakes.openai.setDefault(() => reply.text(editBlock(rel, '  return a - b;', '  return a + b;')));
      const out = (await solve('Fix total() in it/undo-learned.js: it subtracts instead of adding'))!;
      assert.equal(out.trace.status, 'succeeded', out.trace.error ?? '');
      assert.ok(out.trace.rounds[0].policy.learned, 'the learned policy planned the run');
      const ofRun = async () => (await api.learnedOutcomes()).filter((o) => o.id === out.trace.id);

      await vscode.commands.executeCommand<ApplyOutcome>('fugu.acceptAll');
      assert.equal(editor.document.getText(), FIXED);
      const accepted = await waitFor(async () => ((await ofRun()).length === 1 && (await ofRun())), 'the accept in the outcome log');
      assert.deepEqual(accepted.map((o) => [o.c, o.r]), [[out.trace.rounds[0].policy.learned!.pick, 1]]);

      await vscode.window.showTextDocument(editor.document);
      await vscode.commands.executeCommand('undo');
      assert.equal(editor.document.getText(), ORIGINAL);
      const corrected = await waitFor(async () => ((await ofRun()).some((o) => o.r === 0) && (await ofRun())), 'the undo in the outcome log');
      assert.deepEqual(corrected.map((o) => o.r), [0], 'the accept is replaced, not counted beside the reject');
    } finally {
      await vscode.commands.executeCommand('fugu.rejectAll');
      await fugu().update('policy.backend', 'builtin', vscode.ConfigurationTarget.Workspace);
    }
  });

  it('Reject leaves the file as it was and records the rejection in the trace', async () => {
    const rel = 'it/reject.js';
    await writeDisk(rel, ORIGINAL);
    const editor = await openEditor(rel);
    script(fakes, editBlock(rel, '  return a - b;', '  return a + b;'));
    const out = (await solve('Fix total() in it/reject.js'))!;
    assert.equal(out.plans[0].status, 'proposed');
    const rejected = await vscode.commands.executeCommand<string[]>('fugu.rejectAll');
    assert.deepEqual(rejected, [rel]);
    assert.equal(editor.document.getText(), ORIGINAL);
    assert.equal(editor.document.isDirty, false);
    assert.equal(await readDisk(rel), ORIGINAL);
    assert.equal(out.trace.final.edits[0].status, 'rejected');
    assert.equal(await vscode.commands.executeCommand('fugu.acceptAll'), undefined, 'nothing is left to accept');
  });

  it('accepts per file from the diff, creates new files in the same undoable edit, and keeps failed blocks with their reason', async () => {
    const rel = 'it/multi.js';
    await writeDisk(rel, ORIGINAL);
    const coder =
      editBlock(rel, '  return a - b;', '  return a + b;') +
      '\n' +
      editBlock('it/created.js', '', "module.exports = 'new';") +
      '\n' +
      editBlock(rel, 'this text is not in the file', 'x');
    script(fakes, coder);
    const out = (await solve('Fix total and add created.js'))!;
    const byPath = Object.fromEntries(out.plans.map((p) => [p.path, p]));
    assert.equal(byPath['it/created.js'].status, 'proposed');
    assert.equal(byPath['it/created.js'].action, 'create');
    // The unmatched block fails the whole file's plan (never a half edit); its reason is kept.
    assert.equal(byPath[rel].status, 'failed');
    assert.ok(byPath[rel].reason, 'a failed plan has a reason');
    const failedEdit = out.trace.final.edits.find((e) => e.path === rel)!;
    assert.equal(failedEdit.status, 'failed');
    assert.ok(failedEdit.reason);

    const tab = await waitFor(() => proposedDiffTabs().find((t) => t.modified.path.endsWith('it/created.js')), 'the new file diff');
    const res = await vscode.commands.executeCommand<ApplyOutcome>('fugu.acceptFile', tab.modified);
    assert.deepEqual(res.applied, ['it/created.js']);
    assert.equal((await readDisk('it/created.js'))?.trimEnd(), "module.exports = 'new';");
    assert.equal(await readDisk(rel), ORIGINAL, 'a failed plan is never applied');
    assert.equal(out.trace.final.edits.find((e) => e.path === 'it/created.js')!.status, 'applied');
  });

  it('matches again against a document edited during the run and again before Accept', async () => {
    const rel = 'it/edited.js';
    await writeDisk(rel, ORIGINAL);
    const editor = await openEditor(rel);
    script(fakes, reply.text(editBlock(rel, '  return a - b;', '  return a + b;'), { firstTokenDelayMs: 800 }));
    const running = solve('Fix total() in it/edited.js');
    await waitFor(() => fakes.gemini.stats.requests > 0, 'the run to start');
    // Typed while the coder is still thinking: the plan is made against this text.
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// edited during the run\n'));
    const out = (await running)!;
    assert.equal(out.plans[0].status, 'proposed');
    assert.ok(out.plans[0].original!.startsWith('// edited during the run\n'));
    // And once more after the run, before accepting: the blocks are matched against the new text.
    const again = await vscode.window.showTextDocument(editor.document);
    await again.edit((e) => e.insert(new vscode.Position(again.document.lineCount - 1, 0), '// edited before accept\n'));
    const res = await vscode.commands.executeCommand<ApplyOutcome>('fugu.acceptAll');
    assert.deepEqual(res.applied, [rel]);
    assert.deepEqual(res.rematched, [rel]);
    const text = editor.document.getText();
    assert.ok(text.includes('// edited during the run') && text.includes('// edited before accept') && text.includes('return a + b;'), text);
  });

  it('Fugu: Cancel stops a run in flight; the file is untouched and the user is told', async () => {
    const api = await fuguApi();
    const rel = 'it/cancel.js';
    await writeDisk(rel, ORIGINAL);
    await openEditor(rel);
    fakes.gemini.enqueue(reply.text('plan'));
    fakes.anthropic.enqueue(reply.text('plan'));
    fakes.openai.enqueue(reply.text('a b c d e f g h i j k l m n o p q r s t u v w x y z', { tokenDelayMs: 300 }));
    const n0 = noticeMark(api);
    const running = solve('Fix total() in it/cancel.js');
    await waitFor(() => fakes.openai.stats.requests > 0, 'the coder call');
    assert.match(api.statusText(), /Fugu: step \d\/3/);
    assert.equal(await vscode.commands.executeCommand('fugu.cancel'), 1);
    const out = (await running)!;
    assert.equal(out.trace.status, 'cancelled');
    assert.deepEqual(out.plans, []);
    await fakes.openai.waitForClientClose(1, 3000);
    assert.equal(await readDisk(rel), ORIGINAL);
    const told = noticesSince(api, n0);
    assert.ok(told.some((n) => /cancelled/.test(n.text)), JSON.stringify(told));
  });

  it('a provider error reaches the user as one sentence with the fix, and the key never shows', async () => {
    const api = await fuguApi();
    await writeDisk('it/error.js', ORIGINAL);
    await openEditor('it/error.js');
    fakes.gemini.enqueue(reply.text('plan'));
    fakes.anthropic.enqueue(reply.text('plan'));
    fakes.openai.enqueue(reply.status(401, { message: `Incorrect API key provided: ${TEST_KEY}` }));
    const n0 = noticeMark(api);
    const out = (await solve('Fix total() in it/error.js'))!;
    assert.equal(out.trace.status, 'failed');
    const errors = noticesSince(api, n0).filter((n) => n.kind === 'error');
    assert.equal(errors.length, 1, JSON.stringify(noticesSince(api, n0)));
    const [e] = errors;
    assert.match(e.text, /gpt/);
    assert.ok(!e.text.includes('\n') && !/\bat .*:\d+:\d+/.test(e.text), `not one sentence: ${e.text}`);
    assert.ok(!e.text.includes(TEST_KEY), 'the key leaked into the message');
    assert.ok(e.buttons.includes('Set API Key'), `buttons: ${e.buttons}`);
    assert.equal(await readDisk('it/error.js'), ORIGINAL);
  });

  it('without a key: a clear message with a Set API Key button, and no call is made', async () => {
    const api = await fuguApi();
    await openEditor('it/error.js');
    assert.equal(await vscode.commands.executeCommand('fugu.clearApiKey', { name: 'openai' }), true);
    try {
      const n0 = noticeMark(api);
      const out = await solve('Fix total() in it/error.js');
      assert.equal(out, undefined);
      const told = noticesSince(api, n0);
      const warn = told.find((n) => /needs an OpenAI API key/.test(n.text));
      assert.ok(warn, JSON.stringify(told));
      assert.deepEqual(warn.buttons, ['Set API Key']);
      assert.equal(fakes.openai.stats.requests + fakes.gemini.stats.requests + fakes.anthropic.stats.requests, 0);
    } finally {
      await setTestKeys();
    }
  });

  it('keys live in SecretStorage: a new key is used at once and never lands in settings', async () => {
    await writeDisk('it/keys.js', ORIGINAL);
    await openEditor('it/keys.js');
    const other = 'sk-test-second-key-999888777666';
    await vscode.commands.executeCommand('fugu.setApiKey', { name: 'OPENAI_API_KEY', key: other });
    try {
      fakes.gemini.enqueue(reply.text('plan'));
      fakes.anthropic.enqueue(reply.text('plan'));
      fakes.openai.enqueue(reply.text('no edits'));
      await solve('Fix total() in it/keys.js');
      assert.equal(fakes.openai.lastRequest!.apiKey, other);
      assert.equal(fakes.gemini.lastRequest!.apiKey, TEST_KEY);
      const settings = JSON.stringify(vscode.workspace.getConfiguration('fugu'));
      assert.ok(!settings.includes(other) && !settings.includes(TEST_KEY));
    } finally {
      await setTestKeys();
    }
  });

  it('invalid settings are one clear sentence before any call', async () => {
    const api = await fuguApi();
    const c = vscode.workspace.getConfiguration('fugu');
    const good = c.get('workers');
    await c.update('workers', [{ id: 'x', provider: 'nonsense', model: 'm', role: 'coder' }], vscode.ConfigurationTarget.Global);
    try {
      const n0 = noticeMark(api);
      assert.equal(await solve('anything'), undefined);
      const e = noticesSince(api, n0).find((n) => n.kind === 'error');
      assert.ok(e && /^Fugu settings: Invalid configuration: workers\[0\]\.provider is "nonsense"; expected one of openai, anthropic, google, openai-compatible, vscode-lm\.$/.test(e.text), JSON.stringify(e));
      assert.deepEqual(e.buttons, ['Open Settings']);
      assert.equal(fakes.openai.stats.requests, 0);
    } finally {
      await c.update('workers', good, vscode.ConfigurationTarget.Global);
    }
  });

  it('a misspelt setting name in settings.json is refused with the nearest known name', async () => {
    const api = await fuguApi();
    const settingsFile = '.vscode/settings.json';
    const before = await readDisk(settingsFile);
    await writeDisk(settingsFile, JSON.stringify({ 'fugu.policy.backend': 'builtin', 'fugu.maxretries': 1 }));
    try {
      await waitFor(() => vscode.workspace.getConfiguration('fugu').has('maxretries'), 'VS Code to read the changed settings.json');
      const n0 = noticeMark(api);
      assert.equal(await solve('anything'), undefined);
      const e = noticesSince(api, n0).find((n) => n.kind === 'error');
      assert.equal(e?.text, 'Fugu settings: Invalid configuration: maxretries is not a setting; did you mean maxRetries?');
    } finally {
      await writeDisk(settingsFile, before ?? '{}');
      await waitFor(() => !vscode.workspace.getConfiguration('fugu').has('maxretries'), 'VS Code to read the restored settings.json');
    }
  });

  it('a misspelt setting is refused with the nearest known name, not ignored', async () => {
    const api = await fuguApi();
    const c = vscode.workspace.getConfiguration('fugu');
    const good = c.get<Record<string, unknown>[]>('workers')!;
    await c.update('workers', [...good.slice(0, 2), { ...good[2], timeoutMS: 300 }], vscode.ConfigurationTarget.Global);
    try {
      const n0 = noticeMark(api);
      assert.equal(await solve('anything'), undefined);
      const e = noticesSince(api, n0).find((n) => n.kind === 'error');
      assert.equal(e?.text, 'Fugu settings: Invalid configuration: workers[2].timeoutMS is not a setting; did you mean timeoutMs?');
      assert.equal(fakes.openai.stats.requests + fakes.gemini.stats.requests + fakes.anthropic.stats.requests, 0);
    } finally {
      await c.update('workers', good, vscode.ConfigurationTarget.Global);
    }
  });
});

