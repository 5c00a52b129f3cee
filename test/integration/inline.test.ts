import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Fakes } from '../fakes';
import { reply } from '../fakes';
import { formatTokens, formatUsd } from '../../src/core/format';
import { CURSOR_MARK, SELECTION_START } from '../../src/core/inlineWorkflow';
import type { InlineOutcome } from '../../src/vscode/inline/generateInline';
import type { ApplyOutcome } from '../../src/vscode/review/applyPlans';
import { fuguApi, noticeMark, noticesSince, openEditor, proposedDiffTabs, readDisk, useFakeProviders, waitFor, writeDisk } from './fuguSupport';

const SOURCE = 'function add(a, b) {\n  \n}\n\nfunction twice(x) {\n  return x + x;\n}\n';

describe('Generate Inline', function () {
  this.timeout(60_000);
  let fakes: Fakes;

  useFakeProviders((f) => (fakes = f));

  it('streams code at the cursor as ghost text; Tab (inline suggest commit) inserts it', async () => {
    const api = await fuguApi();
    const rel = 'it/inline-insert.js';
    await writeDisk(rel, SOURCE);
    const at = new vscode.Position(1, 2);
    const editor = await openEditor(rel, new vscode.Selection(at, at));
    fakes.gemini.enqueue(reply.text('Return the sum of a and b.'));
    fakes.openai.enqueue(reply.text('```js\n  return a + b;\n```', { tokens: ['```js\n', '  return', ' a', ' +', ' b;', '\n```'], tokenDelayMs: 250 }));

    const seen = new Set<string>();
    const running = vscode.commands.executeCommand<InlineOutcome>('fugu.generateInline', { instruction: 'return the sum' });
    const poll = setInterval(() => {
      const s = api.inlineSuggestion();
      if (s) seen.add(s);
    }, 20);
    const out = await running;
    clearInterval(poll);
    assert.equal(out.trace.status, 'succeeded', out.trace.error ?? '');
    assert.equal(out.mode, 'insert');
    assert.equal(out.code, 'return a + b;', 'fences stripped, the cursor indentation not repeated');
    assert.ok([...seen].some((s) => s.length > 0 && s !== 'return a + b;'), `no partial code was offered while streaming: ${[...seen]}`);
    // The light workflow: one planner, then the coder; the other planner is not called.
    assert.equal(fakes.gemini.stats.requests, 1);
    assert.equal(fakes.anthropic.stats.requests, 0);
    assert.ok(fakes.openai.lastRequest!.messages.some((m) => m.text.includes(CURSOR_MARK)));
    assert.equal(editor.document.getText(), SOURCE, 'nothing is inserted before the user accepts');
    assert.equal(api.inlineSuggestion(), 'return a + b;');
    // The trace is titled with what the user typed and lists the code around the cursor first; what the
    // workspace index adds (here the repository map) follows, and never the file being edited again.
    assert.equal(out.trace.title, 'return the sum');
    assert.match(out.trace.task, /^Instruction: return the sum\n/);
    assert.equal(out.trace.context[0], `${rel} (whole file, 7 lines, cursor at line 2)`);
    assert.ok(!out.trace.context.slice(1).some((c) => c.startsWith(rel)), `context sent: ${out.trace.context}`);
    const tokens = out.trace.usage.inputTokens + out.trace.usage.outputTokens;
    assert.equal(api.statusText(), `$(check) Fugu: succeeded · ${formatTokens(tokens)} tok · ${formatUsd(out.trace.costUsd)}`);

    await vscode.window.showTextDocument(editor.document, { selection: new vscode.Selection(at, at) });
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await new Promise((r) => setTimeout(r, 300));
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    await waitFor(() => editor.document.getText().includes('  return a + b;'), 'the accepted ghost text', 5000);
    assert.equal(editor.document.lineAt(1).text, '  return a + b;');
    assert.equal(api.inlineSuggestion(), undefined, 'the offer ends once accepted');
  });

  it('sends the definition the instruction names from a file that is not open, with the reason', async () => {
    const rel = 'it/inline-context.js';
    await writeDisk(rel, "const { formatPrice } = require('../src/format');\n\nfunction label(item) {\n  \n}\n");
    const at = new vscode.Position(3, 2);
    await openEditor(rel, new vscode.Selection(at, at));
    fakes.gemini.enqueue(reply.text('Call formatPrice on item.price.'));
    fakes.openai.enqueue(reply.text('return formatPrice(item.price);'));
    const out = await vscode.commands.executeCommand<InlineOutcome>('fugu.generateInline', { instruction: 'return formatPrice of the item price' });
    assert.equal(out.trace.status, 'succeeded', out.trace.error ?? '');
    // The reason starts with the definition; the words it matched may follow.
    assert.ok(out.trace.context.some((c) => c.startsWith('src/format.js (defines `formatPrice`')), `context sent: ${out.trace.context}`);
    // The file being edited is in the task already: it is listed once, as the code around the cursor.
    assert.deepEqual(out.trace.context.filter((c) => c.startsWith(rel)), [`${rel} (whole file, 5 lines, cursor at line 4)`], `context sent: ${out.trace.context}`);
    assert.ok(fakes.openai.lastRequest!.messages.some((m) => m.text.includes('return String(amount);')), 'the coder saw format.js');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.hide');
  });

  it('replacing a selection shows a diff; Accept writes it, Reject would not', async () => {
    const rel = 'it/inline-replace.js';
    await writeDisk(rel, SOURCE);
    const editor = await openEditor(rel, new vscode.Selection(new vscode.Position(5, 2), new vscode.Position(5, 15)));
    assert.equal(editor.document.getText(editor.selection), 'return x + x;');
    fakes.gemini.enqueue(reply.text('Multiply by two.'));
    fakes.openai.enqueue(reply.text('return 2 * x;'));
    const out = await vscode.commands.executeCommand<InlineOutcome>('fugu.generateInline', { instruction: 'use multiplication' });
    assert.equal(out.mode, 'replace');
    assert.equal(out.code, 'return 2 * x;');
    assert.ok(fakes.openai.lastRequest!.messages.some((m) => m.text.includes(SELECTION_START)));
    const tab = await waitFor(() => proposedDiffTabs()[0], 'the replacement diff');
    // The diff's right side follows the stream; it settles on the final code.
    await waitFor(async () => (await vscode.workspace.openTextDocument(tab.modified)).getText().includes('  return 2 * x;'), 'the final code in the diff');
    assert.equal(editor.document.getText(), SOURCE);
    const res = await vscode.commands.executeCommand<ApplyOutcome>('fugu.acceptFile', tab.modified);
    assert.deepEqual(res.applied, [rel]);
    assert.ok(editor.document.getText().includes('  return 2 * x;\n'));
    assert.equal(await readDisk(rel), editor.document.getText());
  });

  it('a failed inline run offers nothing and says why', async () => {
    const api = await fuguApi();
    const rel = 'it/inline-fail.js';
    await writeDisk(rel, SOURCE);
    const at = new vscode.Position(1, 2);
    await openEditor(rel, new vscode.Selection(at, at));
    fakes.gemini.enqueue(reply.text('plan'));
    fakes.openai.enqueue(reply.status(500, { message: 'upstream exploded' }));
    const n0 = noticeMark(api);
    const out = await vscode.commands.executeCommand<InlineOutcome>('fugu.generateInline', { instruction: 'return the sum' });
    assert.equal(out.trace.status, 'failed');
    assert.equal(api.inlineSuggestion(), undefined);
    const err = noticesSince(api, n0).find((n) => n.kind === 'error');
    assert.ok(err && /gpt/.test(err.text), JSON.stringify(noticesSince(api, n0)));
  });

  it('"Show Trace" on an inline notice shows the trace view, for a run without code and for a failed run', async () => {
    const api = await fuguApi();
    const rel = 'it/inline-show-trace.js';
    await writeDisk(rel, SOURCE);
    const at = new vscode.Position(1, 2);
    const cases: [string, () => void, RegExp][] = [
      ['no code', () => fakes.openai.enqueue(reply.text('```js\n```')), /finished without any code/],
      ['a failure', () => fakes.openai.enqueue(reply.status(500, { message: 'upstream exploded' })), /gpt/],
    ];
    for (const [what, answer, said] of cases) {
      await openEditor(rel, new vscode.Selection(at, at));
      await vscode.commands.executeCommand('workbench.action.closeSidebar');
      await waitFor(() => !api.traceViewVisible(), 'the trace view to be hidden');
      fakes.gemini.enqueue(reply.text('plan'));
      answer();
      const n0 = noticeMark(api);
      await vscode.commands.executeCommand<InlineOutcome>('fugu.generateInline', { instruction: 'return the sum' });
      const notice = noticesSince(api, n0).find((n) => n.buttons.includes('Show Trace'));
      assert.ok(notice && said.test(notice.text), `${what}: ${JSON.stringify(noticesSince(api, n0))}`);
      assert.ok(api.choose(notice, 'Show Trace'), `${what}: the notice still waits for its answer`);
      await waitFor(() => api.traceViewVisible(), `${what}: the trace view after Show Trace`);
    }
  });
});
