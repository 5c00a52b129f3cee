import assert from 'node:assert/strict';
import { conversationTask, type Conversation } from '../../../../src/core/agent/conversation';
import { cut, digest, pathsIn, planningView } from '../../../../src/core/agent/planningView';
import { tokensByChars } from '../../../../src/core/tokens/estimateTokens';
import type { ChatMessage } from '../../../../src/core/workers/types';

/** A Codex-like session: one request, then `n` rounds of a shell call and its long output, then a new user turn. */
function session(n: number): Conversation {
  const turns: ChatMessage[] = [{ role: 'user', content: 'Fix the failing parser tests in src/parse.ts (tok-first-ask).' }];
  for (let i = 0; i < n; i++) {
    const id = `call_${i}`;
    const call = i % 3 === 0 ? { id, name: 'apply_patch', arguments: JSON.stringify({ input: `*** Begin Patch\n*** Update File: src/file${i}.ts\n@@\n-a\n+b\n*** End Patch` }) } : { id, name: 'shell', arguments: JSON.stringify({ command: ['bash', '-lc', `cat src/mod${i}.ts`] }) };
    turns.push({ role: 'assistant', content: i === n - 1 ? 'Nearly there (tok-last-words).' : '', toolCalls: [call] });
    turns.push({ role: 'tool', toolCallId: id, content: `output ${i} `.repeat(400) + (i === n - 1 ? 'tok-last-result' : '') });
  }
  turns.push({ role: 'user', content: 'Now also update the README (tok-new-ask).' });
  return { instructions: ['You are a coding agent. '.repeat(200)], turns };
}

describe('core/agent: the bounded view planners see', () => {
  it('leaves a conversation that fits alone', () => {
    const c = session(2);
    assert.equal(planningView(c, conversationTask(c)!, 100_000), null);
  });

  it('keeps the request, the newest turns in full and a digest of the rest, within the limit', () => {
    const c = session(120);
    const turn = conversationTask(c)!;
    assert.ok(tokensByChars(turn.task) > 100_000, 'the whole conversation is far over the limit');
    const v = planningView(c, turn, 8000)!;
    assert.ok(v.viewTokens <= 8000, `${v.viewTokens} tokens`);
    assert.ok(tokensByChars(v.task) <= 8000);
    assert.ok(v.task.startsWith('Now also update the README (tok-new-ask).'), 'the request comes first, whole');
    assert.match(v.task, /Instructions given with this request:\nYou are a coding agent/);
    assert.match(v.task, /tok-last-result/, 'the newest turns are there in full');
    assert.ok(v.newest >= 1 && v.digested > 100 && v.newest + v.digested === turn.earlier.length);
    assert.match(v.task, /Tools called: shell ×79, apply_patch ×40/);
    assert.match(v.task, /Files touched: .*src\/file0\.ts, src\/mod1\.ts/);
    assert.match(v.task, /tok-first-ask/, 'the earlier request of the user is in the digest');
    assert.match(v.task, /This conversation is long \(about \d+ tokens\)/);
  });

  it('stays within the limit when the text is denser than the characters bound assumes', () => {
    const c = session(60);
    const turn = conversationTask(c)!;
    // A counter that finds twice the bound's tokens (CJK, base64): the view is built again, smaller.
    const dense = (s: string) => Math.ceil(s.length / 1.5);
    const v = planningView(c, turn, 6000, dense)!;
    assert.ok(v.viewTokens <= 6000, `${v.viewTokens}`);
  });

  it('finds the files a call names: path keys, patch headers, source files in a command', () => {
    assert.deepEqual(pathsIn('{"file_path":"/repo/src/a.ts","old":"x"}'), ['/repo/src/a.ts']);
    assert.deepEqual(pathsIn(JSON.stringify({ input: '*** Begin Patch\n*** Add File: docs/new.md\n+hi\n*** End Patch' })), ['docs/new.md']);
    assert.deepEqual(pathsIn(JSON.stringify({ command: ['bash', '-lc', 'sed -n 1,20p lib/util.py && ls -la'] })), ['lib/util.py']);
    assert.deepEqual(pathsIn('{"q":"' + 'a'.repeat(50_000) + '"}'), [], 'a huge argument is scanned only in its head');
  });

  it('a digest names tools by count and ends with the last results', () => {
    const d = digest(session(4).turns.slice(1, -1));
    assert.match(d, /^- Tools called: apply_patch ×2, shell ×2/, "most called first, then first called");
    assert.match(d.split('\n').at(-1)!, /^- Last results: \[apply_patch\] output 3 .*tok-last-result$/);
  });

  it('cuts long text around a note of what was left out', () => {
    const t = cut('a'.repeat(500) + 'b'.repeat(500), 200);
    assert.ok(t.length <= 200 && t.startsWith('aaa') && t.endsWith('bbb') && /characters left out/.test(t));
  });
});
