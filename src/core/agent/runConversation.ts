// One turn of a client's conversation as a run: the task from the conversation, the client's tools
// and format for the answering step, and the continuation of an earlier run when the results of its
// tool calls come back. Shared by every front end (fugu serve's three APIs, the editor's chat provider).
import { runTask } from '../runTask';
import type { RunOptions, RunResult } from '../runTypes';
import type { AnswerOptions, Conversation, ConversationTask } from './conversation';
import { continuationKey, type ContinuationStore } from './continuations';

export interface ConversationRunOptions extends Omit<RunOptions, 'task' | 'answer' | 'images' | 'resume'> {
  conversation: Conversation;
  /** From `conversationTask(conversation)`. */
  turn: ConversationTask;
  options: AnswerOptions;
  /** The profile (model name) the continuation belongs to. */
  profile: string;
  continuations: ContinuationStore;
  /**
   * Tools among options.tools that the answerer's loop loaded after the run began (Anthropic's tool
   * search): left out of the continuation's key, which names the tools the run started with.
   */
  loadedInLoop?: string[];
}

export interface ConversationRunResult extends RunResult {
  /** True when the planners' outputs of an earlier run were reused. */
  continued: boolean;
}

export async function runConversation(o: ConversationRunOptions): Promise<ConversationRunResult> {
  const { conversation, turn, options, profile, continuations, loadedInLoop, ...run } = o;
  const atStart = loadedInLoop?.length ? { ...options, tools: options.tools?.filter((t) => !loadedInLoop.includes(t.name)) } : options;
  // Hashing the whole history is done only when a continuation is looked up or kept (not for a plain request).
  let hashed: string | undefined;
  const key = () => (hashed ??= continuationKey(profile, run.config.workers, conversation.instructions, turn.prefix, atStart));
  const resume = turn.continuation.length ? await continuations.get(key()) : undefined;
  const result = await runTask({
    ...run,
    task: turn.task,
    images: turn.images,
    answer: { options, continuation: turn.continuation },
    resume,
  });
  // Kept before the calls reach the client, so its follow-up finds it on whichever instance it reaches.
  if (result.resumable) await continuations.set(key(), result.resumable);
  return { ...result, continued: resume !== undefined };
}
