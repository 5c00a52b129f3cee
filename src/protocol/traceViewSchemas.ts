// Validation of every message crossing the host/webview boundary, one schema per method in traceView.ts.
import * as z from 'zod/mini';
import { describeIssue, runSummarySchema, traceDocumentSchema, traceEventSchema } from './traceSchemas';
import type {
  CommandParams, HostMessage, NotificationParams, RequestMethod, RequestResult, RequestTypes, WebviewMessage,
} from './traceView';

const id = z.string().check(z.minLength(1));
const empty = z.strictObject({});
const paths = z.array(z.string());
const loadedRun = z.object({
  doc: traceDocumentSchema,
  seq: z.number().check(z.nonnegative()),
  live: z.boolean(),
  reviewable: paths,
});

type Schemas<T> = { [K in keyof T]: z.ZodMiniType<T[K]> };

const commandParams: Schemas<CommandParams> = {
  'trace/select-run': z.object({ runId: id }),
  'trace/delete-run': z.object({ runId: id }),
  'trace/export': z.object({ runId: id }),
  'trace/import': empty,
  'trace/open-in-editor': z.object({ runId: z.nullable(id) }),
  'trace/start': z.object({ action: z.enum(['solve', 'generate-inline', 'set-api-key', 'choose-models', 'demo-task']) }),
};

const requestParams: Schemas<{ [M in RequestMethod]: RequestTypes[M][0] }> = {
  'trace/get-state': z.object({ runId: z.nullable(id) }),
  'edits/preview': z.object({ runId: id, path: id }),
  'edits/apply': z.object({ runId: id, paths: z.nullable(paths) }),
  'edits/reject': z.object({ runId: id }),
  'check/answer': z.object({ runId: id, answer: z.enum(['run', 'not-now', 'never']) }),
};

const requestResults: Schemas<{ [M in RequestMethod]: RequestTypes[M][1] }> = {
  'trace/get-state': z.object({ history: z.array(runSummarySchema), run: z.nullable(loadedRun), demoTask: z.nullable(z.string()) }),
  'edits/preview': z.object({ ok: z.boolean(), message: z.nullable(z.string()) }),
  'edits/apply': z.object({ applied: paths, failed: z.array(z.object({ path: z.string(), reason: z.string() })) }),
  'edits/reject': z.object({ ok: z.boolean() }),
  'check/answer': z.object({ ok: z.boolean(), message: z.nullable(z.string()) }),
};

const notificationParams: Schemas<NotificationParams> = {
  'trace/didStart': z.object({ runId: id }),
  'trace/events': z.object({ runId: id, seq: z.number().check(z.nonnegative()), events: z.array(traceEventSchema) }),
  'trace/didChangeHistory': z.object({ history: z.array(runSummarySchema) }),
  'trace/didLoad': z.object({ run: loadedRun }),
  'edits/didChangeReview': z.object({ runId: id, reviewable: paths }),
};

const webviewEnvelope = z.union([
  z.object({ type: z.literal('command'), method: z.string(), params: z.unknown() }),
  z.object({ type: z.literal('request'), id: z.number(), method: z.string(), params: z.unknown() }),
]);
const hostEnvelope = z.union([
  z.object({ type: z.literal('notification'), method: z.string(), params: z.unknown() }),
  z.object({ type: z.literal('reply'), id: z.number(), ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal('reply'), id: z.number(), ok: z.literal(false), error: z.string() }),
]);

export type Parsed<T> = { ok: true; message: T } | { ok: false; reason: string };

function own<T extends object>(table: T, key: string): key is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(table, key);
}

function checkParams(table: Record<string, z.ZodMiniType>, method: string, params: unknown): { ok: true; params: unknown } | { ok: false; reason: string } {
  const r = table[method].safeParse(params);
  return r.success ? { ok: true, params: r.data } : { ok: false, reason: `${method}: ${describeIssue(r.error)}` };
}

/** Host side: accept a message from the webview only if it is a known command or request with valid params. */
export function parseWebviewMessage(raw: unknown): Parsed<WebviewMessage> {
  const env = webviewEnvelope.safeParse(raw);
  if (!env.success) return { ok: false, reason: `not a webview message (${describeIssue(env.error)})` };
  const m = env.data;
  const table: Record<string, z.ZodMiniType> = m.type === 'command' ? commandParams : requestParams;
  if (!own(table, m.method)) return { ok: false, reason: `unknown ${m.type} '${m.method}'` };
  const p = checkParams(table, m.method, m.params);
  if (!p.ok) return p;
  return { ok: true, message: { ...m, params: p.params } as WebviewMessage };
}

/** Webview side: accept a message from the host only if it is a known notification or a well-formed reply. */
export function parseHostMessage(raw: unknown): Parsed<HostMessage> {
  const env = hostEnvelope.safeParse(raw);
  if (!env.success) return { ok: false, reason: `not a host message (${describeIssue(env.error)})` };
  const m = env.data;
  if (m.type === 'reply') return { ok: true, message: m as HostMessage };
  if (!own(notificationParams, m.method)) return { ok: false, reason: `unknown notification '${m.method}'` };
  const p = checkParams(notificationParams, m.method, m.params);
  if (!p.ok) return p;
  return { ok: true, message: { ...m, params: p.params } as HostMessage };
}

/** Webview side: check a reply's result against the request that was sent. */
export function parseRequestResult<M extends RequestMethod>(method: M, result: unknown): { ok: true; result: RequestResult<M> } | { ok: false; reason: string } {
  const r = (requestResults[method] as z.ZodMiniType).safeParse(result);
  return r.success ? { ok: true, result: r.data as RequestResult<M> } : { ok: false, reason: `${method} reply: ${describeIssue(r.error)}` };
}
