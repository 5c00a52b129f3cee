// A Responses body with tool namespaces, as Codex CLI 0.169.0 sends it (captured from the real client):
// each namespaced tool reaches the workers under a provider-safe flat name, and a call of it in the
// history maps back to that name, so the tool loop goes on.
import assert from 'node:assert/strict';
import { ApiError } from '../../../../src/cli/serve/apiError';
import { parseResponsesRequest, type ResponseMemory } from '../../../../src/cli/serve/responsesRequest';
import { flatToolName } from '../../../../src/cli/serve/toolNamespaces';

const NOTHING_KEPT: ResponseMemory = { turns: () => undefined, item: () => undefined };
const parse = (body: unknown) => parseResponsesRequest(body, NOTHING_KEPT);

const params = (prop: string) => ({ type: 'object', properties: { [prop]: { type: 'string' } }, required: [prop], additionalProperties: false });
/** Codex's tools, trimmed: plain functions, its multi-agent namespace, a hosted tool. */
const CODEX_TOOLS = [
  { type: 'function', name: 'exec_command', description: 'Runs a command in a PTY.', strict: false, parameters: params('cmd') },
  {
    type: 'namespace',
    name: 'multi_agent_v1',
    description: 'Tools for spawning and managing sub-agents.',
    tools: [
      { type: 'function', name: 'close_agent', description: 'Close an agent.', strict: false, parameters: params('target') },
      { type: 'function', name: 'spawn_agent', description: 'Spawn a sub-agent.', strict: false, parameters: params('message') },
      { type: 'web_search' },
    ],
  },
  { type: 'web_search', external_web_access: false },
];
const PROVIDER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

function rejects(body: unknown, param: string, message: RegExp): void {
  assert.throws(
    () => parse(body),
    (e: unknown) => e instanceof ApiError && e.status === 400 && e.param === param && message.test(e.message),
    `a 400 on ${param} matching ${message}`,
  );
}

describe('serve: Responses tool namespaces', () => {
  it('a namespace’s function tools reach the workers under flat names, its description before each tool’s own', () => {
    const request = parse({ model: 'fugu', input: 'Do it.', tools: CODEX_TOOLS });
    const tools = request.options.tools!;
    assert.deepEqual(tools.map((t) => t.name), ['exec_command', 'multi_agent_v1__close_agent', 'multi_agent_v1__spawn_agent'], 'hosted tools, bare or namespaced, are left out');
    assert.equal(tools[1].description, 'Tools for spawning and managing sub-agents.\n\nClose an agent.');
    assert.deepEqual(tools[1].parameters, params('target'));
    assert.equal(tools[0].description, 'Runs a command in a PTY.', 'a bare tool is as it was');
    assert.deepEqual([...request.namespaced], [
      ['multi_agent_v1__close_agent', { namespace: 'multi_agent_v1', name: 'close_agent' }],
      ['multi_agent_v1__spawn_agent', { namespace: 'multi_agent_v1', name: 'spawn_agent' }],
    ]);
  });

  it('a custom tool inside a namespace is a namespaced custom tool', () => {
    const request = parse({ model: 'fugu', input: 'Do it.', tools: [{ type: 'namespace', name: 'files', description: '', tools: [{ type: 'custom', name: 'patch', description: 'Applies a patch.' }] }] });
    assert.deepEqual(request.options.tools!.map((t) => [t.name, t.description]), [['files__patch', 'Applies a patch.']], 'an empty namespace description adds nothing');
    assert.deepEqual([...request.customTools], ['files__patch']);
  });

  it('a custom tool’s grammar joins its description, so the workers know the form of the one string; text formats add nothing', () => {
    const grammar = 'start: begin_patch hunk+ end_patch\nbegin_patch: "*** Begin Patch" LF\n';
    const request = parse({
      model: 'fugu',
      input: 'Do it.',
      tools: [
        { type: 'custom', name: 'apply_patch', description: 'Edits files. This is a FREEFORM tool.', format: { type: 'grammar', syntax: 'lark', definition: grammar } },
        { type: 'custom', name: 'note', description: 'Takes a note.', format: { type: 'text' } },
        { type: 'custom', name: 'bare', format: { type: 'grammar', syntax: 'regex', definition: '^[a-z]+$' } },
      ],
    });
    assert.deepEqual(request.options.tools!.map((t) => [t.name, t.description]), [
      ['apply_patch', `Edits files. This is a FREEFORM tool.\n\nThe input must follow this lark grammar:\n${grammar}`],
      ['note', 'Takes a note.'],
      ['bare', 'The input must follow this regex grammar:\n^[a-z]+$'],
    ]);
  });

  it('a call of a namespaced tool in the history (name + namespace, as Codex sends it back) continues the loop under the flat name', () => {
    const request = parse({
      model: 'fugu',
      tools: CODEX_TOOLS,
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Close the helper agent.' }] },
        { type: 'function_call', status: 'completed', id: 'fc_1', name: 'close_agent', namespace: 'multi_agent_v1', arguments: '{"target":"a1"}', call_id: 'call_1' },
        { type: 'function_call_output', call_id: 'call_1', output: 'closed' },
      ],
    });
    assert.deepEqual(request.turn.continuation, [
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'multi_agent_v1__close_agent', arguments: '{"target":"a1"}' }] },
      { role: 'tool', toolCallId: 'call_1', content: 'closed' },
    ]);
    rejects({ model: 'fugu', input: [{ role: 'user', content: 'x' }, { type: 'function_call', call_id: 'c', name: 'close_agent', namespace: 7, arguments: '{}' }] }, 'input[1].namespace', /must be a string/);
  });

  it('tool_choice naming a namespaced function picks its flat name', () => {
    const request = parse({ model: 'fugu', input: 'Do it.', tools: CODEX_TOOLS, tool_choice: { type: 'function', name: 'spawn_agent', namespace: 'multi_agent_v1' } });
    assert.deepEqual(request.options.toolChoice, { name: 'multi_agent_v1__spawn_agent' });
  });

  it('a flat name is always one providers take: too long or dotted names are shortened with a hash, the same every time', () => {
    const long = flatToolName('mcp_server_with_a_rather_long_name', 'a_tool_whose_name_is_long_as_well_too');
    assert.match(long, PROVIDER_NAME);
    assert.equal(long.length, 64);
    assert.equal(long, flatToolName('mcp_server_with_a_rather_long_name', 'a_tool_whose_name_is_long_as_well_too'));
    assert.notEqual(long, flatToolName('mcp_server_with_a_rather_long_name', 'a_tool_whose_name_is_long_as_well_to0'), 'names that share the kept prefix still differ');
    const dotted = flatToolName('docs.v2', 'search');
    assert.match(dotted, PROVIDER_NAME);
    assert.notEqual(dotted, flatToolName('docs_v2', 'search'), 'a dot is not confused with an underscore');
    assert.equal(flatToolName('multi_agent_v1', 'spawn_agent'), 'multi_agent_v1__spawn_agent', 'a name that fits stays readable');
  });

  it('two tools that would reach the workers under one name, and malformed namespaces, are 400s naming the tool', () => {
    const clash = [{ type: 'function', name: 'multi_agent_v1__close_agent' }, ...CODEX_TOOLS];
    rejects({ model: 'fugu', input: 'x', tools: clash }, 'tools[2].tools[0]', /'multi_agent_v1__close_agent', as tools\[0\] does: tool names must be unique/);
    rejects({ model: 'fugu', input: 'x', tools: [{ type: 'namespace', name: 'a', tools: [{ type: 'function', name: 'b__c' }] }, { type: 'namespace', name: 'a__b', tools: [{ type: 'function', name: 'c' }] }] }, 'tools[1].tools[0]', /'a__b__c'/);
    rejects({ model: 'fugu', input: 'x', tools: [{ type: 'function', name: 'f' }, { type: 'custom', name: 'f' }] }, 'tools[1]', /must be unique/);
    rejects({ model: 'fugu', input: 'x', tools: [{ type: 'namespace', name: 'has space', tools: [] }] }, 'tools[0].name', /namespace name/);
    rejects({ model: 'fugu', input: 'x', tools: [{ type: 'namespace', name: 'ns' }] }, 'tools[0].tools', /must be an array/);
    rejects({ model: 'fugu', input: 'x', tools: [{ type: 'namespace', name: 'ns', tools: ['f'] }] }, 'tools[0].tools[0]', /must be an object/);
    rejects({ model: 'fugu', input: 'x', tools: [{ type: 'namespace', name: 'ns', tools: [{ type: 'function', name: 'bad name' }] }] }, 'tools[0].tools[0].name', /tool name/);
  });
});

describe('serve: Responses history items', () => {
  it('a message the model wrote after its calls joins their turn, so the results still follow the calls', () => {
    const request = parse({
      model: 'fugu',
      input: [
        { role: 'user', content: 'Weather?' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking. ' }] },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{}' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'One moment.' }] },
        { type: 'function_call_output', call_id: 'call_1', output: 'sunny' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Sunny.' }] },
      ],
    });
    assert.deepEqual(request.conversation.turns.slice(1), [
      { role: 'assistant', content: 'Checking. One moment.', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'call_1', content: 'sunny' },
      { role: 'assistant', content: 'Sunny.' },
    ]);
  });
});
