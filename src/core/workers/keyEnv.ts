import type { Provider } from './types';

/** The environment variable that holds a provider's key by default; none for local OpenAI-compatible servers. */
export function defaultKeyEnv(provider: Provider): string | undefined {
  switch (provider) {
    case 'openai':
      return 'OPENAI_API_KEY';
    case 'anthropic':
      return 'ANTHROPIC_API_KEY';
    case 'google':
      return 'GEMINI_API_KEY';
    case 'openai-compatible':
    case 'vscode-lm':
      return undefined;
  }
}

/** The variable holding a worker's key: its own `apiKeyEnv`, else its provider's default. */
export function keyEnvOf(cfg: { provider: Provider; apiKeyEnv?: string }): string | undefined {
  return cfg.apiKeyEnv ?? defaultKeyEnv(cfg.provider);
}

/** Local servers (Ollama, vLLM, llama.cpp) ignore the key but the SDK wants one. */
export const NO_KEY = 'not-needed';
