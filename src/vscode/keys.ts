import type * as vscode from 'vscode';
import type { FuguConfig, WorkerConfig } from '../core/config';
import type { KeyResolver } from '../core/runTypes';
import { FUGU_KEY_ENV, keyNameFor, keyOptional } from './keyEnv';

export interface MissingKey {
  /** Key name (an environment variable, or `endpoint:<id>`). */
  name: string;
  /** Worker ids (or 'the conductor') that need it. */
  who: string[];
}

// Keys live only in SecretStorage, filed under the environment variable they stand for
// (OPENAI_API_KEY, ...), so one stored key serves every worker, conductor or endpoint that names
// that variable; the environment is the fallback.

const PREFIX = 'fugu.apiKey.';

export class KeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async get(envName: string): Promise<string | undefined> {
    const stored = await this.secrets.get(PREFIX + envName);
    if (stored) return stored;
    const fromEnv = this.env[envName];
    return fromEnv ? fromEnv : undefined;
  }

  /** Where a key would come from, without revealing it. */
  async source(envName: string): Promise<'secret' | 'env' | 'none'> {
    if (await this.secrets.get(PREFIX + envName)) return 'secret';
    return this.env[envName] ? 'env' : 'none';
  }

  async set(envName: string, key: string): Promise<void> {
    await this.secrets.store(PREFIX + envName, key.trim());
  }

  async clear(envName: string): Promise<void> {
    await this.secrets.delete(PREFIX + envName);
  }

  resolver(): KeyResolver {
    return (worker: WorkerConfig) => this.get(keyNameFor(worker));
  }

  /** Keys the config needs that are neither stored nor in the environment, with who needs them. */
  async missing(config: FuguConfig): Promise<MissingKey[]> {
    const needs = new Map<string, string[]>();
    const need = (name: string, who: string) => needs.set(name, [...(needs.get(name) ?? []), who]);
    if (config.policy.backend === 'fugu') {
      need(config.policy.apiKeyEnv ?? FUGU_KEY_ENV, 'the Fugu policy');
    } else {
      for (const w of config.workers) if (!keyOptional(w)) need(keyNameFor(w), w.id);
      if (config.policy.backend === 'conductor' && config.policy.apiKeyEnv) need(config.policy.apiKeyEnv, 'the conductor');
    }
    const out: MissingKey[] = [];
    for (const [name, who] of needs) if (!(await this.get(name))) out.push({ name, who });
    return out;
  }
}
