// `fugu serve`: the workflow behind an OpenAI-compatible HTTP API (node:http, no framework).
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FuguConfig } from '../../core/config';
import { runTask } from '../../core/runTask';
import type { KeyResolver } from '../../core/runTypes';
import type { TraceDocument } from '../../core/trace/types';
import { envKeys } from '../envKeys';
import { ApiError, errors, sendError, sendJson } from './apiError';
import { bearerMatches, hostName, isLoopback } from './bearerToken';
import { parseChatRequest, type ChatRequest } from './chatRequest';
import { chunk, completion, completionId, summarize, usageChunk, type ChunkContext } from './completion';
import { FinalTextStream } from '../../core/finalTextStream';
import { readBody } from './readBody';
import { runOutcomeError, type CancelCause } from './runOutcome';
import type { ServeConfig } from './serveConfig';
import { TraceStore } from './traceStore';

export interface ServerOptions {
  /** Default 127.0.0.1. Anything but a loopback address needs `token`. */
  host?: string;
  /** Default 8787; 0 picks a free port. */
  port?: number;
  /** Bearer token every request must carry (FUGU_SERVER_TOKEN); checked whenever set. */
  token?: string;
  /** Where worker keys come from; default the environment. */
  keys?: KeyResolver;
  /** One line per request (no secrets); default silent. */
  log?: (line: string) => void;
}

export interface RunningServer {
  /** http://host:port, without /v1. */
  url: string;
  host: string;
  port: number;
  server: http.Server;
  traces: TraceStore;
  /** Runs in flight now. */
  inFlight(): number;
  /** Stop accepting, let runs finish for `graceMs`, cancel the rest, close every connection. */
  close(graceMs?: number): Promise<void>;
}

/** Refusal to start, with a one-sentence reason (the CLI exits 2). */
export class ServeStartError extends Error {}

interface Run {
  abort: AbortController;
  cause: CancelCause;
}

export async function startServer(config: ServeConfig, opts: ServerOptions = {}): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const loopback = isLoopback(host);
  const token = opts.token || undefined;
  if (!loopback && !token) {
    throw new ServeStartError(`binding ${host} makes the server reachable from other machines; set FUGU_SERVER_TOKEN to require a bearer token.`);
  }
  const keys = opts.keys ?? envKeys(process.env);
  const log = opts.log ?? (() => {});
  const limits = config.server;
  const traces = new TraceStore(limits.keepTraces);
  const runs = new Set<Run>();
  const modelNames = Object.keys(config.profiles);
  const startedAt = Math.floor(Date.now() / 1000);
  let closing = false;
  let drained: (() => void) | null = null;

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const t0 = performance.now();
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/\/+$/, '') || '/';
    const extra: Record<string, string> = {};
    res.on('finish', () => log(`${method} ${path} ${res.statusCode} ${Math.round(performance.now() - t0)}ms${extra['x-fugu-trace-id'] ? ` trace=${extra['x-fugu-trace-id']}` : ''}`));
    try {
      if (closing) throw errors.shuttingDown();
      // Without a token only this machine may call, and only by a loopback name: a web page that
      // rebinds its DNS to 127.0.0.1 still sends its own Host header.
      if (!token && !isLoopback(hostName(req.headers.host))) throw errors.badHost();
      if (token && !bearerMatches(req.headers.authorization, token)) throw errors.unauthorized();

      if (path === '/v1/models') {
        if (method !== 'GET') throw errors.method(method, path);
        return sendJson(res, 200, { object: 'list', data: modelNames.map(modelObject) });
      }
      const model = /^\/v1\/models\/([^/]+)$/.exec(path);
      if (model) {
        if (method !== 'GET') throw errors.method(method, path);
        const name = decodeURIComponent(model[1]);
        if (!config.profiles[name]) throw errors.unknownModel(name, modelNames);
        return sendJson(res, 200, modelObject(name));
      }
      const trace = /^\/v1\/traces\/([^/]+)$/.exec(path);
      if (trace) {
        if (method !== 'GET') throw errors.method(method, path);
        const doc = traces.get(decodeURIComponent(trace[1]));
        if (!doc) throw errors.notFound(`No finished trace with the id '${trace[1]}'`);
        return sendJson(res, 200, doc, { 'x-fugu-trace-id': doc.id });
      }
      if (path === '/v1/chat/completions') {
        if (method !== 'POST') throw errors.method(method, path);
        return await chat(req, res, extra);
      }
      throw errors.notFound(`The route ${method} ${path}`);
    } catch (err) {
      const e = err instanceof ApiError ? err : errors.internal(`The server failed: ${err instanceof Error ? err.message : String(err)}`);
      if (e.status === 413 || e.code === 'shutting_down') res.setHeader('connection', 'close');
      sendError(res, e, extra);
    }
  };

  const modelObject = (id: string) => ({ id, object: 'model', created: startedAt, owned_by: 'fugu' });

  const chat = async (req: http.IncomingMessage, res: http.ServerResponse, extra: Record<string, string>): Promise<void> => {
    // Browsers cannot send this content type cross-origin without a preflight we never answer.
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw errors.mediaType();
    const text = await readBody(req, limits.maxBodyBytes);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw errors.badJson((err as Error).message);
    }
    const request = parseChatRequest(body);
    const profile = config.profiles[request.model];
    if (!profile) throw errors.unknownModel(request.model, modelNames);
    if (runs.size >= limits.maxConcurrentRuns) throw errors.busy(limits.maxConcurrentRuns, 1);

    const id = randomUUID();
    extra['x-fugu-trace-id'] = id;
    const run: Run = { abort: new AbortController(), cause: null };
    runs.add(run);
    const cancel = (cause: CancelCause) => {
      if (!run.cause) run.cause = cause;
      run.abort.abort();
    };
    const timer = setTimeout(() => cancel('timeout'), limits.requestTimeoutMs);
    // The client went away before the answer ended: stop the workers' calls.
    res.on('close', () => {
      if (!res.writableFinished) cancel('client');
    });
    try {
      if (request.stream) await streamRun(res, request, profile, id, run);
      else await jsonRun(res, request, profile, id, run);
    } finally {
      clearTimeout(timer);
      runs.delete(run);
      if (runs.size === 0) drained?.();
    }
  };

  const execute = async (request: ChatRequest, profile: FuguConfig, id: string, run: Run, onEvent?: Parameters<typeof runTask>[0]['onEvent']): Promise<TraceDocument> => {
    const { trace } = await runTask({ task: request.task, config: profile, keys, signal: run.abort.signal, id, onEvent });
    traces.add(trace);
    return trace;
  };

  const jsonRun = async (res: http.ServerResponse, request: ChatRequest, profile: FuguConfig, id: string, run: Run) => {
    const created = Math.floor(Date.now() / 1000);
    const trace = await execute(request, profile, id, run);
    if (run.cause === 'client') return;
    const err = runOutcomeError(trace, run.cause, limits.requestTimeoutMs);
    if (err) return sendJson(res, err.status, { ...err.body(), fugu: summarize(trace) }, { ...err.headers, 'x-fugu-trace-id': id });
    sendJson(res, 200, completion(request.model, created, trace), { 'x-fugu-trace-id': id });
  };

  const streamRun = async (res: http.ServerResponse, request: ChatRequest, profile: FuguConfig, id: string, run: Run) => {
    const ctx: ChunkContext = { id: completionId(id), model: request.model, created: Math.floor(Date.now() / 1000), includeUsage: request.includeUsage };
    const send = (obj: unknown) => void res.write(`data: ${JSON.stringify(obj)}\n\n`);
    // Headers wait for the first text, so a run that fails before answering gets a real status.
    let committed = false;
    const commit = () => {
      if (committed) return;
      committed = true;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-fugu-trace-id': id });
      send(chunk(ctx, { role: 'assistant', content: '' }, null, { trace_id: id }));
    };
    const final = new FinalTextStream((text) => {
      if (res.destroyed) return;
      commit();
      send(chunk(ctx, { content: text }, null, { trace_id: id }));
    });
    const trace = await execute(request, profile, id, run, (e) => final.onEvent(e));
    if (run.cause === 'client' || res.destroyed) return;
    const err = runOutcomeError(trace, run.cause, limits.requestTimeoutMs);
    if (err && !committed) return sendJson(res, err.status, { ...err.body(), fugu: summarize(trace) }, { ...err.headers, 'x-fugu-trace-id': id });
    if (err) {
      // Mid-stream: the openai SDK raises an APIError for a data line carrying `error`.
      send({ ...err.body(), fugu: summarize(trace) });
      res.end();
      return;
    }
    if (!final.finish(trace.final.text)) {
      log(`trace=${id}: the streamed text is not a prefix of the final answer; the stream ends with an error`);
      send({ ...errors.internal('The streamed text differs from the final answer; fetch the trace for the answer.').body(), fugu: summarize(trace) });
      res.end();
      return;
    }
    commit();
    send(chunk(ctx, {}, 'stop', summarize(trace)));
    if (request.includeUsage) send(usageChunk(ctx, trace));
    res.end('data: [DONE]\n\n');
  };

  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8787, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;

  const close = async (graceMs = limits.shutdownGraceMs): Promise<void> => {
    closing = true;
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const idle = () => new Promise<void>((resolve) => (runs.size === 0 ? resolve() : (drained = resolve)));
    const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
    await Promise.race([idle(), wait(graceMs)]);
    if (runs.size > 0) {
      for (const r of runs) {
        if (!r.cause) r.cause = 'shutdown';
        r.abort.abort();
      }
      // Cancelled runs end quickly; their clients get a 503 or an error event.
      await Promise.race([idle(), wait(2_000)]);
    }
    server.closeAllConnections();
    await stopped;
  };

  return { url: `http://${shownHost}:${port}`, host, port, server, traces, inFlight: () => runs.size, close };
}
