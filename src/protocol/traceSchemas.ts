// Runtime shapes of the trace document and its live events, checked at the trust boundary
// (messages between host and webview, imported trace files). zod/mini keeps the webview bundle small.
import * as z from 'zod/mini';
import type { TraceDocument, TraceEvent } from '../core/trace/types';

const count = z.number().check(z.nonnegative());
const usage = z.object({ inputTokens: count, outputTokens: count });
const provider = z.enum(['openai', 'anthropic', 'google', 'openai-compatible', 'vscode-lm', 'conductor', 'check']);
const role = z.enum(['planner', 'coder', 'reviewer', 'any', 'conductor', 'check']);
const runStatus = z.enum(['running', 'succeeded', 'failed', 'cancelled', 'budget_exceeded']);
const stepStatus = z.enum(['pending', 'running', 'succeeded', 'failed', 'cancelled', 'skipped']);
const errorKind = z.nullable(
  z.enum(['auth', 'rate_limit', 'timeout', 'network', 'bad_request', 'provider', 'policy', 'budget', 'cancelled', 'edits', 'check', 'internal']),
);
const roundKind = z.enum(['initial', 'corrective', 'repair']);
const budget = z.object({ maxCalls: count, maxTokens: count, maxCostUsd: count, scope: z.optional(z.enum(['request', 'run'])) });
const requestTotals = z.optional(z.object({ usage, costUsd: count, calls: count }));
const extraUsage = z.optional(z.record(z.string(), z.number()));
const toolUses = z.optional(
  z.array(z.object({ id: z.string(), name: z.string(), arguments: z.string(), result: z.nullable(z.string()), ok: z.boolean(), truncated: z.boolean() })),
);
const toolCall = z.object({ id: z.string(), name: z.string(), arguments: z.string() });
const toolCalls = z.optional(z.array(toolCall));
const clientResult = z.object({ id: z.string(), content: z.string(), truncated: z.boolean() });
const turns = z.optional(
  z.array(z.object({ output: z.string(), toolCalls: z.array(toolCall), results: z.array(clientResult), usage, costUsd: count, startMs: z.nullable(z.number()), endMs: z.nullable(z.number()) })),
);

const workflow = z.object({
  model_id: z.array(z.number()),
  subtasks: z.array(z.string()),
  access_list: z.array(z.array(z.union([z.number(), z.literal('all')]))),
});

const learnedCandidate = z.object({ label: z.string(), p: z.number(), lo: z.number(), hi: z.number(), costUsd: z.number(), ms: z.number(), outcomes: count, score: z.number() });
const learnedRecord = z.object({
  pick: z.string(),
  builtin: z.string(),
  explored: z.boolean(),
  outcomes: count,
  features: z.array(z.number()),
  candidates: z.array(learnedCandidate),
});

const policyRecord = z.object({
  backend: z.string(),
  rawAnswers: z.array(z.string()),
  rejections: z.array(z.string()),
  fallback: z.nullable(z.object({ to: z.string(), reason: z.string() })),
  usage,
  costUsd: count,
  direct: z.optional(z.string()),
  startMs: z.optional(count),
  endMs: z.optional(count),
  learned: z.optional(learnedRecord),
});

// [verify] the workspace's own check
const checkOutcome = z.enum(['passed', 'failed', 'timeout', 'could-not-run', 'cancelled']);
const checkResultShape = {
  outcome: checkOutcome,
  exitCode: z.nullable(z.number()),
  durationMs: count,
  outputTail: z.string(),
  reason: z.nullable(z.string()),
  isolation: z.optional(z.enum(['bubblewrap', 'sandbox-exec', 'copy'])),
  touched: z.optional(z.array(z.string())),
  touchedOmitted: z.optional(count),
  hint: z.optional(z.string()),
};
const checkAnswer = z.enum(['run', 'not-now', 'never']);
const checkQuestion = z.object({ command: z.string(), detected: z.nullable(z.string()), answer: z.nullable(checkAnswer) });
const traceCheck = z.object({ ...checkResultShape, command: z.string(), passed: z.boolean(), baseline: z.nullable(z.object(checkResultShape)) });
const finalCheck = z.object({
  command: z.string(),
  outcome: checkOutcome,
  passed: z.boolean(),
  exitCode: z.nullable(z.number()),
  baselineExitCode: z.nullable(z.number()),
  outputTail: z.string(),
  reason: z.nullable(z.string()),
  rounds: count,
  isolation: checkResultShape.isolation,
  touched: checkResultShape.touched,
  touchedOmitted: checkResultShape.touchedOmitted,
  hint: checkResultShape.hint,
});

const step = z.object({
  index: count,
  worker: z.string(),
  provider,
  model: z.string(),
  role,
  subtask: z.string(),
  access: z.array(count),
  status: stepStatus,
  output: z.string(),
  usage,
  costUsd: count,
  startMs: z.nullable(z.number()),
  endMs: z.nullable(z.number()),
  retries: count,
  error: z.nullable(z.string()),
  extraUsage,
  subscription: z.optional(z.boolean()),
  toolCalls,
  check: z.optional(traceCheck),
  toolUses,
  turns,
});

const round = z.object({
  index: count,
  kind: roundKind,
  workflow,
  policy: policyRecord,
  steps: z.array(step),
  note: z.nullable(z.string()),
});

const edit = z.object({
  path: z.string(),
  status: z.enum(['proposed', 'applied', 'failed', 'rejected', 'refused']),
  reason: z.nullable(z.string()),
  action: z.enum(['create', 'modify', 'delete']),
  blocks: count,
  diff: z.string(),
});

export const traceDocumentSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  task: z.string(),
  title: z.optional(z.string()),
  createdAt: z.string(),
  status: runStatus,
  error: z.nullable(z.string()),
  // Traces saved before errorKind existed load with null.
  errorKind: z._default(errorKind, null),
  policy: z.string(),
  rounds: z.array(round),
  final: z.object({ text: z.string(), edits: z.array(edit), toolCalls, check: z.optional(z.nullable(finalCheck)), checkQuestion: z.optional(checkQuestion) }),
  usage,
  costUsd: count,
  calls: count,
  wallMs: count,
  budget,
  request: requestTotals,
  context: z.array(z.string()),
});

const at = { round: count, index: count };
export const traceEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run-started'), id: z.string(), task: z.string(), title: z.optional(z.string()), createdAt: z.string(), policy: z.string(), budget, context: z.array(z.string()) }),
  z.object({ type: z.literal('run-continued'), trace: traceDocumentSchema, ...at, results: z.array(clientResult) }),
  z.object({ type: z.literal('round-started'), round: count, kind: roundKind, workflow, policy: policyRecord, steps: z.array(step) }),
  z.object({ type: z.literal('step-started'), ...at, startMs: z.number() }),
  z.object({ type: z.literal('step-delta'), ...at, text: z.string() }),
  z.object({ type: z.literal('step-retry'), ...at, attempt: count, delayMs: count, reason: z.string() }),
  z.object({
    type: z.literal('step-finished'), ...at, status: stepStatus, output: z.string(), usage, costUsd: count,
    endMs: z.number(), retries: count, error: z.nullable(z.string()), extraUsage, toolCalls,
  }),
  z.object({ type: z.literal('step-tool-call-delta'), ...at, call: count, id: z.optional(z.string()), name: z.optional(z.string()), arguments: z.string() }),
  z.object({ type: z.literal('step-tool-call'), ...at, id: z.string(), name: z.string(), arguments: z.string() }),
  z.object({ type: z.literal('step-tool-result'), ...at, id: z.string(), ok: z.boolean(), result: z.string(), truncated: z.boolean() }),
  z.object({ type: z.literal('round-note'), round: count, note: z.string() }),
  z.object({ type: z.literal('edits'), edits: z.array(edit) }),
  z.object({ type: z.literal('check-started'), round: count, step }),
  z.object({ type: z.literal('check-finished'), ...at, check: traceCheck, endMs: z.number(), rounds: count }),
  z.object({ type: z.literal('check-asked'), command: z.string(), detected: z.nullable(z.string()) }),
  z.object({ type: z.literal('check-answered'), answer: checkAnswer }),
  z.object({
    type: z.literal('run-finished'), status: runStatus, error: z.nullable(z.string()), errorKind, finalText: z.string(), toolCalls,
    usage, costUsd: count, calls: count, request: requestTotals, wallMs: count,
  }),
]);

export const runSummarySchema = z.object({
  id: z.string(),
  task: z.string(),
  createdAt: z.string(),
  status: runStatus,
  calls: count,
  costUsd: count,
  wallMs: count,
  check: z.optional(z.object({ verdict: z.enum(['passed', 'failed', 'unverified']), command: z.string() })),
});

// The schemas must describe exactly the core types; the compiler checks both directions.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const schemasMatchTypes: [Same<z.infer<typeof traceDocumentSchema>, TraceDocument>, Same<z.infer<typeof traceEventSchema>, TraceEvent>] = [true, true];

/** One readable line naming the first problem in a failed parse, e.g. "rounds.0.steps.1.status: Invalid option". */
export function describeIssue(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid value';
  const where = issue.path.length ? issue.path.join('.') : '(root)';
  return `${where}: ${issue.message}`;
}

/** Checks that parsed JSON is a version-1 trace; the reason names the first problem found. */
export function parseTraceDocument(value: unknown): { ok: true; doc: TraceDocument } | { ok: false; reason: string } {
  const r = traceDocumentSchema.safeParse(value);
  return r.success ? { ok: true, doc: r.data } : { ok: false, reason: describeIssue(r.error) };
}
