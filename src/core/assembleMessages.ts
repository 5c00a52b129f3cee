import { contextLine } from './context/capContext';
import type { ContextFile } from './runTypes';
import type { ChatMessage } from './workers/types';

export interface VisibleStep {
  subtask: string;
  output: string;
}

/**
 * A step's conversation, in the paper's order: the user's task, then each visible earlier
 * step as a subtask/response pair of turns, then the step's own subtask. Adjacent user turns
 * are joined so every provider sees strictly alternating roles.
 */
export function assembleMessages(task: string, visible: VisibleStep[], subtask: string): ChatMessage[] {
  const turns: ChatMessage[] = [{ role: 'user', content: task }];
  for (const v of visible) {
    turns.push({ role: 'user', content: v.subtask });
    turns.push({ role: 'assistant', content: v.output });
  }
  turns.push({ role: 'user', content: subtask });
  const merged: ChatMessage[] = [];
  for (const t of turns) {
    const last = merged[merged.length - 1];
    if (last && last.role === t.role) last.content = `${last.content}\n\n${t.content}`;
    else merged.push({ ...t });
  }
  return merged;
}

/** The task as workers see it: the user's words, then the context files that were sent. */
export function taskWithContext(task: string, context: ContextFile[]): string {
  if (context.length === 0) return task;
  const files = context.map((f) => `File: ${contextLine(f)}\n\`\`\`\n${f.text}\n\`\`\``);
  return `${task}\n\nContext from the workspace:\n\n${files.join('\n\n')}`;
}
