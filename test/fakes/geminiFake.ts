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
};

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
