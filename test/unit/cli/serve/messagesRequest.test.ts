import assert from 'node:assert/strict';
import { ApiError } from '../../../../src/cli/serve/apiError';
import { parseMessagesRequest } from '../../../../src/cli/serve/messagesRequest';

const rejects = (body: unknown, param: string | null, pattern: RegExp) =>
  assert.throws(() => parseMessagesRequest(body), (e: unknown) => e instanceof ApiError && e.status === 400 && e.param === param && pattern.test(e.message));

const WRITE = { name: 'Write', input_schema: { type: 'object', properties: { file_path: { type: 'string' } } } };
// As Claude Code 2.1.328 sends them with its tool search on: a placeholder that keeps deferral on, the
// deferred tools with defer_loading, and the ToolSearch tool it runs itself.
const PLACEHOLDER = { name: 'DeferredToolPlaceholder', description: 'never call this tool', input_schema: { type: 'object', properties: {} }, defer_loading: true };
const NOTEBOOK_EDIT = { name: 'NotebookEdit', description: 'Replaces a cell.', input_schema: { type: 'object', properties: { notebook_path: { type: 'string' } } }, defer_loading: true };
const WEB_FETCH = { name: 'WebFetch', input_schema: { type: 'object', properties: { url: { type: 'string' } } }, defer_loading: true };
const TOOL_SEARCH = { name: 'ToolSearch', input_schema: { type: 'object', properties: { query: { type: 'string' }, max_results: { type: 'number' } }, required: ['query', 'max_results'] } };
const TOOLS = [NOTEBOOK_EDIT, TOOL_SEARCH, WEB_FETCH, PLACEHOLDER, WRITE];

/** A task, the model's ToolSearch call, and Claude Code's tool_result for it with `content`. */
const searched = (content: unknown[]) => [
  { role: 'user', content: 'Edit the notebook' },
  { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_s', name: 'ToolSearch', input: { query: 'select:NotebookEdit', max_results: 5 } }] },
  { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_s', content }] },
];
const reference = (name: string) => ({ type: 'tool_reference', tool_name: name });

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
      tools: [WRITE, PLACEHOLDER, NOTEBOOK_EDIT, { type: 'web_search_20250305', name: 'web_search' }],
    });
    assert.deepEqual(r.options.tools?.map((t) => t.name), ['Write']);
    assert.equal(r.loadedInLoop, undefined);
  });

  it('a system message that is not text, and a role that is none of the three, are 400s naming the field', () => {
    rejects({ model: 'fugu', messages: [{ role: 'user', content: 'hi' }, { role: 'system', content: [{ type: 'image', source: {} }] }] }, 'messages[1].content[0]', /system message holds only text/);
    rejects({ model: 'fugu', messages: [{ role: 'user', content: 'hi' }, { role: 'system', content: 42 }] }, 'messages[1].content', /string or an array of text blocks/);
    rejects({ model: 'fugu', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role', /user, assistant or system/);
    rejects({ model: 'fugu', messages: [{ role: 'system', content: 'only instructions' }] }, 'messages', /needs a user message/);
  });
});

describe('serve: Anthropic tool search (defer_loading tools loaded by tool_reference blocks)', () => {
  it('a deferred tool is offered once a tool_result’s tool_reference names it, in the request’s order, and the worker reads which tools were loaded', () => {
    const first = parseMessagesRequest({ model: 'fugu', messages: searched([]).slice(0, 1), tools: TOOLS });
    assert.deepEqual(first.options.tools?.map((t) => t.name), ['ToolSearch', 'Write'], 'held back before any reference');

    const r = parseMessagesRequest({ model: 'fugu', messages: searched([reference('NotebookEdit')]), tools: TOOLS });
    assert.deepEqual(r.options.tools?.map((t) => t.name), ['NotebookEdit', 'ToolSearch', 'Write'], 'WebFetch, never named, stays out');
    assert.deepEqual(r.options.tools?.[0], { name: 'NotebookEdit', description: 'Replaces a cell.', parameters: NOTEBOOK_EDIT.input_schema });
    assert.deepEqual(r.turn.continuation.map((t) => [t.role, t.content]), [
      ['assistant', ''],
      ['tool', 'Loaded tools: NotebookEdit'],
    ]);
    assert.deepEqual(r.loadedInLoop, ['NotebookEdit'], 'loaded by the run’s own loop, after the task');
  });

  it('a reference in an earlier exchange keeps its tool offered in later turns, as part of the conversation before the task', () => {
    const r = parseMessagesRequest({
      model: 'fugu',
      messages: [...searched([reference('NotebookEdit'), reference('WebFetch')]), { role: 'assistant', content: 'Loaded.' }, { role: 'user', content: 'Now fetch the page' }],
      tools: TOOLS,
    });
    assert.deepEqual(r.options.tools?.map((t) => t.name), ['NotebookEdit', 'ToolSearch', 'WebFetch', 'Write']);
    assert.equal(r.loadedInLoop, undefined, 'loaded before the task’s message: the run starts with them');
    assert.match(r.turn.task, /Loaded tools: NotebookEdit, WebFetch/, 'the earlier result reads as the tools it loaded');
  });

  it('a reference to a tool the request does not have loads nothing and says so; text beside the references is kept', () => {
    const r = parseMessagesRequest({ model: 'fugu', messages: searched([{ type: 'text', text: 'Matches:' }, reference('Nonexistent'), reference('NotebookEdit'), reference('NotebookEdit')]), tools: TOOLS });
    assert.deepEqual(r.options.tools?.map((t) => t.name), ['NotebookEdit', 'ToolSearch', 'Write']);
    assert.equal(r.turn.continuation[1].content, 'Matches:\nLoaded tools: NotebookEdit\nNot loaded, no such tool in this request: Nonexistent');
    assert.deepEqual(r.loadedInLoop, ['NotebookEdit']);

    const none = parseMessagesRequest({ model: 'fugu', messages: searched([reference('Nonexistent')]), tools: TOOLS });
    assert.deepEqual(none.options.tools?.map((t) => t.name), ['ToolSearch', 'Write']);
    assert.equal(none.turn.continuation[1].content, 'Not loaded, no such tool in this request: Nonexistent');
    assert.equal(none.loadedInLoop, undefined);
  });

  it('a reference to a tool that was never deferred only says it is loaded: it was offered all along', () => {
    const r = parseMessagesRequest({ model: 'fugu', messages: searched([reference('Write')]), tools: TOOLS });
    assert.deepEqual(r.options.tools?.map((t) => t.name), ['ToolSearch', 'Write']);
    assert.equal(r.turn.continuation[1].content, 'Loaded tools: Write');
    assert.equal(r.loadedInLoop, undefined);
  });

  it('a tool_choice naming a deferred tool offers it, as the client asks for it to be called; naming no tool of the request is a 400', () => {
    const r = parseMessagesRequest({ model: 'fugu', messages: [{ role: 'user', content: 'Fetch it' }], tools: TOOLS, tool_choice: { type: 'tool', name: 'WebFetch' } });
    assert.deepEqual(r.options.tools?.map((t) => t.name), ['ToolSearch', 'WebFetch', 'Write']);
    assert.deepEqual(r.options.toolChoice, { name: 'WebFetch' });
    assert.equal(r.loadedInLoop, undefined, 'the request itself loaded it: the run starts with it');
    rejects({ model: 'fugu', messages: [{ role: 'user', content: 'hi' }], tools: TOOLS, tool_choice: { type: 'tool', name: 'Nonexistent' } }, 'tool_choice', /names 'Nonexistent', which is not among the tools/);
  });

  it('a tool_reference without a tool_name, or outside a tool_result, is a 400 naming the block', () => {
    rejects({ model: 'fugu', messages: searched([{ type: 'tool_reference' }]), tools: TOOLS }, 'messages[2].content[0].content[0]', /tool_reference without a tool_name/);
    rejects({ model: 'fugu', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }, reference('WebFetch')] }], tools: TOOLS }, 'messages[0].content[1]', /'tool_reference' block, which this server does not take/);
  });
});
