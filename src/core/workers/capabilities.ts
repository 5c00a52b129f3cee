// What each provider's API can take besides text. One table, asked before a run starts, so a request
// a worker cannot honour is refused with the worker's name instead of being silently ignored.
import type { Provider, ResponseFormat, ToolSpec } from './types';

/** Providers whose chat API takes image parts (an OpenAI-compatible server may have no vision model). */
export function takesImages(provider: Provider): boolean {
  return provider === 'openai' || provider === 'anthropic' || provider === 'google';
}

/**
 * Why a worker cannot answer with this format and these tools, or null when it can. Claude's
 * structured output is a forced tool, which cannot be combined with the client's own tools.
 */
export function formatProblem(provider: Provider, format: ResponseFormat | undefined, tools: ToolSpec[] | undefined): string | null {
  if (!format) return null;
  if (provider === 'anthropic' && tools?.length) return 'gives structured output through a forced tool, so it cannot also offer the client’s tools';
  return null;
}
