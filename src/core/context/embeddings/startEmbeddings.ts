// The `context.embeddings` setting turned into a running signal: the provider's key from where that
// provider's workers get theirs (the first such worker of the pool, else the provider's default
// variable), its base URL too, and the files embedded in the background. Without a key: a note only.
import { EMBEDDING_MODELS, type FuguConfig, type WorkerConfig } from '../../config';
import type { KeyResolver } from '../../runTypes';
import type { WorkspaceIndex } from '../workspaceIndex';
import { EmbeddingCache } from './embeddingCache';
import { createEmbedder, type EmbeddingProvider } from './embedder';
import { WorkspaceEmbeddings, type EmbeddingSignal, type WorkspaceEmbeddingsOptions } from './workspaceEmbeddings';

export interface StartEmbeddings {
  config: Pick<FuguConfig, 'context' | 'workers'>;
  keys: KeyResolver;
  index: WorkspaceIndex;
  /** The folder the cache lives in (the extension's global storage, the CLI's cache folder). */
  cacheDir: string;
  signal?: AbortSignal;
  options?: WorkspaceEmbeddingsOptions;
}

/** Undefined when embeddings are off; a signal that only explains itself when they cannot run. */
export async function startEmbeddings(s: StartEmbeddings): Promise<(EmbeddingSignal & { warm(): Promise<void> }) | undefined> {
  const setting = s.config.context.embeddings;
  if (!setting || setting === 'off') return undefined;
  const provider: EmbeddingProvider = setting;
  const brand = provider === 'openai' ? 'OpenAI' : 'Gemini';
  const worker: WorkerConfig = s.config.workers.find((w) => w.provider === (provider === 'openai' ? 'openai' : 'google')) ?? {
    id: `${provider}-embeddings`,
    provider: provider === 'openai' ? 'openai' : 'google',
    model: EMBEDDING_MODELS[provider],
    role: 'any',
  };
  const apiKey = await s.keys(worker).catch(() => undefined);
  if (!apiKey) {
    const note = `embeddings not used: no ${brand} key (the one ${brand} workers use); the other signals ranked the files`;
    return { similar: async () => ({ hits: [], note }), warm: async () => undefined };
  }
  const model = s.config.context.embeddingsModel ?? EMBEDDING_MODELS[provider];
  const embedder = createEmbedder({ provider, model, apiKey, baseUrl: worker.baseUrl, timeoutMs: 60_000 });
  const embeddings = new WorkspaceEmbeddings(s.index, embedder, new EmbeddingCache(s.cacheDir, model), s.options, s.signal);
  void embeddings.warm();
  return embeddings;
}
