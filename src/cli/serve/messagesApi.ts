// POST /v1/messages in Anthropic's shape: a `message` with text and tool_use blocks, or the event
// stream (message_start, content_block_start/delta/stop, message_delta with stop_reason, message_stop).
import type { Usage } from '../../core/workers/types';
import { argumentsObject } from '../../core/workers/toolCallAssembler';
import { sse, type Answer, type ApiFormat } from './api';
import { summarize } from './completion';
import { parseMessagesRequest, type MessagesRequest } from './messagesRequest';

const messageId = (id: string) => `msg_${id.replace(/-/g, '')}`;
const usageOf = (usage: Usage) => ({ input_tokens: usage.inputTokens, output_tokens: usage.outputTokens });

function message(request: MessagesRequest, answer: Answer) {
  const content = [
    ...(answer.text || answer.toolCalls.length === 0 ? [{ type: 'text', text: answer.text }] : []),
    ...answer.toolCalls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: argumentsObject(c.arguments) })),
  ];
  return {
    id: messageId(answer.id),
    type: 'message',
    role: 'assistant',
    model: request.model,
    content,
    stop_reason: answer.toolCalls.length ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: usageOf(answer.usage),
    fugu: summarize(answer.trace),
  };
}

export const messagesApi: ApiFormat<MessagesRequest> = {
  errorStyle: 'anthropic',
  parse: parseMessagesRequest,
  json: (request, answer) => message(request, answer),
  stream(request, res, id) {
    const send = (type: string, data: Record<string, unknown>) => sse(res, { type, ...data }, type);
    // One content block open at a time: a tool_use block closes the text before it, and text after
    // a call opens a new text block.
    let open: 'text' | 'tool' | null = null;
    let index = -1;
    const begin = (kind: 'text' | 'tool', block: Record<string, unknown>) => {
      close();
      open = kind;
      send('content_block_start', { index: ++index, content_block: block });
    };
    const close = () => {
      if (open) send('content_block_stop', { index });
      open = null;
    };
    return {
      start() {
        const usage = { input_tokens: 0, output_tokens: 0 };
        send('message_start', { message: { id: messageId(id), type: 'message', role: 'assistant', model: request.model, content: [], stop_reason: null, stop_sequence: null, usage } });
      },
      text(delta) {
        if (open !== 'text') begin('text', { type: 'text', text: '' });
        send('content_block_delta', { index, delta: { type: 'text_delta', text: delta } });
      },
      callStart(_call, id, name) {
        begin('tool', { type: 'tool_use', id, name, input: {} });
      },
      callDelta(_call, delta) {
        if (open === 'tool') send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: delta } });
      },
      finish(answer) {
        if (index < 0) begin('text', { type: 'text', text: '' });
        close();
        send('message_delta', { delta: { stop_reason: answer.toolCalls.length ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: usageOf(answer.usage) });
        send('message_stop', {});
        res.end();
      },
      fail(err) {
        send('error', { error: err.anthropicBody().error });
        res.end();
      },
    };
  },
};

/** /v1/messages/count_tokens: about four characters a token, over the system, messages and tools. */
export function countTokens(request: MessagesRequest): { input_tokens: number } {
  const c = request.conversation;
  const chars =
    c.instructions.join('').length +
    c.turns.reduce((n, t) => n + t.content.length + (t.toolCalls ?? []).reduce((m, x) => m + x.name.length + x.arguments.length, 0), 0) +
    JSON.stringify(request.options.tools ?? []).length;
  return { input_tokens: Math.max(1, Math.ceil(chars / 4)) };
}
