// Requests an agent client makes for its own housekeeping (compacting its history, titling a session)
// and short first questions: one worker answers them, with no planning. What a policy reads to say so.
import { SHORT_QUESTION_MAX_CHARS, classifyTask, isQuestionForm } from './classifyTask';

/** What a policy may know of a client's request besides the task. */
export interface ClientRequest {
  /** The last user message's text. */
  question: string;
  /** System and developer messages. */
  instructions: string[];
  /** Tools the client offered the answer. */
  tools: number;
  /** Answers (assistant and tool turns) before the last user message: 0 on a conversation's first exchange, whatever context messages the client put first. */
  earlierTurns: number;
}

export type DirectKind = 'compaction' | 'summary' | 'title' | 'question';

export interface DirectRequest {
  kind: DirectKind;
  /** Why, for the trace: which client's prompt it is, or what made it a short question. */
  reason: string;
}

/** Only the head of a prompt is read (the patterns are anchored near its start). */
const HEAD = 2000;

const KNOWN: { kind: DirectKind; re: RegExp; reason: string; in: 'question' | 'instructions' }[] = [
  { kind: 'compaction', re: /\bCONTEXT CHECKPOINT COMPACTION\b/, reason: "Codex's context compaction prompt", in: 'question' },
  { kind: 'compaction', re: /\bcreate a detailed summary of the conversation so far\b/i, reason: "Claude Code's /compact prompt", in: 'question' },
  { kind: 'compaction', re: /\btasked with summari[sz]ing conversations\b/i, reason: "Claude Code's summariser instructions", in: 'instructions' },
  { kind: 'title', re: /\byou are a title generator\b/i, reason: "opencode's session title prompt", in: 'instructions' },
];

const SUMMARY = /\b(summari[sz]e|summary|recap)\b/i;
const OF_CONVERSATION = /\b(conversation|chat|session|discussion|thread|so far|above|history)\b/i;
const TITLE = /^\s*(please\s+)?(generate|write|create|suggest|give)\b[^\n.]{0,40}\btitle\b/i;

/** The request's kind when one worker should answer it without planning, or null. */
export function directRequest(r: ClientRequest): DirectRequest | null {
  const question = r.question.slice(0, HEAD);
  const instructions = r.instructions.map((s) => s.slice(0, HEAD)).join('\n');
  for (const k of KNOWN) if (k.re.test(k.in === 'question' ? question : instructions)) return { kind: k.kind, reason: k.reason };
  // Without tools nothing can be done but write text: a summary or a title of what came before.
  if (r.tools === 0 && SUMMARY.test(question) && OF_CONVERSATION.test(question)) return { kind: 'summary', reason: 'a request without tools to summarise the conversation' };
  if (r.tools === 0 && TITLE.test(question)) return { kind: 'title', reason: 'a request without tools for a title' };
  // A session's first message, short, not about code, and asked as a question when the client offers
  // tools (a later short message may lean on earlier turns; "write x to a file" is work for the tools).
  const asked = r.tools === 0 || isQuestionForm(r.question);
  if (r.earlierTurns === 0 && asked && r.question.length <= SHORT_QUESTION_MAX_CHARS && classifyTask(r.question) === 'question') {
    return { kind: 'question', reason: `a short question (${r.question.length} characters) opening the conversation` };
  }
  return null;
}
