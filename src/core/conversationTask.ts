// A conversation turned into one task, the same way for every client (fugu serve's HTTP APIs and
// VS Code's Chat): the last user message is the task; the system/developer messages and the
// earlier turns follow it as labelled context, so every worker sees the whole conversation while
// the trace still leads with the question.

export interface ConversationTurn {
  /** 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'function' */
  role: string;
  text: string;
}

export interface ConversationTask {
  /** The last user message. */
  question: string;
  /** What the workers receive: the question, then instructions and earlier turns. */
  task: string;
}

/** The task of a conversation; null when no user message has text. */
export function conversationTask(turns: readonly ConversationTurn[]): ConversationTask | null {
  let last = -1;
  for (let i = turns.length - 1; i >= 0; i--) {
    if (turns[i].role === 'user') {
      last = i;
      break;
    }
  }
  if (last === -1 || !turns[last].text.trim()) return null;

  const question = turns[last].text;
  const instructions = turns.filter((t) => (t.role === 'system' || t.role === 'developer') && t.text.trim()).map((t) => t.text.trim());
  const earlier = turns.filter((t, i) => i !== last && t.role !== 'system' && t.role !== 'developer' && t.text.trim());
  let task = question;
  if (instructions.length) task += `\n\n---\nInstructions given with this request:\n${instructions.join('\n\n')}`;
  if (earlier.length) task += `\n\n---\nEarlier conversation, oldest first:\n${earlier.map((t) => `[${t.role}] ${t.text.trim()}`).join('\n\n')}`;
  return { question, task };
}
