// One turn of a client's conversation as a run: the task from the conversation, the client's tools
// and format for the answering step, and the continuation of an earlier run when the results of its
// tool calls come back. Shared by every front end (fugu serve's three APIs, the editor's chat provider).
import { runTask } from '../runTask';
import type { RunOptions, RunResult } from '../runTypes';
import type { AnswerOptions, Conversation, ConversationTask } from './conversation';
import { continuationKey, type ContinuationStore } from './continuations';
import { planningContextLimit } from '../contextWindows';
import type { ClientRequest } from '../policies/directRequest';
import { planningView, type PlanningView } from './planningView';
import { callIdsIn } from './toolCallIds';

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
  // Planning happens only when nothing is resumed: only then is the bounded view needed.
  const view = resume ? null : planningView(conversation, turn, planningViewLimit(run.config));
  const result = await runTask({
    ...run,
    task: turn.task,
    ...(view ? { planning: { task: view.task, note: viewNote(view) } } : {}),
    request: clientRequest(conversation, turn, options),
    images: turn.images,
    answer: { options, continuation: turn.continuation, seenCallIds: callIdsIn(conversation.turns) },
    resume,
  });
  // Kept before the calls reach the client, so its follow-up finds it on whichever instance it reaches.
  if (result.resumable) await continuations.set(key(), result.resumable);
  return { ...result, continued: resume !== undefined };
}

/** What a policy may read of the request besides the task. */
export function clientRequest(c: Conversation, turn: ConversationTask, options: AnswerOptions): ClientRequest {
  return { question: turn.question, instructions: c.instructions, tools: options.toolChoice === 'none' ? 0 : (options.tools?.length ?? 0), earlierTurns: turn.prefix.filter((t) => t.role !== 'user').length };
}

function viewNote(v: PlanningView): string {
  return `Planners saw a bounded view of the conversation: about ${v.viewTokens} of its ${v.fullTokens} tokens (the request, ${v.newest} newest earlier turns in full, a digest of ${v.digested}); the answering step saw all of it.`;
}

/** Tokens of a planner's input besides the conversation (its subtask, the framing), left free under the limit. */
const SUBTASK_ROOM = 600;

function planningViewLimit(config: ConversationRunOptions['config']): number {
  const limit = planningContextLimit(config);
  return limit - Math.min(SUBTASK_ROOM, Math.floor(limit / 4));
}
