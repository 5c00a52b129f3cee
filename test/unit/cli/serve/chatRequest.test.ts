import assert from 'node:assert/strict';
import { ApiError } from '../../../../src/cli/serve/apiError';
import { parseChatRequest } from '../../../../src/cli/serve/chatRequest';

const rejects = (body: unknown, param: string | null, pattern: RegExp) =>
  assert.throws(() => parseChatRequest(body), (e: unknown) => e instanceof ApiError && e.status === 400 && e.param === param && pattern.test(e.message));

describe('serve: a chat request becomes a task', () => {
  it('a single user message is the task as it is', () => {
    const r = parseChatRequest({ model: 'fugu', messages: [{ role: 'user', content: 'Fix the bug' }] });
    assert.equal(r.task, 'Fix the bug');
    assert.equal(r.question, 'Fix the bug');
    assert.equal(r.stream, false);
    assert.equal(r.includeUsage, false);
  });

  it('the last user message leads; instructions and earlier turns follow in order', () => {
    const r = parseChatRequest({
      model: 'fugu',
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'first question' },
        { role: 'assistant', content: 'first answer' },
        { role: 'developer', content: [{ type: 'text', text: 'Use TypeScript.' }] },
        { role: 'user', content: [{ type: 'text', text: 'second' }, { type: 'text', text: 'question' }] },
      ],
    });
    assert.equal(r.question, 'second\nquestion');
    assert.equal(
      r.task,
      'second\nquestion\n\n---\nInstructions given with this request:\nBe terse.\n\nUse TypeScript.\n\n---\nEarlier conversation, oldest first:\n[user] first question\n\n[assistant] first answer',
    );
    assert.equal(r.stream, true);
    assert.equal(r.includeUsage, true);
  });

  it('a trailing assistant turn is context; the last user message is still the task', () => {
    const r = parseChatRequest({ model: 'm', messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'prefill' }] });
    assert.equal(r.question, 'q');
    assert.match(r.task, /\[assistant\] prefill/);
  });

  it('refuses what it cannot honour, naming the parameter', () => {
    rejects([], null, /JSON object/);
    rejects({ messages: [{ role: 'user', content: 'x' }] }, 'model', /model/);
    rejects({ model: 'fugu' }, 'messages', /messages/);
    rejects({ model: 'fugu', messages: 'hi' }, 'messages', /non-empty array/);
    rejects({ model: 'fugu', messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role', /role/);
    rejects({ model: 'fugu', messages: [{ role: 'user', content: 42 }] }, 'messages[0].content', /string or an array/);
    rejects({ model: 'fugu', messages: [{ role: 'user', content: '   ' }] }, 'messages', /user message with text/);
    rejects({ model: 'fugu', messages: [{ role: 'user', content: 'x' }], n: 2 }, 'n', /one choice/);
    rejects({ model: 'fugu', messages: [{ role: 'user', content: 'x' }], stream: 'yes' }, 'stream', /boolean/);
    rejects({ model: 'fugu', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function' }] }, 'tools', /Tool calling/);
  });
});
