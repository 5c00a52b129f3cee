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
    rejects({ model: 'fugu', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function' }] }, 'tools[0]', /function: \{name/);
    const tool = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } };
    rejects({ model: 'fugu', messages: [{ role: 'user', content: 'x' }], tools: [tool], tool_choice: { type: 'function', function: { name: 'other' } } }, 'tool_choice', /'other'.*not among/);
    rejects({ model: 'fugu', messages: [{ role: 'user', content: 'x' }], tool_choice: 'required' }, 'tool_choice', /no tools/);
    rejects({ model: 'fugu', messages: [{ role: 'user', content: 'x' }, { role: 'tool', content: 'r' }] }, 'messages[1].tool_call_id', /tool_call_id/);
    rejects({ model: 'fugu', messages: [{ role: 'user', content: 'x' }], response_format: { type: 'yaml' } }, 'response_format', /json_object or json_schema/);
    rejects({ model: 'fugu', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'file:///etc/passwd' } }] }] }, 'messages[0].content[0].image_url.url', /data: URL/);
  });

  it('a new user message after a tool loop is a new task whose planners see the calls and results', () => {
    const r = parseChatRequest({
      model: 'fugu',
      messages: [
        { role: 'user', content: 'Weather in Kyoto?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Kyoto"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
        { role: 'assistant', content: 'It is sunny.' },
        { role: 'user', content: 'And tomorrow?' },
      ],
    });
    assert.deepEqual(r.turn.continuation, []);
    assert.equal(
      r.task,
      'And tomorrow?\n\n---\nEarlier conversation, oldest first:\n[user] Weather in Kyoto?\n\n[assistant] called get_weather({"city":"Kyoto"})\n\n[tool] sunny\n\n[assistant] It is sunny.',
    );
  });

  it('tool calls and their results after the last user message continue the answerer’s loop; the task stays the question', () => {
    const r = parseChatRequest({
      model: 'fugu',
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      tool_choice: 'auto',
      messages: [
        { role: 'user', content: 'Weather in Kyoto?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Kyoto"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      ],
    });
    assert.equal(r.task, 'Weather in Kyoto?');
    assert.deepEqual(r.turn.continuation, [
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'get_weather', arguments: '{"city":"Kyoto"}' }] },
      { role: 'tool', toolCallId: 'c1', content: 'sunny' },
    ]);
    assert.deepEqual(r.options.tools?.map((t) => t.name), ['get_weather']);
    assert.equal(r.options.toolChoice, 'auto');
  });
});
