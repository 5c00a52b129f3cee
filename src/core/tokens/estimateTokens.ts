// How many input tokens a call will be billed for, before it is made. OpenAI's GPT-4o / 4.1 / 5 and
// o-series models are counted with their own encoding (o200k_base, from gpt-tokenizer, loaded on the
// first count that needs it: 2.4 MB of ranks); every other model, or any where the tokenizer is not
// installed, is bounded by characters, and the count says so.
import type { WorkerConfig } from '../config';
import type { ChatMessage, ToolSpec } from '../workers/types';

/**
 * Characters per token assumed for models without a tokenizer here (Claude, Gemini, local models).
 * o200k_base measures 3.8 on this repository's README and sources; Claude's and Gemini's tokenizers
 * split code finer than o200k, so 3 errs towards more tokens (a budget stops early, never late).
 */
export const CHARS_PER_TOKEN = 3;

/** Framing tokens per message (role, separators), as OpenAI's chat format adds them. */
const PER_MESSAGE = 4;

/** Models counted with o200k_base. */
const O200K = /^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|chatgpt-4o|o[1-9]|codex)/;

/** Whether `cfg`'s tokens are counted exactly (a tokenizer) rather than bounded by characters. */
export function hasTokenizer(cfg: Pick<WorkerConfig, 'provider' | 'model'>): boolean {
  return cfg.provider === 'openai' && O200K.test(cfg.model);
}

type Counter = (text: string) => number;
let o200k: Promise<Counter | null> | undefined;

/** How a count was made: for a model with a tokenizer (its count, or its byte bound when that was enough), or bounded by characters. */
export interface TokenCount {
  tokens: number;
  by: 'tokenizer' | 'characters';
}

/** What a count says of itself where it is reported (a budget refusal): empty for a tokenizer's count. */
export function countBasis(count: TokenCount): string {
  return count.by === 'characters' ? 'by characters: no tokenizer' : '';
}

/**
 * The o200k_base counter from `load`, or null when the tokenizer is not installed. The CLI and `fugu serve`
 * carry it (dist/tokenizer-o200k.js); the .vsix leaves its 2.4 MB of ranks out, so in the editor the
 * count falls back to the character bound, which counts more tokens than o200k (stops early). Any other
 * failure to load it (a damaged bundle) is an error, not a quiet change of how tokens are counted.
 */
export async function o200kCounter(load: () => Promise<{ countTokens: Counter }>): Promise<Counter | null> {
  try {
    const m = await load();
    return (text: string) => m.countTokens(text);
  } catch (err) {
    if (isTokenizerMissing(err)) return null;
    throw err;
  }
}

function isTokenizerMissing(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && /tokenizer-o200k|o200k_base/.test(String((err as Error).message));
}

/** The o200k_base counter, loaded once, on first use (never at activation). */
function loadO200k(): Promise<Counter | null> {
  o200k ??= o200kCounter(() => import('gpt-tokenizer/encoding/o200k_base'));
  return o200k;
}

/** Everything of a request a model reads as input, as one text: each turn, its calls, the tools' schemas. */
export function requestText(messages: ChatMessage[], tools: ToolSpec[] = [], system = ''): string {
  const parts = [system];
  for (const m of messages) {
    parts.push(m.content);
    for (const c of m.toolCalls ?? []) parts.push(c.name, c.arguments);
  }
  for (const t of tools) parts.push(JSON.stringify(t));
  return parts.join('\n');
}

/** Tokens of `text` by characters alone (the bound used where no tokenizer applies). */
export function tokensByChars(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/**
 * Tokens of `text` for `cfg`'s model. With a tokenizer, the UTF-8 length (a token is at least one byte)
 * is tried first: when `enough` accepts that bound, the text is not tokenized at all. `tokenizer`: where
 * the o200k counter comes from (null: not installed).
 */
export async function estimateTextTokens(
  cfg: Pick<WorkerConfig, 'provider' | 'model'>,
  text: string,
  enough?: (tokens: number) => boolean,
  tokenizer: () => Promise<Counter | null> = loadO200k,
): Promise<TokenCount> {
  const byChars: TokenCount = { tokens: tokensByChars(text), by: 'characters' };
  if (!hasTokenizer(cfg)) return byChars;
  const bound = Buffer.byteLength(text, 'utf8');
  if (enough?.(bound)) return { tokens: bound, by: 'tokenizer' };
  const counter = await tokenizer();
  return counter ? { tokens: counter(text), by: 'tokenizer' } : byChars;
}

/** Input tokens of one call (messages, tools, system prompt, framing). */
export async function estimateInputTokens(
  cfg: Pick<WorkerConfig, 'provider' | 'model'>,
  req: { messages: ChatMessage[]; tools?: ToolSpec[]; system?: string },
  enough?: (tokens: number) => boolean,
): Promise<TokenCount> {
  const framing = PER_MESSAGE * (req.messages.length + (req.system ? 1 : 0)) + 3;
  const text = await estimateTextTokens(cfg, requestText(req.messages, req.tools, req.system), enough && ((t) => enough(t + framing)));
  return { ...text, tokens: framing + text.tokens };
}
