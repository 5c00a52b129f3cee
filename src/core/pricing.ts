// USD per million tokens for common models, from the providers' public price pages (standard tier,
// prompts under 200k tokens, no caching or batch discounts). Config overrides win over the table.
import type { Price } from './config';
import type { Usage } from './workers/types';

export const PRICE_TABLE: Readonly<Record<string, Price>> = {
  // OpenAI
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'gpt-5-pro': { input: 15, output: 120 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  o3: { input: 2, output: 8 },
  'o4-mini': { input: 1.1, output: 4.4 },
  // Anthropic
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'claude-sonnet-4-6': { input: 3, output: 15 },
  'claude-opus-4': { input: 15, output: 75 },
  'claude-opus-4-1': { input: 15, output: 75 },
  'claude-opus-4-5': { input: 5, output: 25 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  'claude-3-haiku': { input: 0.25, output: 1.25 },
  // Google
  'gemini-2.5-pro': { input: 1.25, output: 10 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5 },
  'gemini-2.5-flash-lite': { input: 0.1, output: 0.4 },
  'gemini-2.0-flash': { input: 0.1, output: 0.4 },
};

export type PriceSource = 'worker' | 'config' | 'table' | 'unknown';

export interface PriceLookup {
  price: Price;
  known: boolean;
  source: PriceSource;
  /** The table or override key that matched (e.g. 'claude-sonnet-4-5' for 'claude-sonnet-4-5-20250929'). */
  matched?: string;
}

export interface PriceOverrides {
  /** A worker's own `price` setting. */
  workerPrice?: Price;
  /** The config's `prices` map, keyed by model name. */
  prices?: Record<string, Price>;
}

const FREE: Price = { input: 0, output: 0 };

/** Worker price, then config prices, then the table; each by exact name, then the longest known prefix. */
export function lookupPrice(model: string, overrides: PriceOverrides = {}): PriceLookup {
  if (overrides.workerPrice) return { price: overrides.workerPrice, known: true, source: 'worker' };
  const fromConfig = overrides.prices && match(model, overrides.prices);
  if (fromConfig) return { price: overrides.prices![fromConfig], known: true, source: 'config', matched: fromConfig };
  const fromTable = match(model, PRICE_TABLE);
  if (fromTable) return { price: PRICE_TABLE[fromTable], known: true, source: 'table', matched: fromTable };
  return { price: FREE, known: false, source: 'unknown' };
}

/** False for models we cannot price: their cost shows as 0 and should be flagged. */
export function isPriceKnown(model: string, overrides: PriceOverrides = {}): boolean {
  return lookupPrice(model, overrides).known;
}

export function costUsd(usage: Usage, price: Price): number {
  return (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
}

function match(model: string, table: Readonly<Record<string, Price>>): string | undefined {
  // "models/gemini-2.5-pro" (Google) and "openai/gpt-5" (routers) name the same model.
  const names = [model, model.slice(model.lastIndexOf('/') + 1)].map((n) => n.toLowerCase());
  const keys = Object.keys(table);
  for (const n of names) {
    const exact = keys.find((k) => k.toLowerCase() === n);
    if (exact) return exact;
  }
  let best: string | undefined;
  for (const n of names) {
    for (const k of keys) {
      const kl = k.toLowerCase();
      // A prefix must end at a separator, so 'gpt-4' would not price 'gpt-4o'.
      if (n.startsWith(kl) && /^[-:@]/.test(n.slice(kl.length)) && (!best || k.length > best.length)) best = k;
    }
  }
  return best;
}
