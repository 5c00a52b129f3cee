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
      return undefined;
  }
}

/** Local servers (Ollama, vLLM, llama.cpp) ignore the key but the SDK wants one. */
export const NO_KEY = 'not-needed';
