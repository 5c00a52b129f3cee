// The arms an eval compares: the policies as configured, and each worker alone.
import type { FuguConfig, PolicyBackend, WorkerConfig } from '../config';
import { parseConfig } from '../loadConfig';
import { endpointConductorConfig } from '../policies/conductor';
import { fuguWorkerConfig } from '../policies/fugu';
import { lookupPrice } from '../pricing';
import { billedBySubscription } from '../workers/editorProviders';

export type Arm = { name: string; kind: 'policy'; backend: PolicyBackend } | { name: string; kind: 'single'; worker: string };

const POLICY_ARMS: readonly PolicyBackend[] = ['builtin', 'conductor', 'fugu'];

/** Default: the builtin policy and every worker alone. */
export function defaultArms(config: FuguConfig): string[] {
  return ['builtin', ...config.workers.map((w) => `single:${w.id}`)];
}

/** Parses `--arms a,b,c`; throws one sentence naming an unknown arm or worker id. */
export function parseArms(text: string | undefined, config: FuguConfig): Arm[] {
  const names = text === undefined ? defaultArms(config) : text.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new Error('--arms lists no arm.');
  const seen = new Set<string>();
  return names.map((name): Arm => {
    if (seen.has(name)) throw new Error(`--arms names "${name}" twice.`);
    seen.add(name);
    if ((POLICY_ARMS as readonly string[]).includes(name)) return { name, kind: 'policy', backend: name as PolicyBackend };
    if (name.startsWith('single:')) {
      const id = name.slice('single:'.length);
      if (!config.workers.some((w) => w.id === id)) {
        throw new Error(`--arms names the worker "${id}", which is not in the config's workers (${config.workers.map((w) => w.id).join(', ')}).`);
      }
      return { name, kind: 'single', worker: id };
    }
    throw new Error(`--arms names "${name}"; expected builtin, conductor, fugu or single:<worker id>.`);
  });
}

/**
 * The configuration an arm runs with. A policy arm is the configured pool under that backend
 * (validated here, so a conductor arm without an endpoint fails before any call). A single arm is
 * the builtin policy over a pool of that worker alone as the coder: one call with the same task,
 * context and edit format that the workflow's coder gets, and no review round.
 */
export function armConfig(arm: Arm, config: FuguConfig): FuguConfig {
  if (arm.kind === 'policy') {
    if (arm.backend === config.policy.backend) return config;
    try {
      return parseConfig({ ...config, policy: { ...config.policy, backend: arm.backend } });
    } catch (err) {
      throw new Error(`The arm "${arm.name}" cannot run with this config: ${(err as Error).message}`, { cause: err });
    }
  }
  const worker = config.workers.find((w) => w.id === arm.worker)!;
  return {
    ...config,
    policy: { backend: 'builtin', timeoutMs: config.policy.timeoutMs },
    workers: [{ ...worker, role: 'coder' }],
    maxRecursion: 0,
  };
}

/**
 * The models an arm may call whose price is unknown (their tokens cost $0 in the results): its
 * workers, the conductor endpoint, hosted Fugu. Prices come from the config's `prices` or the table.
 */
export function unpricedModels(arm: Arm, config: FuguConfig): string[] {
  const cfg = armConfig(arm, config);
  const extra = arm.kind !== 'policy' ? null : arm.backend === 'fugu' ? fuguWorkerConfig(cfg) : arm.backend === 'conductor' ? endpointConductorConfig(cfg) : null;
  const called: WorkerConfig[] = [...cfg.workers, ...(extra ? [extra] : [])];
  const unknown = called.filter((w) => !billedBySubscription(w) && !lookupPrice(w.model, { workerPrice: w.price, prices: cfg.prices }).known);
  return [...new Set(unknown.map((w) => w.model))];
}
