// What the three APIs (Chat Completions, Responses, Anthropic Messages) have in common once parsed:
// a conversation, the options for the answering step, and how the client wants the answer.
import { conversationTask, type AnswerOptions, type Conversation, type ConversationTask } from '../../core/agent/conversation';
import type { ResponseFormat, ToolChoice, ToolSpec } from '../../core/workers/types';
import { errors } from './apiError';

export interface AgentRequest {
  model: string;
  /** The field holding the conversation ('messages' or 'input'), named by errors about it. */
  inputParam: string;
  stream: boolean;
  conversation: Conversation;
  turn: ConversationTask;
  options: AnswerOptions;
  /** Tools among options.tools that the answerer's own loop loaded (a tool search), so its run started without them. */
  loadedInLoop?: string[];
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The conversation's task, or a 400 saying what is missing. */
export function taskOf(conversation: Conversation, param: string): ConversationTask {
  const turn = conversationTask(conversation);
  if (!turn) throw errors.invalid(`'${param}' needs a user message with text: the last one is the task.`, param);
  return turn;
}

const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** A name a client may give a tool (or a Responses tool namespace). */
export function isToolName(v: unknown): v is string {
  return typeof v === 'string' && TOOL_NAME.test(v);
}

/** A function tool, checked: a usable name and a JSON schema object (none means no parameters). */
export function toolSpec(name: unknown, description: unknown, parameters: unknown, at: string): ToolSpec {
  if (!isToolName(name)) throw errors.invalid(`${at}.name must be a tool name of letters, digits, '_', '.' or '-'.`, `${at}.name`);
  if (parameters !== undefined && parameters !== null && !isObject(parameters)) throw errors.invalid(`${at} parameters must be a JSON schema object.`, at);
  return {
    name,
    ...(typeof description === 'string' && description ? { description } : {}),
    parameters: (parameters as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} },
  };
}

/** A named choice must name an offered tool; 'required' needs tools at all. */
export function checkToolChoice(choice: ToolChoice | undefined, tools: ToolSpec[], param: string): void {
  if (choice === undefined || choice === 'auto' || choice === 'none') return;
  if (choice === 'required' && tools.length === 0) throw errors.invalid(`${param} is 'required' but no tools were given.`, param);
  if (typeof choice === 'object' && !tools.some((t) => t.name === choice.name)) throw errors.invalid(`${param} names '${choice.name}', which is not among the tools.`, param);
}

/** OpenAI's response format / text.format: json_object or json_schema (text means none). */
export function responseFormat(v: unknown, param: string, nested: boolean): ResponseFormat | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v) || typeof v.type !== 'string') throw errors.invalid(`${param} must be an object with a 'type'.`, param);
  if (v.type === 'text') return undefined;
  if (v.type === 'json_object') return { type: 'json_object' };
  if (v.type === 'json_schema') {
    // Chat nests the schema under json_schema; Responses puts it at the top of text.format.
    const s = nested ? v.json_schema : v;
    if (!isObject(s) || !isObject(s.schema)) throw errors.invalid(`${param} of type json_schema needs a 'schema' object.`, param);
    const name = typeof s.name === 'string' && s.name ? s.name : 'response';
    return {
      type: 'json_schema',
      name,
      schema: s.schema,
      ...(typeof s.strict === 'boolean' ? { strict: s.strict } : {}),
      ...(typeof s.description === 'string' ? { description: s.description } : {}),
    };
  }
  throw errors.invalid(`${param}.type must be text, json_object or json_schema.`, param);
}

/** A data: URL or an http(s) URL of an image. */
export function imageUrl(v: unknown, at: string): string {
  if (typeof v !== 'string' || !/^(data:image\/[A-Za-z0-9.+-]+;base64,|https?:\/\/)/.test(v)) {
    throw errors.invalid(`${at} must be an image as a data: URL (base64) or an http(s) URL.`, at);
  }
  return v;
}

/** What every conversation body starts with (chat completions and messages): an object, a model, messages, stream. */
export function checkConversationHead(body: unknown): asserts body is Record<string, unknown> & { model: string; messages: unknown[] } {
  if (!isObject(body)) throw errors.invalid('The request body must be a JSON object.', null);
  if (body.model === undefined) throw errors.missing('model');
  if (typeof body.model !== 'string' || body.model === '') throw errors.invalid("'model' must be a non-empty string.", 'model');
  if (body.messages === undefined) throw errors.missing('messages');
  if (!Array.isArray(body.messages) || body.messages.length === 0) throw errors.invalid("'messages' must be a non-empty array.", 'messages');
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') throw errors.invalid("'stream' must be a boolean.", 'stream');
}

/** The client's cap on the answer's tokens (`max_tokens`, `max_completion_tokens`, `max_output_tokens`), for the answering step. */
export function outputCap(body: Record<string, unknown>, field: string): { maxOutputTokens?: number } {
  const v = body[field];
  if (v === undefined || v === null) return {};
  if (!Number.isInteger(v) || (v as number) < 1) throw errors.invalid(`'${field}' must be a positive integer.`, field);
  return { maxOutputTokens: v as number };
}
