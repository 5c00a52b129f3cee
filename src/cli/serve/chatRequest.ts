// A POST /v1/chat/completions body, checked and turned into a task (by conversationTask, which
// VS Code's Chat uses too).
import { conversationTask } from '../../core/conversationTask';
import { errors } from './apiError';

export interface ChatRequest {
  model: string;
  stream: boolean;
  includeUsage: boolean;
  /** The last user message. */
  question: string;
  /** What the workers receive: the question, then instructions and earlier turns. */
  task: string;
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A message's text: a string, or the text parts of a content array (other parts are refused). */
function textOf(content: unknown, at: string): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (!Array.isArray(content)) throw errors.invalid(`${at}.content must be a string or an array of content parts.`, `${at}.content`);
  return content
    .map((part, j) => {
      if (isObject(part) && part.type === 'text' && typeof part.text === 'string') return part.text;
      const kind = isObject(part) && typeof part.type === 'string' ? part.type : typeof part;
      throw errors.invalid(`${at}.content[${j}] is a '${kind}' part; this server accepts only text.`, `${at}.content`);
    })
    .join('\n');
}

export function parseChatRequest(body: unknown): ChatRequest {
  if (!isObject(body)) throw errors.invalid('The request body must be a JSON object.', null);
  if (body.model === undefined) throw errors.missing('model');
  if (typeof body.model !== 'string' || body.model === '') throw errors.invalid("'model' must be a non-empty string.", 'model');
  if (body.messages === undefined) throw errors.missing('messages');
  if (!Array.isArray(body.messages) || body.messages.length === 0) throw errors.invalid("'messages' must be a non-empty array.", 'messages');
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') throw errors.invalid("'stream' must be a boolean.", 'stream');
  if (body.n !== undefined && body.n !== null && body.n !== 1) throw errors.invalid('This server returns one choice; n must be 1.', 'n');
  if (Array.isArray(body.tools) && body.tools.length > 0) throw errors.invalid('Tool calling is not supported: the workflow answers in text.', 'tools');

  const turns: { role: string; text: string }[] = body.messages.map((m: unknown, i: number) => {
    const at = `messages[${i}]`;
    if (!isObject(m)) throw errors.invalid(`${at} must be an object.`, at);
    if (typeof m.role !== 'string' || !ROLES.has(m.role)) throw errors.invalid(`${at}.role must be one of system, developer, user, assistant, tool.`, `${at}.role`);
    return { role: m.role, text: textOf(m.content, at) };
  });
  const converted = conversationTask(turns);
  if (!converted) throw errors.invalid('The messages need a user message with text: the last one is the task.', 'messages');
  const { question, task } = converted;

  const opts = body.stream_options;
  const includeUsage = isObject(opts) && opts.include_usage === true;
  return { model: body.model, stream: body.stream === true, includeUsage, question, task };
}
