import type { Provider, Role, ToolCall, Usage } from '../workers/types';
import type { Workflow } from '../workflow/types';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'budget_exceeded';
export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'skipped';
export type EditStatus = 'proposed' | 'applied' | 'failed' | 'rejected' | 'refused';

/**
 * Why a run did not succeed, beside its sentence: the server's status codes, the CLI's exit codes
 * and the editor's buttons switch on this, never on the wording of `error`.
 */
export type ErrorKind =
  | 'auth' // a key is missing or was refused
  | 'rate_limit' // a provider said 429 after the worker's retries
  | 'timeout' // a provider sent nothing for too long
  | 'network' // a provider could not be reached, or its stream was cut
  | 'bad_request' // a provider refused the request (unknown model, bad settings)
  | 'provider' // any other provider failure (5xx, unreadable answer)
  | 'policy' // the policy failed or wrote an invalid workflow
  | 'budget' // the run reached its calls, tokens or cost budget
  | 'cancelled'
  | 'edits' // the answer's edits could not be planned
  | 'check' // the workspace's check failed
  | 'internal'; // a bug

export interface TraceStep {
  index: number;
  worker: string;
  provider: Provider | 'conductor' | 'check';
  model: string;
  role: Role | 'conductor' | 'check';
  subtask: string;
  /** Indices of earlier steps this step saw. */
  access: number[];
  status: StepStatus;
  output: string;
  usage: Usage;
  costUsd: number;
  startMs: number | null;
  endMs: number | null;
  retries: number;
  error: string | null;
  /** e.g. orchestration tokens reported by hosted Fugu. */
  extraUsage?: Record<string, number>;
  /** The worker is paid for by a subscription (VS Code's language models): its cost is 0 by design. */
  subscription?: boolean;
  /** The tools this step called (the answering step, when the client offered tools). */
  toolCalls?: ToolCall[];
  /** [verify] Set on a check step (provider and role 'check': no model, no tokens, no cost). */
  check?: TraceCheck;
  /** The read-only workspace tools this step called (read_file, search, list_dir), in order. */
  toolUses?: TraceToolUse[];
  /**
   * The answering step's earlier turns, oldest first, when it called the client's tools and the run
   * continued with their results. The step's own fields (output, toolCalls, usage, ...) are its latest turn.
   */
  turns?: TraceTurn[];
}

/** One finished turn of a step in a client's tool loop: what it wrote, what it called, what came back. */
export interface TraceTurn {
  output: string;
  toolCalls: ToolCall[];
  /** The client's results of those calls, as it sent them (cut for the trace). */
  results: TraceClientResult[];
  usage: Usage;
  costUsd: number;
  startMs: number | null;
  endMs: number | null;
}

/** A client tool's result, by the id of the call it answers. */
export interface TraceClientResult {
  id: string;
  content: string;
  /** The content was cut for the trace. */
  truncated: boolean;
}

// [verify] The workspace's own check (issue 11).
/** How a check ended; 'could-not-run' and 'timeout' are no verdict on the edits. */
export type CheckOutcome = 'passed' | 'failed' | 'timeout' | 'could-not-run' | 'cancelled';

export interface CheckResult {
  outcome: CheckOutcome;
  exitCode: number | null;
  durationMs: number;
  /** Tail of the output, capped, ANSI codes stripped. */
  outputTail: string;
  /** Why it could not run, timed out or was cancelled; null otherwise. */
  reason: string | null;
  /** [verify-sandbox] Where it ran: a sandbox engine, or 'copy' (unsandboxed, on full copies of the dependency folders). */
  isolation?: 'bubblewrap' | 'sandbox-exec' | 'copy';
  /** Workspace paths the check itself created, changed or deleted in the copy (never part of the edits). */
  touched?: string[];
  /** How many more touched paths there were than `touched` lists. */
  touchedOmitted?: number;
  /** A way out of a likely cause of the failure (a git-ignored file the copy left out). */
  hint?: string;
}

export interface TraceCheck extends CheckResult {
  command: string;
  passed: boolean;
  /** The same command on the unmodified copy (null when it did not run). */
  baseline: CheckResult | null;
}

/** The user's answer to "Check the edits with <command>?" ('not-now' is not remembered). */
export type CheckAnswer = 'run' | 'not-now' | 'never';

/** The question whether to check this run's edits: asked as the run starts, answered whenever the user likes. */
export interface CheckQuestion {
  command: string;
  /** Why that command was chosen (null: configured). */
  detected: string | null;
  /** Null while unanswered: the run goes on without waiting. */
  answer: CheckAnswer | null;
}

/** The last check of the run, in `trace.final.check`. */
export interface FinalCheck {
  command: string;
  outcome: CheckOutcome;
  passed: boolean;
  exitCode: number | null;
  baselineExitCode: number | null;
  outputTail: string;
  reason: string | null;
  /** Corrective rounds the check drove (0: the first check settled it). */
  rounds: number;
  /** [verify-sandbox] As in CheckResult, for the last check. */
  isolation?: CheckResult['isolation'];
  touched?: string[];
  touchedOmitted?: number;
  hint?: string;
}

/** One read-only workspace tool call of a step and what it returned (cut for the trace). */
export interface TraceToolUse {
  id: string;
  name: string;
  /** JSON text, as the model wrote it. */
  arguments: string;
  /** Null until the result arrives; the refusal's reason when `ok` is false. */
  result: string | null;
  ok: boolean;
  /** The result was cut (at the tool's byte cap, or for the trace). */
  truncated: boolean;
}

/** What one request of a continued run spent. */
export interface RequestTotals {
  usage: Usage;
  costUsd: number;
  calls: number;
}

/** What the policy did to produce a round's workflow (raw answers, fallbacks). */
export interface PolicyRecord {
  backend: string;
  /** Raw conductor answers, in order. */
  rawAnswers: string[];
  /** Validator messages for rejected answers. */
  rejections: string[];
  /** Set when the run fell back to another backend, with why. */
  fallback: { to: string; reason: string } | null;
  usage: Usage;
  costUsd: number;
  /** Set when the request needed no orchestration and one worker answers it: its kind and why. */
  direct?: string;
  /** When the policy was asked and answered (ms since the run began); absent for a repair round. */
  startMs?: number;
  endMs?: number;
  /** The learned policy's choice, with every candidate it weighed. */
  learned?: LearnedRecord;
}

/** One candidate as the learned policy saw it: estimated pass rate with a 90% interval, cost, evidence. */
export interface LearnedCandidateRecord {
  label: string;
  p: number;
  lo: number;
  hi: number;
  costUsd: number;
  ms: number;
  outcomes: number;
  score: number;
}

export interface LearnedRecord {
  /** The label of the candidate picked. */
  pick: string;
  /** What the builtin policy would have picked. */
  builtin: string;
  /** The pick differs from the best estimate: Thompson sampling explored. */
  explored: boolean;
  /** Outcomes the model was fitted on. */
  outcomes: number;
  /** The task's hashed features (bucket numbers, nothing of the text): an outcome of this run is recorded under them. */
  features: number[];
  /** Every candidate, best estimate first. */
  candidates: LearnedCandidateRecord[];
}

export interface TraceRound {
  index: number;
  /** Why this round exists: the first plan, a correction, or the repair of failed edits. */
  kind: 'initial' | 'corrective' | 'repair';
  workflow: Workflow;
  policy: PolicyRecord;
  steps: TraceStep[];
  /** Set when recursion stopped here (accepted, or the depth bound). */
  note: string | null;
}

export interface TraceEdit {
  path: string;
  status: EditStatus;
  reason: string | null;
  /** 'create' | 'modify' | 'delete' */
  action: 'create' | 'modify' | 'delete';
  blocks: number;
  /** Unified diff of the proposed change (empty when it failed). */
  diff: string;
}

export interface TraceDocument {
  version: 1;
  id: string;
  /** The task as the workers saw it. */
  task: string;
  /** The user's own words, when `task` was built around them (inline generation); shown as the run's title. */
  title?: string;
  createdAt: string; // ISO time
  status: RunStatus;
  error: string | null;
  /** Null while running and when the run succeeded; traces saved before it existed read as null. */
  errorKind: ErrorKind | null;
  policy: string;
  rounds: TraceRound[];
  /** `toolCalls`: the answer called the client's tools; the client runs them and sends the results. `check`: [verify] absent in traces stored before checks existed; null when no check ran. */
  final: { text: string; edits: TraceEdit[]; toolCalls?: ToolCall[]; check?: FinalCheck | null; checkQuestion?: CheckQuestion };
  usage: Usage;
  costUsd: number;
  calls: number;
  wallMs: number;
  budget: { maxCalls: number; maxTokens: number; maxCostUsd: number; scope?: 'request' | 'run' };
  /**
   * A continued run (a client's tool-call follow-up): what the latest request spent by itself; `usage`,
   * `costUsd` and `calls` above are the whole run's. Absent on a run's first request.
   */
  request?: RequestTotals;
  /** Context files sent with the task (paths only). */
  context: string[];
}

/** Live events, in order. A view rebuilds the document from these alone. */
export type TraceEvent =
  | { type: 'run-started'; id: string; task: string; title?: string; createdAt: string; policy: string; budget: TraceDocument['budget']; context: string[] }
  /**
   * The run that stopped for the client's tools goes on with their results: the document becomes
   * `trace` again, the answering step (`round`, `index`) keeps its turn in `turns` and runs once more.
   */
  | { type: 'run-continued'; trace: TraceDocument; round: number; index: number; results: TraceClientResult[] }
  | { type: 'round-started'; round: number; kind: TraceRound['kind']; workflow: Workflow; policy: PolicyRecord; steps: TraceStep[] }
  | { type: 'step-started'; round: number; index: number; startMs: number }
  | { type: 'step-delta'; round: number; index: number; text: string }
  | { type: 'step-retry'; round: number; index: number; attempt: number; delayMs: number; reason: string }
  | { type: 'step-finished'; round: number; index: number; status: StepStatus; output: string; usage: Usage; costUsd: number; endMs: number; retries: number; error: string | null; extraUsage?: Record<string, number>; toolCalls?: ToolCall[] }
  // A piece of a client tool call while the answering step writes it (`call`: its place in the step's toolCalls).
  | { type: 'step-tool-call-delta'; round: number; index: number; call: number; id?: string; name?: string; arguments: string }
  | { type: 'step-tool-call'; round: number; index: number; id: string; name: string; arguments: string }
  | { type: 'step-tool-result'; round: number; index: number; id: string; ok: boolean; result: string; truncated: boolean }
  | { type: 'round-note'; round: number; note: string }
  | { type: 'edits'; edits: TraceEdit[] }
  // [verify] A check step is appended to the round whose answer became the edits.
  | { type: 'check-started'; round: number; step: TraceStep }
  | { type: 'check-finished'; round: number; index: number; check: TraceCheck; endMs: number; rounds: number }
  // The question whether to check the edits, asked without waiting, and its answer (also after the run).
  | { type: 'check-asked'; command: string; detected: string | null }
  | { type: 'check-answered'; answer: CheckAnswer }
  | { type: 'run-finished'; status: RunStatus; error: string | null; errorKind: ErrorKind | null; finalText: string; toolCalls?: ToolCall[]; usage: Usage; costUsd: number; calls: number; request?: RequestTotals; wallMs: number };

export type TraceListener = (event: TraceEvent) => void;
