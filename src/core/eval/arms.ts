// The arms an eval compares: the policies as configured, and each worker alone.
import type { FuguConfig, PolicyBackend, WorkerConfig } from '../config';
import { parseConfig } from '../loadConfig';
import { endpointConductorConfig } from '../policies/conductor';
import { fuguWorkerConfig } from '../policies/fugu';
import { lookupPrice } from '../pricing';
import { billedBySubscription } from '../workers/editorProviders';
import type { TaskKind } from '../policies/classifyTask';
import { candidateLabels } from '../policies/learned/candidates';

/** `fix`: `single:<id>+fix`, that worker's answer and, when the check fails, one repair call given its output. */
/** `workflow`: one of the learned policy's candidates by its label (`workflow:planned(gemini→gpt)`), run as it is. */
export type Arm =
  | { name: string; kind: 'policy'; backend: PolicyBackend }
  | { name: string; kind: 'single'; worker: string; fix?: boolean }
  | { name: string; kind: 'workflow'; candidate: string };

const POLICY_ARMS: readonly PolicyBackend[] = ['builtin', 'conductor', 'fugu'];

/** Default: the builtin policy and every worker alone. */
export function defaultArms(config: FuguConfig): string[] {
  return ['builtin', ...config.workers.map((w) => `single:${w.id}`)];
}

/** Parses `--arms a,b,c` (`kinds`: the suite's kinds of task); throws one sentence naming an unknown arm or worker id. */
export function parseArms(text: string | undefined, config: FuguConfig, kinds?: readonly TaskKind[]): Arm[] {
  // `workflow:*`: every candidate for the kinds of task the suite holds (all kinds when not told).
  const names = text === undefined ? defaultArms(config) : splitArms(text).flatMap((n) => (n === 'workflow:*' ? candidateLabels(config, kinds).map((l) => `workflow:${l}`) : [n]));
  if (names.length === 0) throw new Error('--arms lists no arm.');
  const seen = new Set<string>();
  return names.map((name): Arm => {
    if (seen.has(name)) throw new Error(`--arms names "${name}" twice.`);
    seen.add(name);
    if ((POLICY_ARMS as readonly string[]).includes(name)) return { name, kind: 'policy', backend: name as PolicyBackend };
    if (name.startsWith('single:')) {
      const fix = name.endsWith('+fix');
      const id = name.slice('single:'.length, fix ? -'+fix'.length : undefined);
      if (!config.workers.some((w) => w.id === id)) {
        throw new Error(`--arms names the worker "${id}", which is not in the config's workers (${config.workers.map((w) => w.id).join(', ')}).`);
      }
      return fix ? { name, kind: 'single', worker: id, fix } : { name, kind: 'single', worker: id };
    }
    if (name.startsWith('workflow:')) {
      const candidate = name.slice('workflow:'.length);
      const labels = candidateLabels(config);
      if (!labels.includes(candidate)) throw new Error(`--arms names the workflow "${candidate}", which is not a candidate of this pool (${labels.join(', ')}).`);
      return { name, kind: 'workflow', candidate };
    }
    throw new Error(`--arms names "${name}"; expected builtin, conductor, fugu, single:<worker id>, single:<worker id>+fix, workflow:<candidate> or workflow:*.`);
  });
}

/** Arm names are split on commas outside parentheses: a label such as `planned(gemini,qwen→gpt)` holds commas. */
function splitArms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    current += ch;
  }
  out.push(current);
  return out.map((s) => s.trim()).filter(Boolean);
}

/**
 * The configuration an arm runs with. A policy arm is the configured pool under that backend
 * (validated here, so a conductor arm without an endpoint fails before any call). A single arm is
 * the builtin policy over a pool of that worker alone as the coder: one call with the same task,
 * context and edit format that the workflow's coder gets, and no review round.
 */
export function armConfig(arm: Arm, config: FuguConfig): FuguConfig {
  // The whole pool under the builtin's corrective rounds; runAttempt gives it the candidate's policy.
  if (arm.kind === 'workflow') return config.policy.backend === 'builtin' ? config : { ...config, policy: { ...config.policy, backend: 'builtin' } };
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
  const unknown = calledModels(arm, cfg).filter((w) => !billedBySubscription(w) && !lookupPrice(w.model, { workerPrice: w.price, prices: cfg.prices }).known);
  return [...new Set(unknown.map((w) => w.model))];
}

/** Everything an arm's run may call: its workers, the conductor endpoint, hosted Fugu. */
function calledModels(arm: Arm, cfg: FuguConfig): WorkerConfig[] {
  const extra = arm.kind !== 'policy' ? null : arm.backend === 'fugu' ? fuguWorkerConfig(cfg) : arm.backend === 'conductor' ? endpointConductorConfig(cfg) : null;
  return [...cfg.workers, ...(extra ? [extra] : [])];
}

/**
 * The most one attempt of the arm can cost before any has run: its run's token budget at the dearest
 * per-token price among the models it calls, and never more than the run's own cost budget.
 */
export function firstAttemptBound(arm: Arm, config: FuguConfig): number {
  const cfg = armConfig(arm, config);
  const perMillion = Math.max(
    0,
    ...calledModels(arm, cfg)
      .filter((w) => !billedBySubscription(w))
      .map((w) => {
        const p = lookupPrice(w.model, { workerPrice: w.price, prices: cfg.prices }).price;
        return Math.max(p.input, p.output);
      }),
  );
  return Math.min(cfg.budget.maxCostUsd, (cfg.budget.maxTokens * perMillion) / 1_000_000);
}
