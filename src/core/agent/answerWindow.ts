// Before any call: does the conversation fit in the window of the worker that will answer it? That
// worker gets everything the client sent, so a request larger than its window can only fail, after
// the planners have been paid for.
import type { WorkerConfig } from '../config';
import { contextWindowOf, DEFAULT_CONTEXT_WINDOW } from '../contextWindows';
import { estimateInputTokens } from '../tokens/estimateTokens';
import type { AnswerOptions, ConversationTask } from './conversation';

export interface ContextOverflow {
  worker: WorkerConfig;
  /** Estimated input tokens of the request as that worker reads it. */
  tokens: number;
  window: number;
}

/** The first of `answerers` (from possibleAnswerers) whose window the request exceeds, or null when it fits. */
export async function contextOverflow(answerers: WorkerConfig[], turn: ConversationTask, options: AnswerOptions): Promise<ContextOverflow | null> {
  const messages = [{ role: 'user' as const, content: turn.task }, ...turn.continuation];
  for (const worker of answerers) {
    const window = contextWindowOf(worker.model) ?? DEFAULT_CONTEXT_WINDOW;
    const { tokens } = await estimateInputTokens(worker, { messages, tools: options.tools }, (t) => t <= window);
    if (tokens > window) return { worker, tokens, window };
  }
  return null;
}
