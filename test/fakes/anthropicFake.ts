// Anthropic messages on loopback: POST /v1/messages with the real streaming event sequence.
import { contentText, FakeProvider, type FakeOptions, type Protocol } from './fakeServer';

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
};

export function startAnthropicFake(options: FakeOptions = {}): Promise<FakeProvider> {
  return new FakeProvider(anthropicProtocol, options).listen();
}
