import type { Budget } from './config';
import type { PolicyRecord } from './trace/types';

/** Counts calls, tokens and cost across one run (every round and every policy call). */
export class BudgetTracker {
  calls = 0;
  inputTokens = 0;
  outputTokens = 0;
  costUsd = 0;
  /** Tokens and cost streamed but not yet settled, per in-flight call. */
  private pending = new Map<object, { tokens: number; cost: number }>();

  constructor(readonly limits: Budget) {}

  get tokens(): number {
    return this.inputTokens + this.outputTokens;
  }

  /** Why no further call may start, or null. `upfrontUsd`: what the next call's prompt alone will cost (its input tokens). */
  refusal(upfrontUsd = 0): string | null {
    const l = this.limits;
    if (this.calls >= l.maxCalls) return `the run reached its call budget (${l.maxCalls} calls)`;
    const p = this.pendingTotals();
    if (reached(this.tokens + p.tokens, l.maxTokens)) return `the run reached its token budget (${l.maxTokens} tokens)`;
    if (reached(this.costUsd + p.cost, l.maxCostUsd)) return `the run reached its cost budget ($${l.maxCostUsd.toFixed(2)})`;
    // A prompt that alone would cross the cost budget is not sent: its input is paid whatever it answers.
    if (upfrontUsd > 0 && this.costUsd + p.cost + upfrontUsd > l.maxCostUsd) return `the next call's prompt would cross the run's cost budget ($${l.maxCostUsd.toFixed(2)})`;
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

  /** `upfrontUsd`: the prompt's cost, counted as pending until the call settles (so calls started beside it see it). */
  startCall(key: object, upfrontUsd = 0): void {
    this.calls++;
    this.pending.set(key, { tokens: 0, cost: upfrontUsd });
  }

  /** Running estimate for a streaming call. */
  estimate(key: object, tokens: number, cost: number): void {
    if (this.pending.has(key)) this.pending.set(key, { tokens, cost });
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
