// Gemini generateContent on loopback: POST /v1beta/models/{model}:generateContent and
// :streamGenerateContent?alt=sse, key from x-goog-api-key or ?key=.
import { contentText, FakeProvider, type FakeOptions, type Protocol } from './fakeServer';

const ROUTE = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export const geminiProtocol: Protocol = {
  provider: 'google',
  basePath: '',
  defaultFinish: 'STOP',
  isChat: (method, url) => method === 'POST' && ROUTE.test(url.pathname),
  parse(url, headers, body) {
    const m = ROUTE.exec(url.pathname)!;
    const header = headers['x-goog-api-key'];
    const contents: Array<{ role?: string; parts?: unknown }> = Array.isArray(body.contents) ? body.contents : [];
    return {
      stream: m[2] === 'streamGenerateContent',
      model: decodeURIComponent(m[1]),
      system: contentText(body.systemInstruction?.parts ?? body.system_instruction?.parts),
      messages: contents.map((c) => ({ role: c.role ?? 'user', text: contentText(c.parts) })),
      apiKey: typeof header === 'string' ? header : (url.searchParams.get('key') ?? undefined),
      wantsUsage: true,
    };
  },
  errorBody(status, message, retryDelaySeconds) {
    const error: Record<string, unknown> = { code: status, message, status: STATUS_NAMES[status] ?? (status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT') };
    // The real API states the wait in the body as a google.rpc.RetryInfo detail.
    if (retryDelaySeconds !== undefined) error.details = [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryDelaySeconds}s` }];
    return { error };
  },
  authMessage: () => 'Request had invalid authentication credentials.',
  json(req, text, usage, finishReason) {
    return chunk(req.model, text, finishReason ?? undefined, usage);
  },
  stream(req, usage, finishReason) {
    // Gemini separates events with CRLF pairs.
    const frame = (o: unknown) => `data: ${JSON.stringify(o)}\r\n\r\n`;
    return {
      head: [],
      piece: (text) => frame(chunk(req.model, text, undefined, usage ? { inputTokens: usage.inputTokens, outputTokens: 0 } : undefined)),
      tail: [frame(chunk(req.model, '', finishReason, usage))],
      malformed: 'data: {"candidates": [{"content": {"parts": [{"text": "x"\r\n\r\n',
    };
  },
  extras(body) {
    const contents: any[] = Array.isArray(body.contents) ? body.contents : [];
    const parts = (role: string) => contents.filter((c) => (c.role ?? 'user') === role).flatMap((c) => (Array.isArray(c.parts) ? c.parts : []));
    const decls = (Array.isArray(body.tools) ? body.tools : []).flatMap((t: any) => (Array.isArray(t.functionDeclarations) ? t.functionDeclarations : []));
    return {
      tools: decls.map((d: any) => ({ name: d.name, description: d.description, parameters: d.parametersJsonSchema ?? d.parameters })),
      toolChoice: body.toolConfig?.functionCallingConfig,
      toolResults: parts('user').filter((p: any) => p.functionResponse).map((p: any) => ({ id: p.functionResponse.id, name: p.functionResponse.name, content: JSON.stringify(p.functionResponse.response) })),
      toolCalls: parts('model').filter((p: any) => p.functionCall).map((p: any) => ({ id: p.functionCall.id, name: p.functionCall.name, arguments: JSON.stringify(p.functionCall.args ?? {}) })),
      images: parts('user').filter((p: any) => p.inlineData || p.fileData).map((p: any) => p.fileData?.fileUri ?? p.inlineData?.mimeType),
    };
  },
  tools: {
    // Gemini sends each functionCall whole (arguments as an object); the finishReason stays STOP.
    stream(req, r, calls, usage) {
      const frame = (o: unknown) => `data: ${JSON.stringify(o)}\r\n\r\n`;
      const out: string[] = [];
      if (r.text) out.push(frame(chunk(req.model, r.text, undefined, undefined)));
      out.push(frame(callChunk(req.model, calls, usage)));
      return out;
    },
    json: (req, _r, calls, usage) => callChunk(req.model, calls, usage, _r.text),
  },
};

function callChunk(model: string, calls: { id: string; name: string; arguments: string }[], usage: { inputTokens: number; outputTokens: number }, text?: string) {
  const parts = [...(text ? [{ text }] : []), ...calls.map((c) => ({ functionCall: { id: c.id, name: c.name, args: JSON.parse(c.arguments) } }))];
  return {
    candidates: [{ content: { parts, role: 'model' }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: usage.inputTokens, candidatesTokenCount: usage.outputTokens, totalTokenCount: usage.inputTokens + usage.outputTokens },
    modelVersion: model,
    responseId: 'fake-response',
  };
}

function chunk(model: string, text: string, finishReason: string | undefined, usage: { inputTokens: number; outputTokens: number } | undefined) {
  return {
    candidates: [{ content: { parts: [{ text }], role: 'model' }, ...(finishReason ? { finishReason } : {}), index: 0 }],
    ...(usage
      ? {
          usageMetadata: {
            promptTokenCount: usage.inputTokens,
            ...(usage.outputTokens ? { candidatesTokenCount: usage.outputTokens } : {}),
            totalTokenCount: usage.inputTokens + usage.outputTokens,
          },
        }
      : {}),
    modelVersion: model,
    responseId: 'fake-response',
  };
}

export function startGeminiFake(options: FakeOptions = {}): Promise<FakeProvider> {
  return new FakeProvider(geminiProtocol, options).listen();
}
