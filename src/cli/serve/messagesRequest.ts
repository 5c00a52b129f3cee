// A POST /v1/messages body (Anthropic's Messages API), checked and turned into a conversation.
// tool_use blocks are the assistant's calls, tool_result blocks the results; `system` messages between
// turns (Claude Code sends its environment and deferred tools that way) join the instructions; thinking
// blocks and server tools are skipped; a deferred tool is offered once a tool_reference loads it (see
// deferredTools.ts); sampling fields, metadata, thinking, effort and context-management settings are
// accepted and ignored.
import type { Conversation } from '../../core/agent/conversation';
import type { ChatMessage, ImagePart, ToolChoice } from '../../core/workers/types';
import { checkConversationHead, checkToolChoice, outputCap, imageUrl, isObject, taskOf, toolSpec, type AgentRequest } from './agentRequest';
import { errors } from './apiError';
import { ToolShelf } from './deferredTools';

export interface MessagesRequest extends AgentRequest {
  maxTokens: number | null;
}

/** What a message's blocks are read against: the request's tools, and where in the conversation the message falls. */
interface Reading {
  shelf: ToolShelf;
  /** The index its first turn gets in the conversation. */
  turn: number;
}

const SKIPPED_BLOCKS = new Set(['thinking', 'redacted_thinking', 'server_tool_use', 'web_search_tool_result']);

function blockText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((b) => (isObject(b) && typeof b.text === 'string' ? b.text : '')).join('\n');
  return '';
}

function image(source: unknown, at: string): ImagePart {
  if (isObject(source) && source.type === 'base64' && typeof source.media_type === 'string' && typeof source.data === 'string') {
    return { url: imageUrl(`data:${source.media_type};base64,${source.data}`, `${at}.source`) };
  }
  if (isObject(source) && source.type === 'url') return { url: imageUrl(source.url, `${at}.source.url`) };
  throw errors.invalid(`${at}.source must be a base64 image or a url.`, `${at}.source`);
}

/** The text of a `system` message: a string or text blocks. */
function systemText(m: Record<string, unknown>, at: string): string {
  if (typeof m.content === 'string') return m.content;
  if (!Array.isArray(m.content)) throw errors.invalid(`${at}.content must be a string or an array of text blocks.`, `${at}.content`);
  return m.content
    .map((b, j) => {
      if (!isObject(b) || b.type !== 'text' || typeof b.text !== 'string') throw errors.invalid(`${at}.content[${j}] must be a text block: a system message holds only text.`, `${at}.content[${j}]`);
      return b.text;
    })
    .join('\n');
}

/** A tool_result's content as text; its tool_reference blocks load the tools they name, and say so. */
function toolResultText(content: unknown, reading: Reading, at: string): string {
  if (!Array.isArray(content)) return blockText(content);
  const texts: string[] = [];
  const names: string[] = [];
  content.forEach((b, k) => {
    if (isObject(b) && typeof b.text === 'string') texts.push(b.text);
    else if (isObject(b) && b.type === 'tool_reference') {
      if (typeof b.tool_name !== 'string') throw errors.invalid(`${at}.content[${k}] is a tool_reference without a tool_name.`, `${at}.content[${k}]`);
      names.push(b.tool_name);
    }
  });
  if (names.length) texts.push(reading.shelf.reference(names, reading.turn));
  return texts.join('\n');
}

/** The turns of one message: an assistant's text and calls, or a user's tool results, text and images. */
function turnsOf(m: Record<string, unknown>, at: string, reading: Reading): ChatMessage[] {
  if (m.role !== 'user' && m.role !== 'assistant') throw errors.invalid(`${at}.role must be user, assistant or system.`, `${at}.role`);
  if (typeof m.content === 'string') return [{ role: m.role, content: m.content }];
  if (!Array.isArray(m.content)) throw errors.invalid(`${at}.content must be a string or an array of content blocks.`, `${at}.content`);
  const texts: string[] = [];
  const images: ImagePart[] = [];
  const results: ChatMessage[] = [];
  const calls: NonNullable<ChatMessage['toolCalls']> = [];
  m.content.forEach((b, j) => {
    const p = `${at}.content[${j}]`;
    if (!isObject(b) || typeof b.type !== 'string') throw errors.invalid(`${p} must be a content block with a type.`, p);
    if (b.type === 'text' && typeof b.text === 'string') texts.push(b.text);
    else if (b.type === 'image' && m.role === 'user') images.push(image(b.source, p));
    else if (b.type === 'tool_use' && m.role === 'assistant') {
      if (typeof b.id !== 'string' || typeof b.name !== 'string') throw errors.invalid(`${p} needs an id and a name.`, p);
      calls.push({ id: b.id, name: b.name, arguments: JSON.stringify(b.input ?? {}) });
    } else if (b.type === 'tool_result' && m.role === 'user') {
      if (typeof b.tool_use_id !== 'string') throw errors.invalid(`${p} needs the tool_use_id it answers.`, `${p}.tool_use_id`);
      const text = toolResultText(b.content, reading, p);
      results.push({ role: 'tool', toolCallId: b.tool_use_id, content: b.is_error === true ? `Error: ${text}` : text });
    } else if (!SKIPPED_BLOCKS.has(b.type)) throw errors.invalid(`${p} is a '${b.type}' block, which this server does not take.`, p);
  });
  const text = texts.join('\n');
  if (m.role === 'assistant') return [{ role: 'assistant', content: text, ...(calls.length ? { toolCalls: calls } : {}) }];
  if (results.length) {
    // Text sent beside tool results (reminders, notes) stays with them, so the tool loop goes on.
    if (text) results[results.length - 1] = { ...results[results.length - 1], content: `${results[results.length - 1].content}\n\n${text}` };
    return results;
  }
  return [{ role: 'user', content: text, ...(images.length ? { images } : {}) }];
}

function toolChoiceOf(v: unknown): { choice?: ToolChoice; parallel?: boolean } {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw errors.invalid("'tool_choice' must be an object such as {type: 'auto'}.", 'tool_choice');
  const parallel = v.disable_parallel_tool_use === true ? false : undefined;
  if (v.type === 'auto') return { choice: 'auto', parallel };
  if (v.type === 'any') return { choice: 'required', parallel };
  if (v.type === 'none') return { choice: 'none' };
  if (v.type === 'tool' && typeof v.name === 'string') return { choice: { name: v.name }, parallel };
  throw errors.invalid("'tool_choice.type' must be auto, any, tool or none.", 'tool_choice');
}

/** The conversation and tools of a messages body; shared by /v1/messages and its count_tokens. */
export function parseMessagesRequest(body: unknown): MessagesRequest {
  checkConversationHead(body);
  const max = body.max_tokens;
  if (max !== undefined && max !== null && !(Number.isInteger(max) && (max as number) > 0)) throw errors.invalid("'max_tokens' must be a positive integer.", 'max_tokens');
  if (body.system !== undefined && body.system !== null && typeof body.system !== 'string' && !Array.isArray(body.system)) {
    throw errors.invalid("'system' must be a string or an array of text blocks.", 'system');
  }
  if (body.tools !== undefined && body.tools !== null && !Array.isArray(body.tools)) throw errors.invalid("'tools' must be an array.", 'tools');
  const shelf = new ToolShelf();
  ((body.tools as unknown[] | undefined) ?? []).forEach((t, i) => {
    const at = `tools[${i}]`;
    if (!isObject(t)) throw errors.invalid(`${at} must be an object.`, at);
    // Server tools (web search, code execution, ...) carry a versioned type and no schema: the provider's, skipped.
    if (t.type !== undefined && t.type !== 'custom') return;
    shelf.add(toolSpec(t.name, t.description, t.input_schema, at), t.defer_loading === true);
  });
  const { choice, parallel } = toolChoiceOf(body.tool_choice);
  if (typeof choice === 'object') shelf.load(choice.name, -1);

  const system = blockText(body.system);
  const conversation: Conversation = { instructions: system ? [system] : [], turns: [] };
  body.messages.forEach((m: unknown, i: number) => {
    if (!isObject(m)) throw errors.invalid(`messages[${i}] must be an object.`, `messages[${i}]`);
    if (m.role === 'system') conversation.instructions.push(systemText(m, `messages[${i}]`));
    else conversation.turns.push(...turnsOf(m, `messages[${i}]`, { shelf, turn: conversation.turns.length }));
  });
  const turn = taskOf(conversation, 'messages');
  const tools = shelf.offered();
  checkToolChoice(choice, tools, 'tool_choice');
  // Tools loaded after the task's message were loaded by this run's own loop, which started without them.
  const loadedInLoop = shelf.loadedSince(turn.prefix.length);
  return {
    model: body.model,
    inputParam: 'messages',
    stream: body.stream === true,
    conversation,
    turn,
    maxTokens: typeof max === 'number' ? max : null,
    ...(loadedInLoop.length ? { loadedInLoop } : {}),
    options: {
      ...(tools.length ? { tools } : {}),
      ...(tools.length && choice ? { toolChoice: choice } : {}),
      ...(tools.length && parallel !== undefined ? { parallelToolCalls: parallel } : {}),
      ...outputCap(body, 'max_tokens'),
    },
  };
}
