import assert from 'node:assert/strict';
import { ApiError } from '../../../../src/cli/serve/apiError';
import { parseMessagesRequest } from '../../../../src/cli/serve/messagesRequest';

const rejects = (body: unknown, param: string | null, pattern: RegExp) =>
  assert.throws(() => parseMessagesRequest(body), (e: unknown) => e instanceof ApiError && e.status === 400 && e.param === param && pattern.test(e.message));

const WRITE = { name: 'Write', input_schema: { type: 'object', properties: { file_path: { type: 'string' } } } };

describe('serve: an Anthropic messages request as Claude Code sends it', () => {
  it('a system message after the user turn joins the instructions; the user turn is still the task', () => {
    const r = parseMessagesRequest({
      model: 'fugu',
      max_tokens: 32000,
      system: [{ type: 'text', text: 'You are an agent.', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Create made.txt' }] },
        { role: 'system', content: [{ type: 'text', text: '# Environment\nPrimary working directory: /ws', cache_control: { type: 'ephemeral' } }] },
      ],
      thinking: { type: 'adaptive', display: 'omitted' },
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
      output_config: { effort: 'high' },
      metadata: { user_id: 'x' },
    });
    assert.equal(r.turn.question, 'Create made.txt');
    assert.deepEqual(r.conversation.instructions, ['You are an agent.', '# Environment\nPrimary working directory: /ws']);
    assert.deepEqual(r.conversation.turns.map((t) => t.role), ['user']);
  });

  it('the same system message as a string, between a tool_use and its tool_result, keeps the tool loop going', () => {
    const r = parseMessagesRequest({
      model: 'fugu',
      messages: [
        { role: 'user', content: 'Create made.txt' },
        { role: 'system', content: 'Primary working directory: /ws' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Write', input: { file_path: '/ws/made.txt' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'written' }] },
      ],
      tools: [WRITE],
    });
    assert.deepEqual(r.conversation.instructions, ['Primary working directory: /ws']);
    assert.deepEqual(r.turn.continuation.map((t) => [t.role, t.toolCallId ?? t.toolCalls?.[0].id]), [
      ['assistant', 'toolu_1'],
      ['tool', 'toolu_1'],
    ]);
  });

  it('a tool marked defer_loading is left out, as the API leaves it out until a tool search loads it', () => {
    const r = parseMessagesRequest({
      model: 'fugu',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [WRITE, { name: 'DeferredToolPlaceholder', description: 'never call this tool', input_schema: { type: 'object', properties: {} }, defer_loading: true }, { type: 'web_search_20250305', name: 'web_search' }],
    });
    assert.deepEqual(r.options.tools?.map((t) => t.name), ['Write']);
  });

  it('a system message that is not text, and a role that is none of the three, are 400s naming the field', () => {
    rejects({ model: 'fugu', messages: [{ role: 'user', content: 'hi' }, { role: 'system', content: [{ type: 'image', source: {} }] }] }, 'messages[1].content[0]', /system message holds only text/);
    rejects({ model: 'fugu', messages: [{ role: 'user', content: 'hi' }, { role: 'system', content: 42 }] }, 'messages[1].content', /string or an array of text blocks/);
    rejects({ model: 'fugu', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role', /user, assistant or system/);
    rejects({ model: 'fugu', messages: [{ role: 'system', content: 'only instructions' }] }, 'messages', /needs a user message/);
  });
});
