import type * as vscode from 'vscode';
import type { WorkerConfig } from '../core/config';
import { requiredKeys, whoNeeds, type KeyedConfig } from '../core/requiredKeys';
import type { KeyResolver } from '../core/runTypes';
import { keyNameFor } from './keyEnv';

export interface MissingKey {
  /** Key name (an environment variable, or `endpoint:<id>`). */
  name: string;
  /** Worker ids (or 'the conductor', 'the Fugu policy') that need it. */
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

  /** Keys the config needs (the core's requiredKeys) that are neither stored nor in the environment, with who needs them. */
  async missing(config: KeyedConfig): Promise<MissingKey[]> {
    const out: MissingKey[] = [];
    for (const k of requiredKeys(config)) if (!(await this.get(k.name))) out.push({ name: k.name, who: whoNeeds(k, config) });
    return out;
  }
}
