// The configuration's one source: this schema validates settings and config files, and the types
// below are derived from it. package.json's `fugu.*` settings are checked against it by a unit test.
import * as z from 'zod/mini';
import { DEFAULT_EXCLUDES } from './context/defaultExcludes';
import { PROVIDERS, type Provider } from './workers/types';

// Every check carries the sentence's second half ("expected ..."), so a refusal can name the value
// it refuses and what would do instead (see describeIssue in loadConfig.ts).
export const wholeNumber = (min: number, max?: number) => {
  const error = `expected a whole number ${max === undefined ? `of at least ${min}` : `from ${min} to ${max}`}`;
  return z.number({ error }).check(z.int({ error }), z.minimum(min, { error }), ...(max === undefined ? [] : [z.maximum(max, { error })]));
};
const amount = (min: number) => {
  const error = `expected a number of at least ${min}`;
  return z.number({ error }).check(z.minimum(min, { error }));
};
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `expected one of ${values.join(', ')}` });
// 'localhost:11434' is a valid URL with the scheme 'localhost:'; only http(s) can be a base URL.
const httpUrl = () => z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });
const text = () => z.string({ error: 'expected a non-empty string' }).check(z.minLength(1, { error: 'expected a non-empty string' }));
const object = <S extends z.core.$ZodLooseShape>(shape: S) => z.strictObject(shape, { error: 'expected an object' });

const priceSchema = object({
  /** USD per million input tokens. */
  input: amount(0),
  /** USD per million output tokens. */
  output: amount(0),
});

const ID_ERROR = 'expected an id of letters, digits, "_", "." or "-"';

export const workerSchema = object({
  id: z.string({ error: ID_ERROR }).check(z.minLength(1, { error: ID_ERROR }), z.regex(/^[A-Za-z0-9_.-]+$/, { error: ID_ERROR })),
  provider: oneOf(PROVIDERS as readonly Provider[] as readonly [Provider, ...Provider[]]),
  /** Model name, or for vscode-lm the model's family or id. */
  model: text(),
  /** vscode-lm: the vendor of VS Code's language model (e.g. 'copilot'). */
  vendor: z.optional(text()),
  baseUrl: z.optional(httpUrl()),
  /** Environment variable holding the key; defaults per provider. */
  apiKeyEnv: z.optional(text()),
  role: z._default(oneOf(['planner', 'coder', 'reviewer', 'any']), 'any'),
  /** Strengths shown to a conductor (never the brand). */
  description: z.optional(z.string({ error: 'expected a string' })),
  price: z.optional(priceSchema),
  maxOutputTokens: z.optional(wholeNumber(1)),
  /** Idle timeout for this worker's calls; defaults to the config's timeoutMs. */
  timeoutMs: z.optional(wholeNumber(1)),
});

/** Where context embeddings may come from ('gemini' uses the pool's Google key). */
export const EMBEDDING_PROVIDERS = ['off', 'openai', 'gemini'] as const;
/** Each provider's default embedding model. */
export const EMBEDDING_MODELS = { openai: 'text-embedding-3-small', gemini: 'gemini-embedding-001' } as const;

/** The `context.*` defaults (also what a config file without `context` gets). */
export const CONTEXT_DEFAULTS = { maxChars: 60_000, exclude: DEFAULT_EXCLUDES, maxFileBytes: 1_000_000, embeddings: 'off' as const };

/** The `context.*` settings: what is gathered from the workspace and sent with a task. */
export const contextSchema = object({
  /** Most characters of context sent with a task. */
  maxChars: z._default(wholeNumber(0, 2_000_000), CONTEXT_DEFAULTS.maxChars),
  /** `files.exclude`-style globs the workspace index leaves out. */
  exclude: z._default(z.array(z.string({ error: 'expected a glob pattern' }), { error: 'expected a list of glob patterns' }), CONTEXT_DEFAULTS.exclude),
  /** Files larger than this are not indexed. */
  maxFileBytes: z._default(wholeNumber(1), CONTEXT_DEFAULTS.maxFileBytes),
  /** Embeddings as one more ranking signal, from this provider with the user's key for it; 'off' (the default) sends nothing. */
  embeddings: z._default(oneOf(EMBEDDING_PROVIDERS), 'off'),
  /** The embedding model (absent: the provider's default, EMBEDDING_MODELS). */
  embeddingsModel: z.optional(text()),
});

// [verify] The workspace's own check (issue 11). `command` unset: detected from the workspace.
export const verifySchema = object({
  command: z.optional(z.union([text(), z.array(text(), { error: 'expected a list of strings' }).check(z.minLength(1, { error: 'expected at least one argument' }))], { error: 'expected a command line or a list of arguments' })),
  mode: z._default(oneOf(['off', 'ask', 'on']), 'ask'),
  timeoutMs: z._default(wholeNumber(1), 300_000),
  maxOutputBytes: z._default(wholeNumber(1024), 65_536),
  // [verify-sandbox] Where the check runs (issue 20): 'auto' = bubblewrap / sandbox-exec when one can start, else a full copy.
  sandbox: z._default(oneOf(['auto', 'required', 'off']), 'auto'),
  /** false: the sandboxed check has no network. */
  network: z._default(z.boolean({ error: 'expected true or false' }), true),
  /** Secret-looking variables the check may still see. */
  env: z._default(object({ pass: z._default(z.array(text(), { error: 'expected a list of variable names' }), []) }), { pass: [] }),
  /** Git-ignored paths (.env) copied into the scratch copy. */
  copyIgnored: z._default(z.array(text(), { error: 'expected a list of paths' }), []),
  /** Edits to the tests are refused, so the check judges the code by the tests as they were: true for the default globs, or a list of globs. */
  protect: z._default(z.union([z.boolean({ error: 'expected true, false or a list of glob patterns' }), z.array(text(), { error: 'expected a list of glob patterns' })], { error: 'expected true, false or a list of glob patterns' }), false),
});

/** The `tools.*` defaults: how many read-only workspace tool calls a planner may make per step. */
export const TOOLS_DEFAULTS = { maxCalls: 8 };

/** Default of `policy.planningContextTokens`. */
export const PLANNING_CONTEXT_TOKENS = 32_000;
/** The learned policy's knobs (issue 25): how much it explores, and what a dollar is worth in pass probability. */
export const LEARNED_DEFAULTS = { explore: 0.1, costWeight: 1 };
const POLICY_DEFAULTS = { backend: 'learned', timeoutMs: 60_000 } as const;
const BUDGET_DEFAULTS = { maxCalls: 20, maxTokens: 400_000, maxCostUsd: 2 };

export const configSchema = object({
  policy: z._default(
    object({
      backend: z._default(oneOf(['learned', 'builtin', 'conductor', 'fugu']), POLICY_DEFAULTS.backend),
      /** conductor: OpenAI-compatible endpoint, or a pool worker used as a prompted conductor. */
      baseUrl: z.optional(httpUrl()),
      model: z.optional(text()),
      apiKeyEnv: z.optional(text()),
      worker: z.optional(text()),
      timeoutMs: z._default(wholeNumber(1), POLICY_DEFAULTS.timeoutMs),
      /** Past this many tokens of conversation, planners see a bounded view of it (absent: PLANNING_CONTEXT_TOKENS). */
      planningContextTokens: z.optional(wholeNumber(1000)),
      learned: z.optional(
        object({
          /** Scale of the posterior spread Thompson sampling draws from; 0 picks the best estimate. */
          explore: z._default(amount(0), LEARNED_DEFAULTS.explore),
          /** Pass probability one US dollar is worth when candidates differ in cost. */
          costWeight: z._default(amount(0), LEARNED_DEFAULTS.costWeight),
        }),
      ),
    }),
    POLICY_DEFAULTS,
  ),
  workers: z.array(workerSchema, { error: 'expected a list of workers' }).check(z.minLength(1, { error: 'expected at least one worker' })),
  // The paper's workflows have at most five steps.
  maxSteps: z._default(wholeNumber(1, 5), 5),
  maxRecursion: z._default(wholeNumber(0, 3), 1),
  budget: z._default(
    object({
      maxCalls: z._default(wholeNumber(1), BUDGET_DEFAULTS.maxCalls),
      maxTokens: z._default(wholeNumber(1), BUDGET_DEFAULTS.maxTokens),
      maxCostUsd: z._default(amount(0), BUDGET_DEFAULTS.maxCostUsd),
      /** What one budget covers: each HTTP request of a continued run, or the whole run (absent: the front end's default). */
      scope: z.optional(oneOf(['request', 'run'])),
    }),
    BUDGET_DEFAULTS,
  ),
  /** Per worker call. */
  timeoutMs: z._default(wholeNumber(1), 120_000),
  maxRetries: z._default(wholeNumber(0, 10), 2),
  /** Overrides of the built-in price table, keyed by model name. */
  prices: z.optional(z.record(z.string(), priceSchema, { error: 'expected an object mapping model names to prices' })),
  /** What is gathered from the workspace as context. */
  context: z._default(contextSchema, CONTEXT_DEFAULTS),
  /** [verify] Absent means the defaults (mode 'ask'); see VERIFY_DEFAULTS. */
  verify: z.optional(verifySchema),
  /** The read-only workspace tools (read_file, search, list_dir) offered to planners and to a repair round's coder. */
  tools: z._default(
    object({
      /** Tool calls per step; 0 offers no tools. */
      maxCalls: z._default(wholeNumber(0, 64), TOOLS_DEFAULTS.maxCalls),
    }),
    TOOLS_DEFAULTS,
  ),
});

export type Price = z.output<typeof priceSchema>;
export type WorkerConfig = z.output<typeof workerSchema>;
export type FuguConfig = z.output<typeof configSchema>;
export type PolicyConfig = FuguConfig['policy'];
export type PolicyBackend = PolicyConfig['backend'];
export type Budget = FuguConfig['budget'];
export type BudgetScope = NonNullable<Budget['scope']>;
export type ContextConfig = FuguConfig['context'];
export type VerifyConfig = z.output<typeof verifySchema>;
