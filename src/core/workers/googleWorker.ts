// Gemini through @google/genai, streamed over SSE; an answer counts only once a finishReason arrives.
import type { WorkerConfig } from '../config';
import { keyEnvOf } from './keyEnv';
import { runAttempts, type Attempt } from './runAttempts';
import { argumentsObject, newCallId } from './toolCallAssembler';
import type { ChatMessage, ToolCall, Usage, Worker, WorkerOptions, WorkerRequest } from './types';

// The SDK is an ES module loaded on first use; its types come from the same import() so they match.
const loadSdk = () => import('@google/genai');
type GoogleClient = InstanceType<Awaited<ReturnType<typeof loadSdk>>['GoogleGenAI']>;

const FINISH: Record<string, string> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  BLOCKLIST: 'content_filter',
  SPII: 'content_filter',
};

export function createGoogleWorker(cfg: WorkerConfig, opts: WorkerOptions): Worker {
  let client: Promise<GoogleClient> | undefined;
  const getClient = () =>
    (client ??= loadSdk().then(
      ({ GoogleGenAI }) =>
        // vertexai: false so an environment variable cannot switch us to Vertex and its credential search.
        new GoogleGenAI({ apiKey: opts.apiKey, vertexai: false, ...(cfg.baseUrl ? { httpOptions: { baseUrl: cfg.baseUrl } } : {}) }),
    ));

  const attempt: Attempt = async (req, ctx) => {
    const api = await getClient();
    const maxTokens = req.maxOutputTokens ?? cfg.maxOutputTokens;
    const stream = await api.models.generateContentStream({
      model: cfg.model,
      contents: geminiContents(req.messages),
      config: {
        ...toolFields(req),
        ...(req.system ? { systemInstruction: req.system } : {}),
        ...(maxTokens !== undefined ? { maxOutputTokens: maxTokens } : {}),
        // Without this a cancelled call keeps the HTTP body open.
        abortSignal: ctx.signal,
      },
    });
    let text = '';
    const toolCalls: ToolCall[] = [];
    let usage: Usage | undefined;
    let finish: string | undefined;
    for await (const chunk of stream) {
      ctx.onActivity();
      const cand = chunk.candidates?.[0];
      // Read parts directly: the `text` getter warns on non-text parts, and thoughts are not the answer.
      for (const part of cand?.content?.parts ?? []) {
        if (typeof part.text === 'string' && part.text && !part.thought) {
          text += part.text;
          ctx.onDelta(part.text);
        }
        // Gemini sends each call whole, with its arguments as an object.
        if (part.functionCall?.name) {
          const f = part.functionCall;
          const call = { id: f.id || newCallId(), name: f.name!, arguments: JSON.stringify(f.args ?? {}) };
          ctx.onToolCallDelta({ index: toolCalls.length, ...call });
          toolCalls.push(call);
        }
      }
      if (cand?.finishReason) finish = cand.finishReason;
      const u = chunk.usageMetadata;
      if (u) usage = { inputTokens: u.promptTokenCount ?? 0, outputTokens: (u.candidatesTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0) };
    }
    return { text, toolCalls, usage, finishReason: finish ? (FINISH[finish] ?? finish.toLowerCase()) : undefined, finished: finish !== undefined };
  };

  const identity = { id: cfg.id, provider: cfg.provider, model: cfg.model, keyEnv: keyEnvOf(cfg), baseUrl: cfg.baseUrl };
  return { id: cfg.id, provider: cfg.provider, model: cfg.model, call: (req) => runAttempts(identity, opts, req, attempt) };
}

/** Turns as contents: 'model' for the assistant, tool results as functionResponse parts of a user turn. */
function geminiContents(messages: ChatMessage[]) {
  const names = new Map<string, string>();
  const out: { role: 'user' | 'model'; parts: Record<string, unknown>[] }[] = [];
  for (const m of messages) {
    const role = m.role === 'assistant' ? 'model' : 'user';
    const parts: Record<string, unknown>[] = [];
    if (m.role === 'tool') {
      // The response names the function, which Gemini pairs by name (and id when it sent one).
      parts.push({ functionResponse: { id: m.toolCallId, name: names.get(m.toolCallId ?? '') ?? 'tool', response: { result: m.content } } });
    } else if (m.content) parts.push({ text: m.content });
    for (const img of m.images ?? []) parts.push(imagePart(img.url));
    for (const c of m.toolCalls ?? []) {
      names.set(c.id, c.name);
      parts.push({ functionCall: { id: c.id, name: c.name, args: argumentsObject(c.arguments) } });
    }
    const last = out[out.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else out.push({ role, parts: parts.length ? parts : [{ text: '' }] });
  }
  return out;
}

function imagePart(url: string) {
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return m ? { inlineData: { mimeType: m[1], data: m[2] } } : { fileData: { fileUri: url } };
}

const MODES = { auto: 'AUTO', none: 'NONE', required: 'ANY' } as const;

/** functionDeclarations, the calling mode, and JSON output with its schema. */
function toolFields(req: WorkerRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (req.tools?.length) {
    out.tools = [
      { functionDeclarations: req.tools.map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}), parametersJsonSchema: t.parameters })) },
    ];
    const c = req.toolChoice;
    if (c) {
      out.toolConfig = {
        functionCallingConfig: typeof c === 'string' ? { mode: MODES[c] } : { mode: 'ANY', allowedFunctionNames: [c.name] },
      };
    }
  }
  const f = req.responseFormat;
  if (f) {
    out.responseMimeType = 'application/json';
    if (f.type === 'json_schema') out.responseJsonSchema = f.schema;
  }
  return out;
}
