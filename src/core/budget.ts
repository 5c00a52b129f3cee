import type { Budget, WorkerConfig } from './config';
import { countBasis, estimateInputTokens } from './tokens/estimateTokens';
import type { PolicyRecord } from './trace/types';
import type { WorkerRequest } from './workers/types';

/** Counts calls, tokens and cost across one run (every round and every policy call). */
export class BudgetTracker {
  calls = 0;
  inputTokens = 0;
  outputTokens = 0;
  costUsd = 0;
  /** Tokens and cost streamed but not yet settled, per in-flight call. */
  private pending = new Map<object, { tokens: number; cost: number }>();
  /** What an in-flight call was admitted with (its input estimate and output cap): it counts until settled. */
  private reserved = new Map<object, { tokens: number; cost: number }>();

  /** `spent`: what earlier requests of the run spent, when one budget covers the whole run (budget.scope 'run'). */
  constructor(
    readonly limits: Budget,
    spent?: { calls: number; inputTokens: number; outputTokens: number; costUsd: number },
  ) {
    if (spent) Object.assign(this, { calls: spent.calls, inputTokens: spent.inputTokens, outputTokens: spent.outputTokens, costUsd: spent.costUsd });
  }

  /** Tokens a call may still use before the token budget is crossed (counting calls in flight). */
  tokensLeft(): number {
    return this.limits.maxTokens - this.tokens - this.pendingTotals().tokens;
  }

  /** USD a call may still cost before the cost budget is crossed (counting calls in flight). */
  costLeft(): number {
    return this.limits.maxCostUsd - this.costUsd - this.pendingTotals().cost;
  }

  /**
   * Before a started call (`startCall(key)`) is made: null when `tokens` more and `cost` more stay within
   * the budget, counting every call in flight; else why not. An admitted call holds its estimate until
   * settled, so calls started in parallel cannot cross the budget together. The one place a call's
   * estimate meets the budget: a prompt is paid whatever it answers, so one that would cross is not sent.
   */
  admit(key: object, tokens: number, cost: number, basis = ''): string | null {
    const l = this.limits;
    const how = basis ? ` (${basis})` : '';
    const p = this.pendingTotals();
    const own = this.pending.get(key) ?? { tokens: 0, cost: 0 };
    const tokensAfter = this.tokens + p.tokens - own.tokens + tokens;
    const costAfter = this.costUsd + p.cost - own.cost + cost;
    if (tokensAfter > l.maxTokens) return `the call's estimated ${tokens} tokens${how} would take the run to ${tokensAfter} of its ${l.maxTokens}-token budget`;
    if (cost > 0 && costAfter > l.maxCostUsd) return `the call's estimated $${cost.toFixed(4)}${how} would take the run to $${costAfter.toFixed(4)} of its $${l.maxCostUsd.toFixed(2)} cost budget`;
    this.reserved.set(key, { tokens, cost });
    this.pending.set(key, { tokens, cost });
    return null;
  }

  /** A policy's admitted call ended (its usage is counted with the policy's record). */
  release(key: object): void {
    this.pending.delete(key);
    this.reserved.delete(key);
  }

  /** A started call that was never made (the budget refused it): it counts as nothing. */
  withdraw(key: object): void {
    if (!this.pending.has(key)) return;
    this.pending.delete(key);
    this.reserved.delete(key);
    this.calls--;
  }

  get tokens(): number {
    return this.inputTokens + this.outputTokens;
  }

  /**
   * Why no further call may start, or null: a limit already reached by what was spent and is in flight.
   * Whether the next call itself fits is `admit`'s question (it alone estimates the call's input).
   */
  refusal(): string | null {
    const l = this.limits;
    if (this.calls >= l.maxCalls) return `the run reached its call budget (${l.maxCalls} calls)`;
    const p = this.pendingTotals();
    if (reached(this.tokens + p.tokens, l.maxTokens)) return `the run reached its token budget (${l.maxTokens} tokens)`;
    if (reached(this.costUsd + p.cost, l.maxCostUsd)) return `the run reached its cost budget ($${l.maxCostUsd.toFixed(2)})`;
    return null;
  }

  /** Why an in-flight call must stop now (streamed estimate over a limit), or null. */
  overrun(): string | null {
    const l = this.limits;
    const p = this.pendingTotals();
    if (this.tokens + p.tokens > l.maxTokens) return `the run went over its token budget (${l.maxTokens} tokens)`;
    if (this.costUsd + p.cost > l.maxCostUsd) return `the run went over its cost budget ($${l.maxCostUsd.toFixed(2)})`;
    return null;
  }

  /** A call is on its way: it counts against the call budget at once, and against the others once admitted. */
  startCall(key: object): void {
    this.calls++;
    this.pending.set(key, { tokens: 0, cost: 0 });
  }

  /** Running estimate for a streaming call (never below what it was admitted with). */
  estimate(key: object, tokens: number, cost: number): void {
    if (!this.pending.has(key)) return;
    const r = this.reserved.get(key);
    this.pending.set(key, r ? { tokens: Math.max(tokens, r.tokens), cost: Math.max(cost, r.cost) } : { tokens, cost });
  }

  /**
   * The policy's calls (one per raw answer), already finished. The one place they are counted:
   * runTask calls it once for every plan a policy returns, first plan, correction or accept alike.
   */
  countPolicy(record: PolicyRecord): void {
    this.calls += record.rawAnswers.length;
    this.inputTokens += record.usage.inputTokens;
    this.outputTokens += record.usage.outputTokens;
    this.costUsd += record.costUsd;
  }

  settle(key: object, inputTokens: number, outputTokens: number, cost: number): void {
    this.pending.delete(key);
    this.reserved.delete(key);
    this.inputTokens += inputTokens;
    this.outputTokens += outputTokens;
    this.costUsd += cost;
  }

  private pendingTotals(): { tokens: number; cost: number } {
    let tokens = 0;
    let cost = 0;
    for (const p of this.pending.values()) {
      tokens += p.tokens;
      cost += p.cost;
    }
    return { tokens, cost };
  }
}

/** A limit of 0 allows only what costs nothing (maxCostUsd 0: free local models), so nothing spent never counts as reached. */
function reached(spent: number, limit: number): boolean {
  return spent > 0 && spent >= limit;
}

/**
 * Before `cfg`'s call of `req` (started as `key`): null when its input, estimated (a cheap bound first;
 * only a close call is tokenized), plus `outputCap` tokens fits in what the run has left, priced by
 * `price(inputTokens)`; else why not, saying how the input was counted. Steps and the policy's own
 * calls are admitted here alike.
 */
export async function admitCall(budget: BudgetTracker, key: object, cfg: WorkerConfig, req: WorkerRequest, price: (inputTokens: number) => number, outputCap = 0): Promise<string | null> {
  const fits = (tokens: number) => tokens + outputCap <= budget.tokensLeft() && price(tokens) <= budget.costLeft();
  const count = await estimateInputTokens(cfg, req, fits);
  return budget.admit(key, count.tokens + outputCap, price(count.tokens), countBasis(count));
}

/** A call the budget did not let start (its estimate would cross a limit); nothing was sent or spent. */
export class BudgetRefusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'BudgetRefusal';
  }
}
