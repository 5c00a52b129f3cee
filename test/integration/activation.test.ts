import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXT_ID, fuguApi } from './fuguSupport';

// Named so it runs first: nothing has called a model yet in this extension host.
describe('activation and contributions', () => {
  it('activates lazily (no "*"), fast, and without loading any provider SDK', async () => {
    const ext = vscode.extensions.getExtension(EXT_ID)!;
    const events: string[] = ext.packageJSON.activationEvents ?? [];
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'), `eager activation events: ${events}`);
    const t0 = Date.now();
    await fuguApi();
    const ms = Date.now() - t0;
    assert.ok(ms < 2000, `activation took ${ms} ms`);
    const sdks = Object.keys(require.cache).filter((k) => /sdk-(openai|anthropic|google)\.js$/.test(k));
    assert.deepEqual(sdks, [], 'a provider SDK bundle was loaded at activation');
  });

  it('builds no context index during activation (it is built later, in the background)', async () => {
    const api = await fuguApi();
    assert.equal(api.contextIndexState(), 'idle');
    const parser = Object.keys(require.cache).filter((k) => /[\\/]dist[\\/]tree-sitter\.js$/.test(k));
    assert.deepEqual(parser, [], 'tree-sitter was loaded at activation');
  });

  it('registers every contributed command', async () => {
    const ext = vscode.extensions.getExtension(EXT_ID)!;
    const contributed: string[] = ext.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    const all = new Set(await vscode.commands.getCommands(true));
    for (const cmd of ['fugu.solve', 'fugu.generateInline', 'fugu.setApiKey', 'fugu.clearApiKey', 'fugu.selectPolicy', 'fugu.showTrace', 'fugu.cancel']) {
      assert.ok(contributed.includes(cmd), `${cmd} is not contributed`);
    }
    for (const cmd of contributed) assert.ok(all.has(cmd), `${cmd} is contributed but not registered`);
  });

  it('declares the default pool and validated settings', () => {
    const c = vscode.workspace.getConfiguration('fugu');
    const workers = c.inspect<{ id: string; provider: string; role: string }[]>('workers')!.defaultValue!;
    assert.deepEqual(workers.map((w) => [w.id, w.provider, w.role]), [
      ['gemini', 'google', 'planner'],
      ['claude', 'anthropic', 'planner'],
      ['gpt', 'openai', 'coder'],
    ]);
    assert.equal(c.inspect('policy.backend')!.defaultValue, 'learned');
    const props = vscode.extensions.getExtension(EXT_ID)!.packageJSON.contributes.configuration.properties;
    assert.deepEqual(props['fugu.policy.backend'].enum, ['learned', 'builtin', 'conductor', 'fugu']);
    assert.deepEqual([props['fugu.maxSteps'].minimum, props['fugu.maxSteps'].maximum], [1, 5]);
    assert.deepEqual([props['fugu.maxRecursion'].minimum, props['fugu.maxRecursion'].maximum], [0, 3]);
    assert.deepEqual(props['fugu.workers'].items.properties.provider.enum, ['openai', 'anthropic', 'google', 'openai-compatible', 'vscode-lm']);
  });

  it("contributes Fugu's language models and the @fugu participant with /solve and /trace", () => {
    const contributes = vscode.extensions.getExtension(EXT_ID)!.packageJSON.contributes;
    assert.deepEqual(contributes.languageModelChatProviders.map((p: { vendor: string }) => p.vendor), ['fugu']);
    const [participant] = contributes.chatParticipants;
    assert.deepEqual([participant.id, participant.name, participant.commands.map((c: { name: string }) => c.name)], ['fugu.chat', 'fugu', ['solve', 'trace']]);
  });

  it('Select Policy switches the backend setting', async () => {
    const c = () => vscode.workspace.getConfiguration('fugu');
    try {
      assert.equal(await vscode.commands.executeCommand('fugu.selectPolicy', { backend: 'fugu' }), 'fugu');
      assert.equal(c().get('policy.backend'), 'fugu', JSON.stringify(c().inspect('policy.backend')));
    } finally {
      assert.equal(await vscode.commands.executeCommand('fugu.selectPolicy', { backend: 'builtin' }), 'builtin');
    }
    assert.equal(c().get('policy.backend'), 'builtin', JSON.stringify(c().inspect('policy.backend')));
  });

  it('Show Trace reveals the Fugu view', async () => {
    await vscode.commands.executeCommand('fugu.showTrace');
    // The view container's focus command exists only when the view is contributed.
    const all = await vscode.commands.getCommands(true);
    assert.ok(all.includes('fugu.trace.focus'));
  });
});
