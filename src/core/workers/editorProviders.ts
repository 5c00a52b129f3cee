// Providers that exist only inside the editor. A `vscode-lm` worker is one of VS Code's language
// models (e.g. a Copilot subscription's): the extension passes its factory to runTask; the CLI and
// the server have none and refuse such a config before any call.
import type { FuguConfig, WorkerConfig } from '../config';
import type { Provider } from './types';

export const EDITOR_ONLY_PROVIDERS: readonly Provider[] = ['vscode-lm'];

/** Paid for by a subscription, not per token: the cost is 0 and the trace says "subscription". */
export function billedBySubscription(cfg: Pick<WorkerConfig, 'provider'>): boolean {
  return cfg.provider === 'vscode-lm';
}

/** One sentence when the config names a worker only VS Code can run; null when the CLI or server can run it. */
export function editorOnlyProblem(config: Pick<FuguConfig, 'workers'>): string | null {
  const w = config.workers.find((x) => EDITOR_ONLY_PROVIDERS.includes(x.provider));
  if (!w) return null;
  return `Worker '${w.id}' uses provider '${w.provider}', which needs VS Code: run it from the Fugu extension, or give it another provider.`;
}
