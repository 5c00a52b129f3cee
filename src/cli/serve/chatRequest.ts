// A POST /v1/chat/completions body, checked and turned into a conversation (see core/agent/conversation
// for how it becomes a task). Tools go to the answering step; tool and assistant tool-call turns after
// the last user message continue its tool loop.
import type { Conversation } from '../../core/agent/conversation';
import type { ChatMessage, ImagePart, ToolCall, ToolChoice } from '../../core/workers/types';
import { checkConversationHead, checkToolChoice, outputCap, imageUrl, isObject, responseFormat, taskOf, toolSpec, type AgentRequest } from './agentRequest';
import { errors } from './apiError';

export interface ChatRequest extends AgentRequest {
  includeUsage: boolean;
  /** The last user message. */
  question: string;
  /** What the workers receive: the question, then instructions and earlier turns. */
  task: string;
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

/** A message's text and images: a string, or an array of text and image_url parts. */
function contentOf(content: unknown, at: string): { text: string; images: ImagePart[] } {
  if (typeof content === 'string') return { text: content, images: [] };
  if (content === null || content === undefined) return { text: '', images: [] };
  if (!Array.isArray(content)) throw errors.invalid(`${at}.content must be a string or an array of content parts.`, `${at}.content`);
  const texts: string[] = [];
  const images: ImagePart[] = [];
  content.forEach((part, j) => {
    if (isObject(part) && part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
    else if (isObject(part) && part.type === 'image_url') {
      const u = isObject(part.image_url) ? part.image_url.url : part.image_url;
      images.push({ url: imageUrl(u, `${at}.content[${j}].image_url.url`) });
    } else {
      const kind = isObject(part) && typeof part.type === 'string' ? part.type : typeof part;
      throw errors.invalid(`${at}.content[${j}] is a '${kind}' part; this server accepts text and image_url parts.`, `${at}.content`);
    }
  });
  return { text: texts.join('\n'), images };
}

function toolCallsOf(v: unknown, at: string): ToolCall[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw errors.invalid(`${at}.tool_calls must be an array.`, `${at}.tool_calls`);
  return v.map((c, j) => {
    const f = isObject(c) && isObject(c.function) ? c.function : null;
    if (!f || typeof c.id !== 'string' || typeof f.name !== 'string') throw errors.invalid(`${at}.tool_calls[${j}] needs an id and a function name.`, `${at}.tool_calls`);
    return { id: c.id, name: f.name, arguments: typeof f.arguments === 'string' ? f.arguments : JSON.stringify(f.arguments ?? {}) };
  });
}

function toolChoiceOf(v: unknown): ToolChoice | undefined {
  if (v === undefined || v === null) return undefined;
  if (v === 'auto' || v === 'none' || v === 'required') return v;
  if (isObject(v) && isObject(v.function) && typeof v.function.name === 'string') return { name: v.function.name };
  throw errors.invalid("'tool_choice' must be auto, none, required or {type: 'function', function: {name}}.", 'tool_choice');
}

export function parseChatRequest(body: unknown): ChatRequest {
  checkConversationHead(body);
  if (body.n !== undefined && body.n !== null && body.n !== 1) throw errors.invalid('This server returns one choice; n must be 1.', 'n');
  if (body.tools !== undefined && body.tools !== null && !Array.isArray(body.tools)) throw errors.invalid("'tools' must be an array.", 'tools');

  const tools = ((body.tools as unknown[] | undefined) ?? []).map((t, i) => {
    const at = `tools[${i}]`;
    if (!isObject(t) || t.type !== 'function' || !isObject(t.function)) throw errors.invalid(`${at} must be {type: 'function', function: {name, parameters}}.`, at);
    return toolSpec(t.function.name, t.function.description, t.function.parameters, `${at}.function`);
  });
  const toolChoice = toolChoiceOf(body.tool_choice);
  checkToolChoice(toolChoice, tools, 'tool_choice');

  const conversation: Conversation = { instructions: [], turns: [] };
  body.messages.forEach((m: unknown, i: number) => {
    const at = `messages[${i}]`;
    if (!isObject(m)) throw errors.invalid(`${at} must be an object.`, at);
    if (typeof m.role !== 'string' || !ROLES.has(m.role)) throw errors.invalid(`${at}.role must be one of system, developer, user, assistant, tool.`, `${at}.role`);
    const { text, images } = contentOf(m.content, at);
    if (m.role === 'system' || m.role === 'developer') {
      if (images.length) throw errors.invalid(`${at} is a ${m.role} message; images belong in user messages.`, `${at}.content`);
      conversation.instructions.push(text);
      return;
    }
    let turn: ChatMessage;
    if (m.role === 'tool' || m.role === 'function') {
      const id = m.role === 'tool' ? m.tool_call_id : m.name;
      if (typeof id !== 'string' || !id) throw errors.invalid(`${at} is a tool result; it needs the tool_call_id it answers.`, `${at}.tool_call_id`);
      turn = { role: 'tool', toolCallId: id, content: text };
    } else if (m.role === 'assistant') {
      const toolCalls = toolCallsOf(m.tool_calls, at);
      turn = { role: 'assistant', content: text, ...(toolCalls.length ? { toolCalls } : {}) };
    } else {
      turn = { role: 'user', content: text, ...(images.length ? { images } : {}) };
    }
    conversation.turns.push(turn);
  });
  const turn = taskOf(conversation, 'messages');

  const opts = body.stream_options;
  const includeUsage = isObject(opts) && opts.include_usage === true;
  const format = responseFormat(body.response_format, 'response_format', true);
  return {
    model: body.model,
    inputParam: 'messages',
    stream: body.stream === true,
    includeUsage,
    question: turn.question,
    task: turn.task,
    conversation,
    turn,
    options: {
      ...(tools.length ? { tools } : {}),
      ...(tools.length && toolChoice ? { toolChoice } : {}),
      ...(tools.length && typeof body.parallel_tool_calls === 'boolean' ? { parallelToolCalls: body.parallel_tool_calls } : {}),
      ...(format ? { responseFormat: format } : {}),
      ...outputCap(body, body.max_completion_tokens !== undefined && body.max_completion_tokens !== null ? 'max_completion_tokens' : 'max_tokens'),
    },
  };
}
