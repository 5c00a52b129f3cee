import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FuguChatResult } from '../../src/vscode/lm/fuguParticipant';
import type { ApplyOutcome } from '../../src/vscode/review/applyPlans';
import { closeAll, editBlock, fileUri, fuguApi, openEditor, proposedDiffTabs, readDisk, root, waitFor, writeDisk } from './fuguSupport';
import { lmTestProvider, useLmPool, type LmTestApi } from './lmTestProvider';

const ORIGINAL = "'use strict';\n\nfunction total(a, b) {\n  return a - b;\n}\n\nmodule.exports = { total };\n";
const FIXED = "'use strict';\n\nfunction total(a, b) {\n  return a + b;\n}\n\nmodule.exports = { total };\n";

async function collect(response: vscode.LanguageModelChatResponse): Promise<string[]> {
  const chunks: string[] = [];
  for await (const c of response.text) chunks.push(c);
  return chunks;
}

/** What the @fugu handler wrote to the chat, in order. */
class RecordingStream {
  readonly parts: ({ kind: 'progress' | 'markdown'; text: string } | { kind: 'button'; command: vscode.Command })[] = [];
  progress(text: string) {
    this.parts.push({ kind: 'progress', text });
  }
  markdown(value: string | vscode.MarkdownString) {
    this.parts.push({ kind: 'markdown', text: typeof value === 'string' ? value : value.value });
  }
  button(command: vscode.Command) {
    this.parts.push({ kind: 'button', command });
  }
  text(): string {
    return this.parts.map((p) => (p.kind === 'markdown' ? p.text : '')).join('');
  }
  buttons(): vscode.Command[] {
    return this.parts.flatMap((p) => (p.kind === 'button' ? [p.command] : []));
  }
}

type FuguApiLike = Awaited<ReturnType<typeof fuguApi>>;

function chatRequest(command: string | undefined, prompt: string, references: vscode.ChatPromptReference[] = []): vscode.ChatRequest {
  return { command, prompt, references, toolReferences: [], toolInvocationToken: undefined, model: undefined } as unknown as vscode.ChatRequest;
}

/** A reference as VS Code's Chat makes it for `#name` written in `prompt` (or attached without text when `name` is absent). */
function chatReference(id: string, value: vscode.Uri | vscode.Location | string, prompt: string, name?: string): vscode.ChatPromptReference {
  if (name === undefined) return { id, value };
  const start = prompt.indexOf(name);
  assert.ok(start >= 0, `${name} is not in the prompt`);
  return { id, value, range: [start, start + name.length] };
}

describe('Fugu inside VS Code Chat (its models and @fugu)', function () {
  this.timeout(60_000);
  let lm: LmTestApi;
  let api: FuguApiLike;

  before(async () => {
    api = await fuguApi();
    lm = await lmTestProvider();
  });
  beforeEach(async () => {
    lm.reset();
    await useLmPool();
    // Solve would otherwise ask whether to run the checks and wait for the answer (the checks' test turns them on itself).
    await vscode.workspace.getConfiguration('fugu').update('verify.mode', 'off', vscode.ConfigurationTarget.Global);
    await closeAll();
  });
  after(async () => {
    await vscode.workspace.getConfiguration('fugu').update('workers', undefined, vscode.ConfigurationTarget.Global);
    await closeAll();
  });

  it("offers 'Fugu' and 'Fugu Ultra' as models; a request runs the workflow and streams the final step's answer", async () => {
    const models = await vscode.lm.selectChatModels({ vendor: 'fugu' });
    assert.deepEqual(models.map((m) => [m.id, m.name]), [['fugu', 'Fugu'], ['fugu-ultra', 'Fugu Ultra']]);
    const fugu = models[0];
    lm.enqueue('planner-a', { text: 'Plan A: explain closures with a counter.' });
    lm.enqueue('planner-b', { text: 'Plan B: mention scope.' });
    lm.enqueue('coder', { chunks: ['A closure ', 'keeps the variables ', 'of its scope.'], chunkDelayMs: 5 });

    const response = await fugu.sendRequest([
      vscode.LanguageModelChatMessage.User('What is a callback?'),
      vscode.LanguageModelChatMessage.Assistant('A function passed to another function.'),
      vscode.LanguageModelChatMessage.User('And what is a closure?'),
    ]);
    const chunks = await collect(response);
    assert.equal(chunks.join(''), 'A closure keeps the variables of its scope.');
    assert.ok(chunks.length > 1, 'the answer streams as the coder writes it');

    // The conversation became the task the way fugu serve makes it: the question first, earlier turns after.
    const planner = lm.requests().find((r) => r.model === 'planner-a')!;
    const task = planner.messages.map((m) => m.text).join('\n');
    assert.ok(task.startsWith('And what is a closure?') || task.includes('And what is a closure?\n\n---\nEarlier conversation'), task);
    assert.match(task, /Earlier conversation, oldest first:\n\[user\] What is a callback\?\n\n\[assistant\] A function passed to another function\./);
    assert.ok((await fugu.countTokens('one two three four')) > 0);
    // The run went through the same wrapper as Solve: the status bar shows its outcome.
    assert.match((await fuguApi()).statusText(), /succeeded/);
  });

  it("the models' context window is that of the pool's answering workers, and follows a change of fugu.workers", async () => {
    const windows = async () => (await vscode.lm.selectChatModels({ vendor: 'fugu' })).map((m) => m.maxInputTokens);
    // The test provider's models are not in Fugu's table: the default window.
    assert.deepEqual(await windows(), [128_000, 128_000]);
    // A pool whose coder is GPT-5 (272k) and whose answerer of questions is a Claude planner (200k).
    const pool = [
      { id: 'gpt', provider: 'openai', model: 'gpt-5', role: 'coder' },
      { id: 'claude', provider: 'anthropic', model: 'claude-sonnet-4-5', role: 'planner' },
    ];
    await vscode.workspace.getConfiguration('fugu').update('workers', pool, vscode.ConfigurationTarget.Global);
    const changed = await waitFor(async () => {
      const w = await windows();
      return w[0] !== 128_000 && w;
    }, 'VS Code to read the models again after the pool changed');
    assert.deepEqual(changed, [200_000, 200_000]);
  });

  it("stopping a Chat request cancels the run, down to the pool's model provider", async () => {
    lm.enqueue('planner-a', { chunks: ['long plan '], hang: true });
    lm.enqueue('planner-b', { chunks: ['other plan '], hang: true });
    const [fugu] = await vscode.lm.selectChatModels({ vendor: 'fugu', id: 'fugu-ultra' });
    const cts = new vscode.CancellationTokenSource();
    const response = await fugu.sendRequest([vscode.LanguageModelChatMessage.User('Plan a refactor of the cart')], {}, cts.token);
    const reading = collect(response).catch((err: unknown) => err);
    await waitFor(() => lm.requests().length >= 2, 'both planners to be asked');
    cts.cancel();
    const cancelled = await waitFor(() => lm.cancelled().length >= 2 && lm.cancelled(), 'the test provider to see the cancellations');
    assert.deepEqual([...cancelled].sort(), ['planner-a', 'planner-b']);
    await reading;
    assert.equal(lm.requests().filter((r) => r.model === 'coder').length, 0, 'the coder never ran');
    await waitFor(() => /cancelled/.test(api.statusText()), 'the status bar to show the cancelled run');
  });

  it("a tool call round trip: the Chat's tool goes to the answering worker, its call back to the Chat, and the result continues the run without planning again", async () => {
    lm.enqueue('planner-a', { text: 'Plan A: search for total().' });
    lm.enqueue('planner-b', { text: 'Plan B: then explain it.' });
    lm.enqueue('coder', { toolCall: { id: 'call-1', name: 'search', input: { q: 'total' } } }, { text: 'total() is in src/cart.js.' });
    const [fugu] = await vscode.lm.selectChatModels({ vendor: 'fugu', id: 'fugu' });
    const tools: vscode.LanguageModelChatTool[] = [{ name: 'search', description: 'Searches the workspace', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } }];
    const question = vscode.LanguageModelChatMessage.User('Fix total() in src/cart.js: it subtracts instead of adding');

    const first = await fugu.sendRequest([question], { tools });
    const parts: unknown[] = [];
    for await (const p of first.stream) parts.push(p);
    const call = parts.find((p): p is vscode.LanguageModelToolCallPart => p instanceof vscode.LanguageModelToolCallPart);
    assert.ok(call, `no tool call came back: ${JSON.stringify(parts)}`);
    assert.deepEqual([call.callId, call.name, call.input], ['call-1', 'search', { q: 'total' }]);
    assert.deepEqual(lm.requests().find((r) => r.model === 'coder')?.tools, ['search'], 'the coder was offered the tool');
    assert.deepEqual(lm.requests().filter((r) => r.model !== 'coder').map((r) => r.tools), [[], []], 'the planners were not');

    const second = await fugu.sendRequest(
      [question, vscode.LanguageModelChatMessage.Assistant([call]), vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart('call-1', [new vscode.LanguageModelTextPart('src/cart.js:3 function total')])])],
      { tools },
    );
    assert.equal((await collect(second)).join(''), 'total() is in src/cart.js.');
    const coderAsked = lm.requests().filter((r) => r.model === 'coder');
    assert.equal(coderAsked.length, 2);
    assert.ok(coderAsked[1].messages.some((m) => m.text.includes('[result of call-1] src/cart.js:3 function total')), 'the result reached the coder');
    assert.equal(lm.requests().filter((r) => r.model !== 'coder').length, 2, 'the planners were not asked again');
    // One run in the trace panel: the coder's first turn (its call and the Chat's result) kept on its step.
    const shown = api.shownTrace()!;
    assert.equal(shown.status, 'succeeded');
    const coderStep = shown.rounds[0].steps.find((s) => s.worker === 'lm-coder')!;
    assert.equal(coderStep.output, 'total() is in src/cart.js.');
    assert.deepEqual(coderStep.turns?.map((t) => [t.toolCalls.map((c) => c.name), t.results.map((r) => r.content)]), [[['search'], ['src/cart.js:3 function total']]]);
  });

  it('takes the tools an agent-mode request offers and still answers in text', async () => {
    lm.enqueue('planner-a', { text: 'Plan A.' });
    lm.enqueue('planner-b', { text: 'Plan B.' });
    lm.enqueue('coder', { text: 'Use the search tool next time.' });
    const [fugu] = await vscode.lm.selectChatModels({ vendor: 'fugu', id: 'fugu' });
    const tools: vscode.LanguageModelChatTool[] = [{ name: 'search', description: 'Searches the workspace', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } }];
    const text = (await collect(await fugu.sendRequest([vscode.LanguageModelChatMessage.User('Find the cart total code')], { tools }))).join('');
    assert.equal(text, 'Use the search tool next time.');
  });

  it('a failed run is an error for the Chat, with the reason', async () => {
    lm.enqueue('planner-a', { error: 'NoPermissions' });
    lm.enqueue('planner-b', { text: 'Plan B.' });
    const [fugu] = await vscode.lm.selectChatModels({ vendor: 'fugu', id: 'fugu' });
    await assert.rejects(
      (async () => collect(await fugu.sendRequest([vscode.LanguageModelChatMessage.User('Explain this code')])))(),
      /VS Code did not allow Fugu to use/,
    );
  });

  it('@fugu /solve gives the checks\' verdict before the edits when checks are on', async () => {
    const c = () => vscode.workspace.getConfiguration('fugu');
    await writeDisk('it/chat-verify/sum.js', 'exports.sum = (a, b) => a - b;\n');
    await writeDisk('it/chat-verify/sum.test.js', "const test = require('node:test');\nconst assert = require('node:assert');\nconst { sum } = require('./sum.js');\ntest('sum adds', () => assert.strictEqual(sum(2, 3), 5));\n");
    await c().update('verify.mode', 'on', vscode.ConfigurationTarget.Global);
    await c().update('verify.command', ['node', '--test', 'it/chat-verify/'], vscode.ConfigurationTarget.Global);
    let reviewId: string | undefined;
    try {
      lm.enqueue('planner-a', { text: 'Plan A: add.' });
      lm.enqueue('planner-b', { text: 'Plan B: add.' });
      lm.enqueue('coder', { text: editBlock('it/chat-verify/sum.js', 'exports.sum = (a, b) => a - b;', 'exports.sum = (a, b) => a + b;') });
      const stream = new RecordingStream();
      const cts = new vscode.CancellationTokenSource();
      const result = (await api.chatHandler(chatRequest('solve', 'Fix sum() in it/chat-verify/sum.js: it subtracts'), { history: [] } as unknown as vscode.ChatContext, stream as unknown as vscode.ChatResponseStream, cts.token)) as FuguChatResult;
      reviewId = result.metadata?.reviewId ?? undefined;
      const text = stream.text();
      assert.match(text, /Checks pass \(node --test it\/chat-verify\/\)\./);
      assert.ok(text.indexOf('Checks pass') < text.indexOf('proposes changes'), 'the verdict comes before the edits');
      assert.equal(await readDisk('it/chat-verify/sum.js'), 'exports.sum = (a, b) => a - b;\n', 'nothing written before the user accepts');
    } finally {
      await c().update('verify.mode', 'off', vscode.ConfigurationTarget.Global);
      await c().update('verify.command', undefined, vscode.ConfigurationTarget.Global);
      if (reviewId) await vscode.commands.executeCommand('fugu.rejectAll', reviewId);
    }
  });

  it('@fugu /solve shows progress, lists every proposed file with buttons that open the review; /trace opens the last run', async () => {
    const rel = 'it/chat-solve.js';
    const other = 'it/chat-solve-other.js';
    await writeDisk(rel, ORIGINAL);
    await writeDisk(other, ORIGINAL);
    await openEditor(rel);
    lm.enqueue('planner-a', { chunks: ['Plan A: ', 'use a plus.'], chunkDelayMs: 20 });
    lm.enqueue('planner-b', { text: 'Plan B: total() adds.' });
    lm.enqueue('coder', { text: editBlock(rel, '  return a - b;', '  return a + b;') + editBlock(other, '  return a - b;', '  return a + b;') });

    const stream = new RecordingStream();
    const cts = new vscode.CancellationTokenSource();
    const result = (await api.chatHandler(chatRequest('solve', `Fix total() in ${rel} and ${other}`), { history: [] } as unknown as vscode.ChatContext, stream as unknown as vscode.ChatResponseStream, cts.token)) as FuguChatResult;
    assert.ok(stream.parts.some((p) => p.kind === 'progress'), 'progress went to the chat');
    assert.match(stream.text(), /\*\*succeeded\*\* · 3 calls · .* tokens · \$0(\.0+)? \(subscription\)/);
    assert.match(stream.text(), new RegExp(`proposes changes to 2 files[^]*\`${rel}\` \\(modify\\)\n- \`${other}\` \\(modify\\)`));
    // The Chat folds a finished answer up to its last unbroken text: all of it comes before the first button.
    const firstButton = stream.parts.findIndex((p) => p.kind === 'button');
    assert.ok(stream.parts.slice(firstButton).every((p) => p.kind === 'button'), JSON.stringify(stream.parts.map((p) => p.kind)));
    const reviews = stream.buttons().filter((b) => b.command === 'fugu.previewEdit');
    assert.deepEqual(reviews.map((b) => b.arguments), [[result.metadata?.reviewId, rel], [result.metadata?.reviewId, other]]);
    const review = reviews[0];
    assert.equal(proposedDiffTabs().length, 0, 'the chat lists the diffs instead of opening them');
    assert.equal(await readDisk(rel), ORIGINAL);

    await vscode.commands.executeCommand(review.command, ...review.arguments!);
    await waitFor(() => proposedDiffTabs().length > 0, 'the diff the button opens');
    const acceptAll = stream.buttons().find((b) => b.command === 'fugu.acceptAll')!;
    const applied = await vscode.commands.executeCommand<ApplyOutcome>(acceptAll.command, ...acceptAll.arguments!);
    assert.deepEqual(applied.applied, [rel, other]);
    assert.equal(await readDisk(rel), FIXED);
    assert.equal(await readDisk(other), FIXED);

    const traceStream = new RecordingStream();
    const traced = (await api.chatHandler(chatRequest('trace', ''), { history: [] } as unknown as vscode.ChatContext, traceStream as unknown as vscode.ChatResponseStream, cts.token)) as FuguChatResult;
    assert.equal(traced.metadata?.runId, result.metadata?.runId, '/trace names the last run');
    assert.match(traceStream.text(), /trace panel shows the last run/);
  });

  describe('what the user attached in Chat', () => {
    const CART = "function total(items) {\n  return items.reduce((s, i) => s - i.price, 0);\n}\n\nmodule.exports = { total };\n";
    const PRICE = "// prices\n\nfunction parsePrice(text) {\n  return Number(text.replace('$', ''));\n}\n\nfunction formatPrice(n) {\n  return '$' + n;\n}\n";

    async function solveInChat(prompt: string, references: vscode.ChatPromptReference[]) {
      const stream = new RecordingStream();
      const cts = new vscode.CancellationTokenSource();
      const result = (await api.chatHandler(chatRequest('solve', prompt, references), { history: [] } as unknown as vscode.ChatContext, stream as unknown as vscode.ChatResponseStream, cts.token)) as FuguChatResult;
      if (result.metadata?.reviewId) await vscode.commands.executeCommand('fugu.rejectAll', result.metadata.reviewId);
      return { stream, result };
    }

    it('@fugu /solve sends an attached file and a Location first, with their reason and lines, and the trace lists them so', async () => {
      const cart = await writeDisk('it/attach/cart.js', CART);
      const price = await writeDisk('it/attach/price.js', PRICE);
      // The attached file has unsaved changes in an editor: those are what is sent.
      const editor = await openEditor('it/attach/cart.js');
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// unsaved note\n'));
      // Another file is open: it comes after the attachments.
      await writeDisk('it/attach/other.js', 'exports.other = 1;\n');
      await openEditor('it/attach/other.js');
      lm.enqueue('planner-a', { text: 'Plan A: add.' });
      lm.enqueue('planner-b', { text: 'Plan B: add.' });
      lm.enqueue('coder', { text: editBlock('it/attach/cart.js', '  return items.reduce((s, i) => s - i.price, 0);', '  return items.reduce((s, i) => s + i.price, 0);') });
      const prompt = 'Fix total() in #file:cart.js, prices are parsed as in #sym:parsePrice';
      // VS Code lists the references last first.
      const references = [
        chatReference('vscode.symbol', new vscode.Location(price, new vscode.Range(2, 0, 5, 0)), prompt, '#sym:parsePrice'),
        chatReference('vscode.file', cart, prompt, '#file:cart.js'),
      ];
      try {
        const { stream } = await solveInChat(prompt, references);
        assert.match(stream.text(), /\*\*succeeded\*\*/);
        assert.doesNotMatch(stream.text(), /Not sent/);
        const trace = api.shownTrace()!;
        assert.deepEqual(trace.context.slice(0, 3), ['it/attach/cart.js (attached in chat)', 'it/attach/price.js (attached in chat; lines 3-5)', 'it/attach/other.js (open, active)']);
        // The resolved #references became the names the context list uses.
        assert.ok(trace.task.startsWith('Fix total() in `it/attach/cart.js`, prices are parsed as in `it/attach/price.js` (lines 3-5)'), trace.task);
        const planner = lm.requests().find((r) => r.model === 'planner-a')!.messages.map((m) => m.text).join('\n');
        assert.match(planner, /File: it\/attach\/cart\.js \(attached in chat\)\n```\n\/\/ unsaved note\nfunction total/);
        assert.match(planner, /File: it\/attach\/price\.js \(attached in chat; lines 3-5\)\n```\nfunction parsePrice\(text\) \{\n {2}return Number\(text\.replace\('\$', ''\)\);\n\}\n```/);
        assert.ok(!planner.includes('#file:cart.js'), 'the #reference text is gone from the task');
      } finally {
        await vscode.window.showTextDocument(editor.document);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
    });

    it('@fugu /solve skips a reference outside the workspace with a note in the chat and the trace, and still runs', async () => {
      const inside = await writeDisk('it/attach/inside.js', 'exports.inside = true;\n');
      const outside = vscode.Uri.joinPath(root(), '..', 'outside-the-workspace', 'secret.js');
      lm.enqueue('planner-a', { text: 'Plan A.' });
      lm.enqueue('planner-b', { text: 'Plan B.' });
      lm.enqueue('coder', { text: 'Nothing to change.' });
      const prompt = 'Compare #file:secret.js with #file:inside.js';
      const references = [chatReference('vscode.file', inside, prompt, '#file:inside.js'), chatReference('vscode.file', outside, prompt, '#file:secret.js')];
      const { stream } = await solveInChat(prompt, references);
      const note = `${outside.fsPath} (attached in chat; not sent: it is outside the workspace folder)`;
      assert.ok(stream.text().indexOf(`Not sent:\n- ${note}`) >= 0, stream.text());
      assert.ok(stream.text().indexOf('Not sent') < stream.text().indexOf('**succeeded**'), 'the note comes before the run\'s outcome');
      const trace = api.shownTrace()!;
      assert.equal(trace.status, 'succeeded');
      assert.equal(trace.context[0], 'it/attach/inside.js (attached in chat)');
      assert.equal(trace.context[trace.context.length - 1], note);
      // What was not resolved stays as the user wrote it.
      assert.ok(trace.task.startsWith('Compare #file:secret.js with `it/attach/inside.js`'), trace.task);
    });

    it('@fugu /solve sends the files of an attached folder and a text reference, and says what is not text', async () => {
      await writeDisk('it/attach-dir/a.js', 'exports.a = 1;\n');
      await writeDisk('it/attach-dir/sub/b.js', 'exports.b = 2;\n');
      const logo = await writeDisk('it/attach-dir/logo.png', '');
      await vscode.workspace.fs.writeFile(logo, Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]));
      lm.enqueue('planner-a', { text: 'Plan A.' });
      lm.enqueue('planner-b', { text: 'Plan B.' });
      lm.enqueue('coder', { text: 'Nothing to change.' });
      const prompt = 'Explain #folder:attach-dir given #terminalLastCommand';
      const references = [
        chatReference('vscode.terminalLastCommand', 'npm test\n2 failing', prompt, '#terminalLastCommand'),
        chatReference('vscode.folder', fileUri('it/attach-dir'), prompt, '#folder:attach-dir'),
        chatReference('vscode.file', logo, prompt),
        { id: 'vscode.image', value: { mimeType: 'image/png', data: () => Promise.resolve(new Uint8Array()) } },
      ];
      await waitFor(async () => (await api.contextIndexFiles()).includes('it/attach-dir/sub/b.js'), 'the index to list the new folder');
      const { stream } = await solveInChat(prompt, references);
      assert.match(stream.text(), /it\/attach-dir\/logo\.png \(attached in chat; not sent: it is not text \(binary\)\)/);
      assert.match(stream.text(), /#vscode\.image \(attached in chat; not sent: Fugu sends files, parts of files, folders and text, and this is none of them\)/);
      const trace = api.shownTrace()!;
      // The attached text first, then the folder's files, shallowest first.
      assert.deepEqual(trace.context.slice(0, 3), [
        '#terminalLastCommand (attached in chat)',
        'it/attach-dir/a.js (attached in chat: folder it/attach-dir/)',
        'it/attach-dir/sub/b.js (attached in chat: folder it/attach-dir/)',
      ]);
      assert.ok(trace.task.startsWith('Explain `it/attach-dir/` given `#terminalLastCommand`'), trace.task);
      const planner = lm.requests().find((r) => r.model === 'planner-a')!.messages.map((m) => m.text).join('\n');
      assert.match(planner, /File: #terminalLastCommand \(attached in chat\)\n```\nnpm test\n2 failing\n```/);
    });
  });
});
