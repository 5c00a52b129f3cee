// `fugu serve`: the workflow behind an OpenAI-compatible HTTP API (node:http, no framework).
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FuguConfig } from '../../core/config';
import { answerProblem, possibleAnswerers } from '../../core/agent/answerCheck';
import { FolderContinuations, MemoryContinuations } from '../../core/agent/continuations';
import { contextOverflow } from '../../core/agent/answerWindow';
import { clientRequest, runConversation } from '../../core/agent/runConversation';
import type { OutcomeStore } from '../../core/policies/learned/outcomeLog';
import { JsonFolder } from '../../core/jsonFolder';
import type { KeyResolver } from '../../core/runTypes';
import type { TraceDocument, TraceEvent, TraceListener } from '../../core/trace/types';
import { WorkerPool } from '../../core/workers/workerPool';
import { envKeys } from '../envKeys';
import { ApiError, errors, sendError, sendJson } from './apiError';
import { hostName, isLoopback, tokenMatches } from './bearerToken';
import type { AgentRequest } from './agentRequest';
import type { Answer, ApiFormat } from './api';
import { chatApi } from './chatApi';
import { codexModels, isCodexModelsRequest } from './codexModels';
import { countTokens, messagesApi } from './messagesApi';
import { parseMessagesRequest } from './messagesRequest';
import { responseOfItem, responsesApi } from './responsesApi';
import { ResponseStore } from './responseStore';
import { summarize } from './completion';
import { FinalTextStream } from '../../core/finalTextStream';
import { FailureMemo, isLasting } from './failureMemo';
import { readBody } from './readBody';
import { RunSlots } from './runSlots';
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
  /** The user's outcome log the learned policy chooses from (absent: it picks what builtin picks). */
  outcomes?: OutcomeStore;
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
  /** Requests waiting for a run slot now. */
  queued(): number;
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
  // With traceDir, the state of tool-call follow-ups is kept beside the traces, so a restart or
  // another instance sharing the folder continues where this one stopped.
  const keptIn = (name: string) => (limits.traceDir ? new JsonFolder(join(limits.traceDir, name), limits.traceDirMaxFiles) : undefined);
  const responseFolder = keptIn('responses');
  const continuationFolder = keptIn('continuations');
  const memory = new MemoryContinuations(limits.keepContinuations);
  const continuations = continuationFolder ? new FolderContinuations(memory, continuationFolder, log) : memory;
  const responses = new ResponseStore(limits.keepResponses, responseOfItem, responseFolder, log);
  const traces = new TraceStore(limits.keepTraces, limits.traceDir, limits.traceDirMaxFiles);
  try {
    await Promise.all([traces.open(), responseFolder?.open(), continuationFolder?.open()]);
  } catch (err) {
    throw new ServeStartError(`server.traceDir '${limits.traceDir}' cannot be used: ${(err as Error).message}`);
  }
  const ROUTES: Record<string, ApiFormat<AgentRequest>> = { '/v1/chat/completions': chatApi, '/v1/responses': responsesApi(responses), '/v1/messages': messagesApi };
  const failures = new FailureMemo(limits.failureMemoSeconds);
  // One set of SDK clients for every request, instead of a new set per run.
  const workerPool = new WorkerPool();
  const runs = new Set<Run>();
  const slots = new RunSlots(limits.maxConcurrentRuns, limits.maxQueued ?? 4 * limits.maxConcurrentRuns, limits.queueTimeoutMs);
  const modelNames = Object.keys(config.profiles);
  const startedAt = Math.floor(Date.now() / 1000);
  let closing = false;
  let drained: (() => void) | null = null;

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const t0 = performance.now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const extra: Record<string, string> = {};
    // Anthropic clients read Anthropic's error shape, whatever went wrong (auth, body, run).
    const style = (ROUTES[path.replace(/\/count_tokens$/, '')] ?? chatApi).errorStyle;
    const traceNote = () => (extra['x-fugu-trace-id'] ? ` trace=${extra['x-fugu-trace-id']}` : '');
    res.on('finish', () => log(`${method} ${path} ${res.statusCode} ${Math.round(performance.now() - t0)}ms${traceNote()}`));
    // A client that went away before the answer ended gets its line too (nginx's 499: client closed request).
    res.on('close', () => {
      if (!res.writableFinished) log(`${method} ${path} 499 ${Math.round(performance.now() - t0)}ms cancelled${traceNote()}`);
    });
    try {
      if (closing) throw errors.shuttingDown();
      // Without a token only this machine may call, and only by a loopback name: a web page that
      // rebinds its DNS to 127.0.0.1 still sends its own Host header.
      if (!token && !isLoopback(hostName(req.headers.host))) throw errors.badHost();
      if (token && !tokenMatches(req.headers, token)) throw errors.unauthorized();

      if (path === '/v1/models') {
        if (method !== 'GET') throw errors.method(method, path);
        if (isCodexModelsRequest(url)) return sendJson(res, 200, codexModels(config.profiles));
        return sendJson(res, 200, { object: 'list', data: modelNames.map(modelObject) });
      }
      const model = /^\/v1\/models\/([^/]+)$/.exec(path);
      if (model) {
        if (method !== 'GET') throw errors.method(method, path);
        const name = decodePathSegment(model[1]);
        if (!config.profiles[name]) throw errors.unknownModel(name, modelNames);
        return sendJson(res, 200, modelObject(name));
      }
      const trace = /^\/v1\/traces\/([^/]+)$/.exec(path);
      if (trace) {
        if (method !== 'GET') throw errors.method(method, path);
        const doc = await traces.find(decodePathSegment(trace[1]));
        if (!doc) throw errors.notFound(`No finished trace with the id '${trace[1]}'`);
        return sendJson(res, 200, doc, { 'x-fugu-trace-id': doc.id });
      }
      if (path === '/v1/messages/count_tokens') {
        if (method !== 'POST') throw errors.method(method, path);
        return sendJson(res, 200, countTokens(parseMessagesRequest(await jsonBody(req))));
      }
      const api = ROUTES[path];
      if (api) {
        if (method !== 'POST') throw errors.method(method, path);
        return await post(api, path, req, res, extra);
      }
      throw errors.notFound(`The route ${method} ${path}`);
    } catch (err) {
      const e = err instanceof ApiError ? err : errors.internal(`The server failed: ${err instanceof Error ? err.message : String(err)}`);
      if (e.status === 413 || e.code === 'shutting_down') res.setHeader('connection', 'close');
      sendError(res, e, extra, style);
    }
  };

  const modelObject = (id: string) => ({ id, object: 'model', created: startedAt, owned_by: 'fugu' });

  const jsonBody = async (req: http.IncomingMessage): Promise<unknown> => {
    // Browsers cannot send this content type cross-origin without a preflight we never answer.
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw errors.mediaType();
    const text = await readBody(req, limits.maxBodyBytes);
    try {
      return JSON.parse(text);
    } catch (err) {
      throw errors.badJson((err as Error).message);
    }
  };

  /** A POST that starts a run, in one of the wire formats. */
  const post = async <R extends AgentRequest>(api: ApiFormat<R>, path: string, req: http.IncomingMessage, res: http.ServerResponse, extra: Record<string, string>): Promise<void> => {
    const body = await jsonBody(req);
    // The same request failed a moment ago for a reason a retry cannot fix: the same answer, nothing spent.
    // The key (a hash of the whole body) is worked out only when a failure is kept or looked up.
    let memoKey: string | undefined;
    const keyOf = () => (memoKey ??= FailureMemo.key(path, body));
    const kept = failures.size > 0 ? failures.recall(keyOf()) : undefined;
    if (kept) return sendJson(res, kept.status, kept.body, { ...kept.headers, 'x-fugu-repeated-failure': 'true' });
    const remember = (err: ApiError, errBody: unknown, headers: Record<string, string>) => failures.remember(keyOf(), { status: err.status, body: errBody, headers: { ...err.headers, ...headers } });
    const request = await api.parse(body);
    const profile = config.profiles[request.model];
    if (!profile) throw errors.unknownModel(request.model, modelNames);
    const client = clientRequest(request.conversation, request.turn, request.options);
    const answerers = possibleAnswerers(profile, request.turn.task, client);
    const problem = answerProblem(answerers, request.options, request.turn.images);
    if (problem) throw errors.invalid(problem, request.turn.images.length ? request.inputParam : request.options.responseFormat ? 'response_format' : null);
    // The answering worker reads the whole conversation: one larger than its window is refused before any call.
    const overflow = await contextOverflow(answerers, request.turn, request.options);
    if (overflow) {
      const err = errors.contextOverflow(overflow.tokens, overflow.window, `worker '${overflow.worker.id}' (${overflow.worker.model})`, request.inputParam);
      remember(err, api.errorStyle === 'anthropic' ? err.anthropicBody() : err.body(), {});
      throw err;
    }

    const run: Run = { abort: new AbortController(), cause: null };
    const cancel = (cause: CancelCause) => {
      if (!run.cause) run.cause = cause;
      run.abort.abort();
    };
    // The client went away before the answer ended: leave the queue, or stop the workers' calls.
    res.on('close', () => {
      if (!res.writableFinished) cancel('client');
    });
    const queuedAt = performance.now();
    try {
      await slots.acquire(run.abort.signal);
      extra['x-fugu-queue-ms'] = String(Math.round(performance.now() - queuedAt));
    } catch (err) {
      if (err) throw err;
      return; // the client left while waiting: nobody to answer
    }
    runs.add(run);
    const timer = setTimeout(() => cancel('timeout'), limits.requestTimeoutMs);
    try {
      await answer(api, res, request, profile, run, extra, remember);
    } finally {
      clearTimeout(timer);
      runs.delete(run);
      slots.release();
      if (runs.size === 0) drained?.();
    }
  };

  /** Runs the request; a new run's trace id is `id`, a continued run keeps its trace's. */
  const execute = async (request: AgentRequest, profile: FuguConfig, id: string, run: Run, onEvent?: TraceListener): Promise<Answer> => {
    const result = await runConversation({
      conversation: request.conversation,
      turn: request.turn,
      options: request.options,
      loadedInLoop: request.loadedInLoop,
      profile: request.model,
      continuations,
      config: profile,
      keys,
      signal: run.abort.signal,
      id,
      onEvent,
      outcomes: opts.outcomes,
      workerPool,
    });
    await traces.add(result.trace, log);
    return { id, trace: result.trace, text: result.trace.final.text, toolCalls: result.toolCalls, usage: result.spent.usage };
  };

  /** Runs the request and writes the answer: as one JSON body, or streamed with headers sent at the first text or tool call. */
  const answer = async <R extends AgentRequest>(
    api: ApiFormat<R>, res: http.ServerResponse, request: R, profile: FuguConfig, run: Run, headers: Record<string, string>,
    remember: (err: ApiError, body: unknown, headers: Record<string, string>) => void,
  ) => {
    // The response's own id; the trace's id is the same for a new run, and the earlier one's for a continued run.
    const id = randomUUID();
    const created = Math.floor(Date.now() / 1000);
    const errorBody = (err: ApiError, trace: TraceDocument) =>
      api.errorStyle === 'anthropic' ? err.anthropicBody() : { ...err.body(), fugu: summarize(trace) };
    // The trace id is known as the run starts, so even a request the client abandons logs it.
    const noteTrace = (e: TraceEvent) => {
      if (e.type === 'run-started') headers['x-fugu-trace-id'] = e.id;
      else if (e.type === 'run-continued') headers['x-fugu-trace-id'] = e.trace.id;
    };
    if (!request.stream) {
      const done = await execute(request, profile, id, run, noteTrace);
      headers['x-fugu-trace-id'] = done.trace.id;
      if (run.cause === 'client') return;
      const err = runOutcomeError(done.trace, run.cause, limits.requestTimeoutMs);
      if (err && isLasting(done.trace.errorKind)) remember(err, errorBody(err, done.trace), headers);
      if (err) return sendJson(res, err.status, errorBody(err, done.trace), { ...err.headers, ...headers });
      // Kept before the client has the id, so a follow-up to any instance sharing traceDir finds it.
      await api.answered?.(request, done);
      sendJson(res, 200, api.json(request, done, created), headers);
      return;
    }
    const out = api.stream(request, res, id, created);
    // Headers wait for the first text, so a run that fails before answering gets a real status.
    let committed = false;
    const commit = () => {
      if (committed) return;
      committed = true;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', ...headers });
      out.start(headers['x-fugu-trace-id']);
    };
    // Every write goes through FinalTextStream, which knows what the client has already seen.
    const live = <A extends unknown[]>(write: (...a: A) => void) => (...a: A) => {
      if (res.destroyed) return;
      commit();
      write(...a);
    };
    const final = new FinalTextStream({ text: live(out.text), callStart: live(out.callStart), callDelta: live(out.callDelta) });
    const done = await execute(request, profile, id, run, (e) => {
      noteTrace(e);
      final.onEvent(e);
    });
    if (run.cause === 'client' || res.destroyed) return;
    const err = runOutcomeError(done.trace, run.cause, limits.requestTimeoutMs);
    if (err && isLasting(done.trace.errorKind)) remember(err, errorBody(err, done.trace), headers);
    if (err && !committed) return sendJson(res, err.status, errorBody(err, done.trace), { ...err.headers, ...headers });
    if (err) return out.fail(err, done.trace);
    if (!final.finish(done.text, done.toolCalls)) {
      log(`trace=${done.trace.id}: the streamed output is not a prefix of the final answer; the stream ends with an error`);
      return out.fail(errors.internal('The streamed answer differs from the final answer; fetch the trace for the answer.'), done.trace);
    }
    // Where the text stood against the calls on the wire, so the kept output items are the ones sent.
    const sent: Answer = { ...done, textBeforeCalls: final.textBeforeCalls };
    await api.answered?.(request, sent);
    if (res.destroyed) return;
    commit();
    out.finish(sent);
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
    slots.refuseAll(errors.shuttingDown());
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

  return { url: `http://${shownHost}:${port}`, host, port, server, traces, inFlight: () => runs.size, queued: () => slots.queued, close };
}

/** A path segment's text; malformed percent-encoding (`%`, `%E0%A4%A`) is the client's error, a 400 naming it. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw errors.badPath(segment);
  }
}
