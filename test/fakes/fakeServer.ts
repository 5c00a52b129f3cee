// The scripting core shared by the three protocol fakes: an HTTP server on loopback that records every
// request, picks a reply (matchers, then the queue, then the default) and writes it through a protocol.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { estimateTokens, normalizeCall, splitInto, splitPieces, type FakeUsage, type Reply, type TextReply, type ToolCallsReply } from './reply';

export type FakeProviderName = 'openai' | 'anthropic' | 'google';

export interface FakeMessage {
  role: string;
  text: string;
}

/** A tool as the client declared it, in any provider's format. */
export interface FakeTool {
  name: string;
  description?: string;
  parameters: unknown;
}

/** A tool result the client sent back (OpenAI role 'tool', Anthropic tool_result, Gemini functionResponse). */
export interface FakeToolResult {
  id?: string;
  name?: string;
  content: string;
}

/** The tool calls, tool results and images a request carried, besides its text. */
export interface ParsedExtras {
  tools: FakeTool[];
  /** The provider's own tool choice value, as sent. */
  toolChoice: unknown;
  toolResults: FakeToolResult[];
  /** Earlier calls of the model that the client sent back as history. */
  toolCalls: { id?: string; name: string; arguments: string }[];
  /** Each image's URL, or its media type when sent inline. */
  images: string[];
}

/** One tool-calling answer, framed in a provider's wire format. */
export interface ToolFrames {
  stream(req: FakeRequest, r: ToolCallsReply, calls: { id: string; name: string; arguments: string }[], usage: FakeUsage): string[];
  json(req: FakeRequest, r: ToolCallsReply, calls: { id: string; name: string; arguments: string }[], usage: FakeUsage): unknown;
}

export interface FakeRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (undefined when there is none or it is not JSON). */
  body: any;
  rawBody: string;
  stream: boolean;
  model: string;
  system: string;
  /** Conversation turns in order, with the provider's own role names ('assistant' or 'model'). */
  messages: FakeMessage[];
  lastUserText: string;
  /** The key the client sent, whichever header or query parameter carried it. */
  apiKey: string | undefined;
  /** Set when the client closed the connection before the response ended. */
  clientClosed: boolean;
  /** performance.now() when the request body had arrived. */
  receivedAt: number;
  /** performance.now() when the request's headers arrived, before its body was read. */
  arrivedAt: number;
  /** performance.now() when the response ended or was closed (undefined while it is open). */
  endedAt?: number;
  tools: FakeTool[];
  toolChoice: unknown;
  toolResults: FakeToolResult[];
  toolCalls: ParsedExtras['toolCalls'];
  images: string[];
}

export type ReplySpec = Reply | ((req: FakeRequest) => Reply);

/** Frames of one streamed answer in a provider's wire format. */
export interface StreamPlan {
  head: string[];
  piece(text: string, index: number): string;
  /** The finish marker and everything after the text; dropped by `noFinish`. */
  tail: string[];
  malformed: string;
}

export interface ParsedChat {
  stream: boolean;
  model: string;
  system: string;
  messages: FakeMessage[];
  apiKey: string | undefined;
  /** OpenAI's stream_options.include_usage; other providers always send usage. */
  wantsUsage: boolean;
}

export interface Protocol {
  provider: FakeProviderName;
  /** Appended to the origin to make the base URL an SDK expects. */
  basePath: string;
  isChat(method: string, url: URL): boolean;
  /** Routes other than chat (e.g. GET /v1/models); return false to 404. */
  other?(method: string, url: URL, res: http.ServerResponse, fake: FakeProvider): boolean;
  parse(url: URL, headers: http.IncomingHttpHeaders, body: any): ParsedChat;
  /** `retryDelaySeconds` lets a provider put the delay in its body too (Gemini's RetryInfo). */
  errorBody(status: number, message: string, retryDelaySeconds?: number): unknown;
  /** The message a real provider sends for a bad key (may echo the key, as some do). */
  authMessage(key: string | undefined): string;
  json(req: FakeRequest, text: string, usage: FakeUsage | undefined, finishReason: string | null): unknown;
  stream(req: FakeRequest, usage: FakeUsage | undefined, finishReason: string): StreamPlan;
  defaultFinish: string;
  extras(body: any): ParsedExtras;
  tools: ToolFrames;
}

export interface FakeOptions {
  /** Fixed port; default 0 (a free one). */
  port?: number;
  /** When set, requests with another key get the provider's 401. */
  apiKey?: string;
  /** Model ids listed by GET /v1/models (OpenAI fake). */
  models?: string[];
  /** Reply used when no matcher matches and the queue is empty. Default: an echo of the last user text. */
  defaultReply?: (req: FakeRequest) => Reply;
}

export interface FakeStats {
  /** Chat requests received. */
  requests: number;
  /** Responses still open. */
  open: number;
  /** Responses the client closed before they ended (cancellation, timeouts). */
  clientClosed: number;
  /** Responses this server cut on purpose (`cutAfter`). */
  serverCut: number;
}

interface Matcher {
  match: (req: FakeRequest) => boolean;
  reply: ReplySpec;
  times: number;
}

export function echoReply(req: FakeRequest): Reply {
  return { kind: 'text', text: `[${req.model}] ${req.lastUserText}` };
}

export class FakeProvider {
  readonly requests: FakeRequest[] = [];
  readonly stats: FakeStats = { requests: 0, open: 0, clientClosed: 0, serverCut: 0 };
  private queue: ReplySpec[] = [];
  private matchers: Matcher[] = [];
  private defaultReply: (req: FakeRequest) => Reply;
  private closeWaiters: Array<() => void> = [];
  private server: http.Server;
  private port = 0;

  constructor(
    readonly protocol: Protocol,
    readonly options: FakeOptions = {},
  ) {
    this.defaultReply = options.defaultReply ?? echoReply;
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  get provider(): FakeProviderName {
    return this.protocol.provider;
  }
  /** http://127.0.0.1:PORT with no path. */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  /** The base URL to give the SDK (OpenAI's includes /v1, the others do not). */
  get url(): string {
    return this.origin + this.protocol.basePath;
  }
  get lastRequest(): FakeRequest | undefined {
    return this.requests[this.requests.length - 1];
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Replies used in order, one per chat request, before the default. */
  enqueue(...replies: ReplySpec[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** Answer requests matching `match` with `reply` (checked before the queue); `times` limits uses. */
  on(match: (req: FakeRequest) => boolean, replySpec: ReplySpec, opts: { times?: number } = {}): this {
    this.matchers.push({ match, reply: replySpec, times: opts.times ?? Infinity });
    return this;
  }

  setDefault(fn: (req: FakeRequest) => Reply): this {
    this.defaultReply = fn;
    return this;
  }

  /** Forget scripted replies, recorded requests and counters (the default reply stays). */
  reset(): void {
    this.queue = [];
    this.matchers = [];
    this.requests.length = 0;
    Object.assign(this.stats, { requests: 0, clientClosed: 0, serverCut: 0 });
  }

  /** Resolves once `count` responses have been closed by the client; rejects after `timeoutMs`. */
  waitForClientClose(count = 1, timeoutMs = 1000): Promise<void> {
    if (this.stats.clientClosed >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.closeWaiters = this.closeWaiters.filter((w) => w !== check);
        reject(new Error(`fake ${this.provider}: ${this.stats.clientClosed} client closes after ${timeoutMs} ms, wanted ${count}`));
      }, timeoutMs);
      const check = () => {
        if (this.stats.clientClosed < count) return;
        clearTimeout(timer);
        this.closeWaiters = this.closeWaiters.filter((w) => w !== check);
        resolve();
      };
      this.closeWaiters.push(check);
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pickReply(req: FakeRequest): Reply {
    const m = this.matchers.find((x) => x.times > 0 && x.match(req));
    let spec: ReplySpec | undefined;
    if (m) {
      m.times--;
      spec = m.reply;
    } else {
      spec = this.queue.shift();
    }
    if (!spec) return this.defaultReply(req);
    return typeof spec === 'function' ? spec(req) : spec;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const arrivedAt = performance.now();
    const url = new URL(req.url ?? '/', this.origin);
    const rawBody = await readBody(req);
    const method = req.method ?? 'GET';
    if (!this.protocol.isChat(method, url)) {
      if (this.protocol.other?.(method, url, res, this)) return;
      return sendJson(res, 404, this.protocol.errorBody(404, `No route for ${method} ${url.pathname}`));
    }
    let body: any;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      return sendJson(res, 400, this.protocol.errorBody(400, 'Request body is not valid JSON'));
    }
    const parsed = this.protocol.parse(url, req.headers, body ?? {});
    const users = parsed.messages.filter((m) => m.role === 'user');
    const record: FakeRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      rawBody,
      stream: parsed.stream,
      model: parsed.model,
      system: parsed.system,
      messages: parsed.messages,
      lastUserText: users.length ? users[users.length - 1].text : '',
      apiKey: parsed.apiKey,
      clientClosed: false,
      receivedAt: performance.now(),
      arrivedAt,
      ...this.protocol.extras(body ?? {}),
    };
    this.requests.push(record);
    this.stats.requests++;
    this.stats.open++;
    let cutByServer = false;
    res.on('close', () => {
      record.endedAt = performance.now();
      this.stats.open--;
      if (!res.writableFinished && !cutByServer) {
        record.clientClosed = true;
        this.stats.clientClosed++;
        for (const w of [...this.closeWaiters]) w();
      }
    });

    if (this.options.apiKey !== undefined && parsed.apiKey !== this.options.apiKey) {
      return sendJson(res, 401, this.protocol.errorBody(401, this.protocol.authMessage(parsed.apiKey)));
    }
    const r = this.pickReply(record);
    if (r.kind === 'hang') return; // never answer; close() or the client ends it
    if (r.kind === 'status') {
      const headers: Record<string, string> = {};
      if (r.retryAfter !== undefined) headers['retry-after'] = String(r.retryAfter);
      if (r.retryAfterMs !== undefined) headers['retry-after-ms'] = String(r.retryAfterMs);
      const message = r.message ?? (r.status === 401 ? this.protocol.authMessage(parsed.apiKey) : defaultStatusMessage(r.status));
      const delay = r.retryAfterMs !== undefined ? r.retryAfterMs / 1000 : typeof r.retryAfter === 'number' ? r.retryAfter : undefined;
      return sendJson(res, r.status, r.body ?? this.protocol.errorBody(r.status, message, delay), headers);
    }
    if (r.kind === 'malformed') {
      if (!record.stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end('{"id": "broken", "choices": [ {"message": ');
      }
      const plan = this.protocol.stream(record, undefined, this.protocol.defaultFinish);
      res.writeHead(200, sseHeaders());
      for (const f of plan.head) res.write(f);
      for (let i = 0; i < (r.afterChunks ?? 0); i++) res.write(plan.piece('ok ', i));
      res.write(plan.malformed);
      return void res.end();
    }
    if (r.kind === 'tools') return this.writeTools(res, record, r);
    const pieces = splitPieces(r);
    const usage = r.omitUsage ? undefined : usageFor(record, r, pieces);
    const finish = r.finishReason ?? this.protocol.defaultFinish;
    if (r.firstTokenDelayMs) await sleep(r.firstTokenDelayMs);
    if (res.destroyed) return;
    if (!record.stream) {
      if (r.cutAfter !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
        res.write('{"id": "partial", ');
        cutByServer = true;
        this.stats.serverCut++;
        return void res.socket?.destroy();
      }
      return sendJson(res, 200, this.protocol.json(record, r.text, usage, r.noFinish ? null : finish));
    }
    await this.writeStream(res, record, r, pieces, usage, finish, () => {
      cutByServer = true;
      this.stats.serverCut++;
    });
  }

  private async writeTools(res: http.ServerResponse, record: FakeRequest, r: ToolCallsReply): Promise<void> {
    const calls = r.calls.map(normalizeCall);
    const promptChars = record.system.length + record.messages.reduce((n, m) => n + m.text.length, 0);
    const usage = { inputTokens: estimateTokens(promptChars), outputTokens: estimateTokens((r.text ?? '').length + calls.reduce((n, c) => n + c.arguments.length, 0)) };
    if (!record.stream) return sendJson(res, 200, this.protocol.tools.json(record, r, calls, usage));
    res.writeHead(200, sseHeaders());
    for (const frame of this.protocol.tools.stream(record, r, calls, usage)) {
      if (frame === END_OF_CALLS) {
        if (r.cutAtEnd) return cut(res, () => this.stats.serverCut++);
        await r.holdEnd;
        continue;
      }
      if (r.tokenDelayMs) await sleep(r.tokenDelayMs);
      if (res.destroyed) return;
      res.write(frame);
    }
    res.end();
  }

  private async writeStream(
    res: http.ServerResponse,
    record: FakeRequest,
    r: TextReply,
    pieces: string[],
    usage: FakeUsage | undefined,
    finish: string,
    onCut: () => void,
  ): Promise<void> {
    const plan = this.protocol.stream(record, usage, finish);
    res.writeHead(200, sseHeaders());
    for (const f of plan.head) res.write(f);
    for (let i = 0; i < pieces.length; i++) {
      if (r.cutAfter !== undefined && i >= r.cutAfter) return cut(res, onCut);
      if (r.stallAfter !== undefined && i >= r.stallAfter) return; // keep the connection open, send nothing
      if (i > 0 && r.tokenDelayMs) await sleep(r.tokenDelayMs);
      if (res.destroyed) return;
      res.write(plan.piece(pieces[i], i));
    }
    if (r.cutAfter !== undefined && r.cutAfter >= pieces.length) return cut(res, onCut);
    if (r.stallAfter !== undefined) return;
    if (!r.noFinish) for (const f of plan.tail) res.write(f);
    res.end();
  }
}

/** Lets the pieces already written reach the client, then drops the connection mid-body. */
async function cut(res: http.ServerResponse, onCut: () => void): Promise<void> {
  await new Promise<void>((resolve) => res.write('', () => resolve()));
  await sleep(10);
  onCut();
  res.socket?.destroy();
}

function usageFor(req: FakeRequest, r: TextReply, pieces: string[]): FakeUsage {
  const promptChars = req.system.length + req.messages.reduce((n, m) => n + m.text.length, 0);
  return {
    inputTokens: r.usage?.inputTokens ?? estimateTokens(promptChars),
    outputTokens: r.usage?.outputTokens ?? pieces.length,
    extra: r.usage?.extra,
  };
}

function defaultStatusMessage(status: number): string {
  if (status === 429) return 'Rate limit reached for requests. Please try again later.';
  if (status === 403) return 'Permission denied for this model.';
  if (status === 529) return 'Overloaded';
  if (status >= 500) return 'The server had an error while processing your request.';
  return 'Bad request.';
}

function sseHeaders(): http.OutgoingHttpHeaders {
  return { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Not a frame: marks where the calls end and the finish marker begins (see ToolCallsReply.holdEnd). */
export const END_OF_CALLS = '\u0000end-of-calls';

/** The pieces a call's arguments are streamed in. */
export function argumentPieces(r: ToolCallsReply, args: string): string[] {
  return splitInto(args, r.argumentPieces ?? 3);
}

/** Text of a content value that is either a string or a list of parts with `text`. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (p && typeof p.text === 'string' ? p.text : '')).join('');
  return '';
}
