// Embedding endpoints on loopback, in each provider's wire format: OpenAI's POST /v1/embeddings (float
// or base64 vectors, as the request's encoding_format asks; the SDK asks for base64 by default) and
// Gemini's POST /v1beta/models/{model}:embedContent and :batchEmbedContents. Vectors come from a
// function of the text the test gives (default: hashed words), so a test decides what is "similar".
// Faults: an HTTP error, a request left unanswered, or an answer with a vector missing.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type EmbeddingsFault = { kind: 'status'; status: number } | { kind: 'hang' } | { kind: 'cut' };

export interface EmbeddingsRequest {
  provider: 'openai' | 'gemini';
  path: string;
  apiKey: string | undefined;
  model: string;
  inputs: string[];
  /** OpenAI: the encoding_format asked for; Gemini: each request's taskType. */
  format: string | undefined;
  taskTypes: string[];
}

const DIMS = 32;

/** A vector per word hash: texts sharing words are near, others far. */
export function hashedWords(text: string): number[] {
  const v = new Array<number>(DIMS).fill(0);
  for (const w of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) v[createHash('sha1').update(w).digest()[0] % DIMS] += 1;
  return v;
}

export class FakeEmbeddings {
  readonly requests: EmbeddingsRequest[] = [];
  private faults: EmbeddingsFault[] = [];
  private readonly server: http.Server;
  private readonly hung = new Set<http.ServerResponse>();
  private port = 0;

  constructor(private readonly opts: { apiKey?: string; vectorOf?: (text: string) => number[] } = {}) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  /** OpenAI's base URL (with /v1). */
  get openaiUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }
  /** Gemini's base URL (the SDK adds /v1beta). */
  get geminiUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** The next requests get these faults, one each, in order. */
  fail(...faults: EmbeddingsFault[]): this {
    this.faults.push(...faults);
    return this;
  }

  async close(): Promise<void> {
    for (const r of this.hung) r.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private vector(text: string): number[] {
    return (this.opts.vectorOf ?? hashedWords)(text);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let raw = '';
    for await (const chunk of req) raw += chunk;
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      return send(res, 400, { error: { message: 'Request body is not valid JSON' } });
    }
    const gemini = /^\/v1beta\/models\/([^/:]+):(embedContent|batchEmbedContents)$/.exec(url.pathname);
    if (req.method === 'POST' && url.pathname === '/v1/embeddings') return this.openai(req, res, body);
    if (req.method === 'POST' && gemini) return this.gemini(req, res, body, decodeURIComponent(gemini[1]), gemini[2] === 'batchEmbedContents');
    send(res, 404, { error: { message: `No route for ${req.method} ${url.pathname}` } });
  }

  private openai(req: http.IncomingMessage, res: http.ServerResponse, body: any): void {
    const auth = req.headers.authorization;
    const apiKey = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const inputs: string[] = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) ? body.input.map(String) : [];
    this.requests.push({ provider: 'openai', path: '/v1/embeddings', apiKey, model: String(body.model ?? ''), inputs, format: body.encoding_format, taskTypes: [] });
    if (this.opts.apiKey && apiKey !== this.opts.apiKey) {
      // The real service echoes the key it refused.
      return send(res, 401, { error: { message: `Incorrect API key provided: ${apiKey}.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    }
    const fault = this.faults.shift();
    if (fault?.kind === 'status') return send(res, fault.status, { error: { message: `fake failure ${fault.status}`, type: 'server_error', param: null, code: null } });
    if (fault?.kind === 'hang') return void this.hung.add(res);
    const shown = fault?.kind === 'cut' ? inputs.slice(0, -1) : inputs;
    const data = shown.map((text, index) => {
      const v = this.vector(text);
      const embedding = body.encoding_format === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v;
      return { object: 'embedding', index, embedding };
    });
    const tokens = inputs.reduce((a, t) => a + Math.ceil(t.length / 4), 0);
    send(res, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }

  private gemini(req: http.IncomingMessage, res: http.ServerResponse, body: any, model: string, batch: boolean): void {
    const header = req.headers['x-goog-api-key'];
    const apiKey = typeof header === 'string' ? header : undefined;
    const items: any[] = batch ? (Array.isArray(body.requests) ? body.requests : []) : [body];
    const textOf = (content: any) => (Array.isArray(content?.parts) ? content.parts.map((p: any) => String(p?.text ?? '')).join('') : '');
    const inputs = items.map((r) => textOf(r.content));
    const path = `/v1beta/models/${model}:${batch ? 'batchEmbedContents' : 'embedContent'}`;
    this.requests.push({ provider: 'gemini', path, apiKey, model, inputs, format: undefined, taskTypes: items.map((r) => String(r.taskType ?? '')) });
    const error = (code: number, message: string, status: string) => send(res, code, { error: { code, message, status } });
    if (this.opts.apiKey && apiKey !== this.opts.apiKey) return error(400, 'API key not valid. Please pass a valid API key.', 'INVALID_ARGUMENT');
    const fault = this.faults.shift();
    if (fault?.kind === 'status') return error(fault.status, `fake failure ${fault.status}`, fault.status === 429 ? 'RESOURCE_EXHAUSTED' : 'INTERNAL');
    if (fault?.kind === 'hang') return void this.hung.add(res);
    const shown = fault?.kind === 'cut' ? inputs.slice(0, -1) : inputs;
    if (!batch) return send(res, 200, { embedding: { values: this.vector(shown[0] ?? '') } });
    send(res, 200, { embeddings: shown.map((t) => ({ values: this.vector(t) })) });
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
