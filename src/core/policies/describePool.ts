// The pool as a conductor sees it: "Model i" with strengths and cost, never a brand or model name.

import type { FuguConfig, Price, WorkerConfig } from '../config';
import { lookupPrice } from '../pricing';
import { billedBySubscription } from '../workers/editorProviders';
import { conductorModelId } from '../workflow/conductorStep';
import type { Role } from '../workers/types';

const ROLE_STRENGTHS: Record<Role, string> = {
  planner: 'careful reasoning and planning: breaks a problem into steps, weighs approaches, spots risks and edge cases',
  coder: 'writing correct, idiomatic code and precise edits to existing files',
  reviewer: 'critical review: finds bugs, missed requirements and unsafe changes',
  any: 'general-purpose: answers questions, explains, writes and edits text and code',
};

/** The worker's own price, the config's, or the built-in table's; undefined when unknown. */
export function workerPrice(worker: WorkerConfig, config: Pick<FuguConfig, 'prices'>): Price | undefined {
  const found = lookupPrice(worker.model, { workerPrice: worker.price, prices: config.prices });
  return found.known ? found.price : undefined;
}

function formatUsd(n: number): string {
  return `$${n < 1 ? n.toFixed(2) : n.toFixed(n % 1 === 0 ? 0 : 2)}`;
}

export function describeWorker(index: number, worker: WorkerConfig, config: Pick<FuguConfig, 'prices'>): string {
  const strengths = worker.description?.trim() || ROLE_STRENGTHS[worker.role];
  const price = workerPrice(worker, config);
  const cost = billedBySubscription(worker)
    ? 'included in a subscription (no per-token cost)'
    : price
    ? `${formatUsd(price.input)} per million input tokens, ${formatUsd(price.output)} per million output tokens`
    : 'not stated';
  return `Model ${index}: role ${worker.role}. Strengths: ${strengths}. Cost: ${cost}.`;
}

/** One line per worker; with `includeConductor`, a last line for the conductor itself (recursion). */
export function describePool(config: Pick<FuguConfig, 'workers' | 'prices'>, opts: { includeConductor: boolean }): string {
  const lines = config.workers.map((w, i) => describeWorker(i, w, config));
  if (opts.includeConductor) {
    lines.push(
      `Model ${conductorModelId(config.workers.length)}: yourself, the conductor. Use it only as the last step: you will then see the ` +
        'results and either accept them or write one corrective workflow.',
    );
  }
  return lines.join('\n');
}
