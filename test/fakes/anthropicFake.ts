// Anthropic messages on loopback: POST /v1/messages with the real streaming event sequence.
import { argumentPieces, END_OF_CALLS, contentText, FakeProvider, type FakeOptions, type Protocol } from './fakeServer';

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export const anthropicProtocol: Protocol = {
  provider: 'anthropic',
  basePath: '',
  defaultFinish: 'end_turn',
  isChat: (method, url) => method === 'POST' && url.pathname === '/v1/messages',
  parse(_url, headers, body) {
    const system = Array.isArray(body.system) ? contentText(body.system) : typeof body.system === 'string' ? body.system : '';
    const all: Array<{ role: string; content: unknown }> = Array.isArray(body.messages) ? body.messages : [];
    const xKey = headers['x-api-key'];
    const auth = headers.authorization;
    const apiKey = typeof xKey === 'string' ? xKey : typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
    return {
      stream: body.stream === true,
      model: String(body.model ?? ''),
      system,
      messages: all.map((m) => ({ role: m.role, text: contentText(m.content) })),
      apiKey,
      wantsUsage: true,
    };
  },
  errorBody: (status, message) => ({
    type: 'error',
    error: { type: ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error'), message },
    request_id: 'req_fake',
  }),
  authMessage: () => 'invalid x-api-key',
  json(req, text, usage, finishReason) {
    return {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model: req.model,
      content: [{ type: 'text', text }],
      stop_reason: finishReason,
      stop_sequence: null,
      usage: { input_tokens: usage?.inputTokens ?? 0, output_tokens: usage?.outputTokens ?? 0 },
    };
  },
  stream(req, usage, finishReason) {
    const ev = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
    const input = usage?.inputTokens ?? 0;
    return {
      head: [
        ev('message_start', {
          message: {
            id: 'msg_fake',
            type: 'message',
            role: 'assistant',
            model: req.model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: input, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 },
          },
        }),
        ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
        ev('ping', {}),
      ],
      piece: (text) => ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
      tail: [
        ev('content_block_stop', { index: 0 }),
        ev('message_delta', { delta: { stop_reason: finishReason, stop_sequence: null }, usage: { output_tokens: usage?.outputTokens ?? 0 } }),
        ev('message_stop', {}),
      ],
      malformed: 'event: content_block_delta\ndata: {"type": "content_block_delta", "index": 0, "delta": {\n\n',
    };
  },
  extras(body) {
    const all: any[] = Array.isArray(body.messages) ? body.messages : [];
    const blocks = (role: string) => all.filter((m) => m.role === role).flatMap((m) => (Array.isArray(m.content) ? m.content : []));
    const tools: any[] = Array.isArray(body.tools) ? body.tools : [];
    return {
      tools: tools.map((t) => ({ name: t.name, description: t.description, parameters: t.input_schema })),
      toolChoice: body.tool_choice,
      toolResults: blocks('user').filter((b: any) => b?.type === 'tool_result').map((b: any) => ({ id: b.tool_use_id, content: contentText(b.content) })),
      toolCalls: blocks('assistant').filter((b: any) => b?.type === 'tool_use').map((b: any) => ({ id: b.id, name: b.name, arguments: JSON.stringify(b.input ?? {}) })),
      images: blocks('user').filter((b: any) => b?.type === 'image').map((b: any) => b.source?.url ?? b.source?.media_type),
    };
  },
  tools: {
    // tool_use blocks whose input streams as input_json_delta pieces; stop_reason 'tool_use'.
    stream(req, r, calls, usage) {
      const ev = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
      const out = [
        ev('message_start', {
          message: { id: 'msg_fake', type: 'message', role: 'assistant', model: req.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.inputTokens, output_tokens: 1 } },
        }),
      ];
      let index = 0;
      if (r.text) {
        out.push(ev('content_block_start', { index, content_block: { type: 'text', text: '' } }));
        out.push(ev('content_block_delta', { index, delta: { type: 'text_delta', text: r.text } }));
        out.push(ev('content_block_stop', { index }));
        index++;
      }
      for (const c of calls) {
        out.push(ev('content_block_start', { index, content_block: { type: 'tool_use', id: c.id, name: c.name, input: {} } }));
        for (const piece of argumentPieces(r, c.arguments)) out.push(ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } }));
        out.push(ev('content_block_stop', { index }));
        index++;
      }
      out.push(END_OF_CALLS);
      out.push(ev('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: usage.outputTokens } }));
      out.push(ev('message_stop', {}));
      return out;
    },
    json(req, r, calls, usage) {
      return {
        id: 'msg_fake',
        type: 'message',
        role: 'assistant',
        model: req.model,
        content: [...(r.text ? [{ type: 'text', text: r.text }] : []), ...calls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: JSON.parse(c.arguments) }))],
        stop_reason: 'tool_use',
        stop_sequence: null,
        usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
      };
    },
  },
};

export function startAnthropicFake(options: FakeOptions = {}): Promise<FakeProvider> {
  return new FakeProvider(anthropicProtocol, options).listen();
}
