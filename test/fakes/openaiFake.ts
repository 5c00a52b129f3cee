// OpenAI chat completions on loopback: POST /v1/chat/completions (stream and not) and GET /v1/models.
import { argumentPieces, END_OF_CALLS, contentText, FakeProvider, sendJson, type FakeOptions, type Protocol } from './fakeServer';

const created = () => Math.floor(Date.now() / 1000);

export const openaiProtocol: Protocol = {
  provider: 'openai',
  basePath: '/v1',
  defaultFinish: 'stop',
  isChat: (method, url) => method === 'POST' && url.pathname === '/v1/chat/completions',
  other(method, url, res, fake) {
    if (method !== 'GET' || url.pathname !== '/v1/models') return false;
    const ids = fake.options.models ?? ['gpt-5', 'gpt-5-mini', 'gpt-4.1'];
    sendJson(res, 200, { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'fake' })) });
    return true;
  },
  parse(_url, headers, body) {
    const all: Array<{ role: string; content: unknown }> = Array.isArray(body.messages) ? body.messages : [];
    const system = all.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => contentText(m.content)).join('\n');
    const auth = headers.authorization;
    return {
      stream: body.stream === true,
      model: String(body.model ?? ''),
      system,
      messages: all.filter((m) => m.role !== 'system' && m.role !== 'developer').map((m) => ({ role: m.role, text: contentText(m.content) })),
      apiKey: typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined,
      wantsUsage: body.stream_options?.include_usage === true,
    };
  },
  errorBody(status, message) {
    const type = status === 401 ? 'invalid_request_error' : status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error';
    const code = status === 401 ? 'invalid_api_key' : status === 429 ? 'rate_limit_exceeded' : null;
    return { error: { message, type, param: null, code } };
  },
  // The real service echoes (part of) the key; the full key here makes scrubbing tests strict.
  authMessage: (key) => `Incorrect API key provided: ${key ?? '(none)'}. You can find your API key at https://platform.openai.com/account/api-keys.`,
  json(req, text, usage, finishReason) {
    return {
      id: `chatcmpl-fake${req.method.length}${Date.now()}`,
      object: 'chat.completion',
      created: created(),
      model: req.model,
      choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: finishReason }],
      ...(usage ? { usage: usageJson(usage) } : {}),
    };
  },
  stream(req, usage, finishReason) {
    const id = `chatcmpl-fake${Date.now()}`;
    const base = { id, object: 'chat.completion.chunk', created: created(), model: req.model, system_fingerprint: 'fp_fake' };
    const frame = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
    const wantsUsage = req.body?.stream_options?.include_usage === true;
    const tail = [frame({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }] })];
    if (wantsUsage && usage) tail.push(frame({ ...base, choices: [], usage: usageJson(usage) }));
    tail.push('data: [DONE]\n\n');
    return {
      head: [frame({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }] })],
      piece: (text) => frame({ ...base, choices: [{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }] }),
      tail,
      malformed: 'data: {"id": "chatcmpl-broken", "choices": [{"delta": {"content": "x"\n\n',
    };
  },
  extras(body) {
    const all: any[] = Array.isArray(body.messages) ? body.messages : [];
    const tools: any[] = Array.isArray(body.tools) ? body.tools : [];
    return {
      tools: tools.filter((t) => t?.type === 'function').map((t) => ({ name: t.function?.name, description: t.function?.description, parameters: t.function?.parameters })),
      toolChoice: body.tool_choice,
      toolResults: all.filter((m) => m.role === 'tool').map((m) => ({ id: m.tool_call_id, content: contentText(m.content) })),
      toolCalls: all.flatMap((m) => (m.role === 'assistant' && Array.isArray(m.tool_calls) ? m.tool_calls : [])).map((c: any) => ({ id: c.id, name: c.function?.name, arguments: c.function?.arguments })),
      images: all.flatMap((m) => (Array.isArray(m.content) ? m.content : [])).filter((p: any) => p?.type === 'image_url').map((p: any) => p.image_url?.url),
    };
  },
  tools: {
    // Each call starts with its index, id and name, then its arguments arrive in pieces; the finish is 'tool_calls'.
    stream(req, r, calls, usage) {
      const base = { id: `chatcmpl-fake${Date.now()}`, object: 'chat.completion.chunk', created: created(), model: req.model, system_fingerprint: 'fp_fake' };
      const frame = (delta: object, finish: string | null = null) => `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
      const out = [frame({ role: 'assistant', content: r.text ? '' : null, refusal: null })];
      if (r.text) out.push(frame({ content: r.text }));
      calls.forEach((c, index) => {
        out.push(frame({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }));
        for (const piece of argumentPieces(r, c.arguments)) out.push(frame({ tool_calls: [{ index, function: { arguments: piece } }] }));
      });
      if (r.textAfter) out.push(frame({ content: r.textAfter }));
      out.push(END_OF_CALLS, frame({}, 'tool_calls'));
      if (req.body?.stream_options?.include_usage === true) out.push(`data: ${JSON.stringify({ ...base, choices: [], usage: usageJson(usage) })}\n\n`);
      out.push('data: [DONE]\n\n');
      return out;
    },
    json(req, r, calls, usage) {
      const toolCalls = calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
      return {
        id: `chatcmpl-fake${Date.now()}`,
        object: 'chat.completion',
        created: created(),
        model: req.model,
        choices: [{ index: 0, message: { role: 'assistant', content: (r.text ?? '') + (r.textAfter ?? '') || null, refusal: null, tool_calls: toolCalls }, logprobs: null, finish_reason: 'tool_calls' }],
        usage: usageJson(usage),
      };
    },
  },
};

function usageJson(u: { inputTokens: number; outputTokens: number; extra?: Record<string, unknown> }) {
  return { prompt_tokens: u.inputTokens, completion_tokens: u.outputTokens, total_tokens: u.inputTokens + u.outputTokens, ...u.extra };
}

export function startOpenAIFake(options: FakeOptions = {}): Promise<FakeProvider> {
  return new FakeProvider(openaiProtocol, options).listen();
}
