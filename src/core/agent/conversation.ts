// A client's conversation, independent of its wire format (Chat Completions, Responses, Anthropic
// Messages, VS Code's chat API), and how it becomes a task: the last user message is the task, the
// instructions and earlier turns follow it as labelled context, and the turns after the last user
// message that call tools or carry their results continue the answering worker's own loop.
import type { ChatMessage, ImagePart, ResponseFormat, ToolChoice, ToolSpec } from '../workers/types';

export interface Conversation {
  /** System and developer messages, in order. */
  instructions: string[];
  /** user, assistant and tool turns, in order. */
  turns: ChatMessage[];
}

/** What the client asks of the answering step besides text. */
export interface AnswerOptions {
  tools?: ToolSpec[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  /** Cap on the answering step's output (the client's max_tokens / max_output_tokens). */
  maxOutputTokens?: number;
}

export interface ConversationTask {
  /** The last user message's text. */
  question: string;
  /** What the policy and every worker receive: the question, then instructions and earlier turns. */
  task: string;
  /** Images of the last user message. */
  images: ImagePart[];
  /** Turns after the last user message that belong to the answerer's tool loop (empty on a first turn). */
  continuation: ChatMessage[];
  /** The conversation up to the last user message: the same prefix means the same plan. */
  prefix: ChatMessage[];
  /** The turns `task` lists as the earlier conversation, oldest first. */
  earlier: ChatMessage[];
}

/** Null when there is no user message with text or images (the caller phrases the error). */
/**
 * How agent clients open the history they compacted: a user message carrying the summary, after the
 * user's own messages (Codex's summary prefix, Claude Code's continuation notice). Such a message
 * continues the task; it is not a new one.
 */
const COMPACTION_SUMMARY = /^\s*(Another language model started to solve this problem and produced a summary|This session is being continued from a previous conversation that ran out of context)/;

export function isCompactionSummary(t: ChatMessage): boolean {
  return t.role === 'user' && COMPACTION_SUMMARY.test(t.content.slice(0, 300));
}

export function conversationTask(c: Conversation): ConversationTask | null {
  let last = -1;
  let summary = false;
  for (let i = c.turns.length - 1; i >= 0; i--) {
    if (c.turns[i].role !== 'user') continue;
    // A compacted history's summary belongs to the loop of the task before it.
    if (isCompactionSummary(c.turns[i]) && c.turns.slice(0, i).some((t) => t.role === 'user' && !isCompactionSummary(t))) {
      summary = true;
      continue;
    }
    last = i;
    break;
  }
  if (last === -1) return null;
  const user = c.turns[last];
  if (!user.content.trim() && !user.images?.length) return null;
  const after = c.turns.slice(last + 1);
  const inLoop = summary || after.some((t) => t.role === 'tool' || t.toolCalls?.length);
  const earlierTurns = c.turns.filter((t, i) => i !== last && (i < last || !inLoop));
  const earlier = earlierTurns.map(turnLine).filter(Boolean);
  const instructions = c.instructions.map((s) => s.trim()).filter(Boolean);
  let task = user.content;
  if (instructions.length) task += `\n\n---\nInstructions given with this request:\n${instructions.join('\n\n')}`;
  if (earlier.length) task += `\n\n---\nEarlier conversation, oldest first:\n${earlier.join('\n\n')}`;
  return { question: user.content, task, images: user.images ?? [], continuation: inLoop ? after : [], prefix: c.turns.slice(0, last + 1), earlier: earlierTurns };
}

/** "[user] ...", "[assistant] called f({...})", "[tool] ..."; empty for a turn with nothing to show. */
export function turnLine(t: ChatMessage): string {
  const calls = (t.toolCalls ?? []).map((c) => `called ${c.name}(${c.arguments})`);
  const text = [t.content.trim(), ...calls].filter(Boolean).join('\n');
  return text ? `[${t.role}] ${text}` : '';
}
