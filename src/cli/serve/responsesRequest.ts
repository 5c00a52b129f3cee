// A POST /v1/responses body, checked and turned into a conversation. `tools` are function and custom
// tools, bare or grouped in a `namespace` (whose tools the workers know by a flat name); hosted tools
// are skipped. `input` is a string or a list of items (messages, function_call / custom_tool_call and
// their outputs, item_reference); items of any other type (reasoning, hosted tool calls, compaction,
// and whatever agents add next) are skipped, as they describe work our workers never did. Fields the
// workflow does not use (reasoning, include, prompt_cache_key, metadata, store, truncation, ...) are
// accepted and ignored.
import type { Conversation } from '../../core/agent/conversation';
import type { ChatMessage, ImagePart, ToolChoice, ToolSpec } from '../../core/workers/types';
import { checkToolChoice, imageUrl, isObject, isToolName, responseFormat, taskOf, toolSpec, type AgentRequest } from './agentRequest';
import { ApiError, errors } from './apiError';
import { flatToolName, type NamespacedName } from './toolNamespaces';

export interface ResponsesRequest extends AgentRequest {
  /** Custom (free-form) tools: given to workers as a function taking one string, `input`. */
  customTools: Set<string>;
  /** The tools of a namespace, by the flat name the workers know them by. */
  namespaced: Map<string, NamespacedName>;
  previousResponseId: string | null;
  /** Keep the response for a later previous_response_id (the API's default). */
  store: boolean;
  /** Echoed in the response object. */
  echo: { instructions: string | null; tools: unknown[]; toolChoice: unknown; parallelToolCalls: boolean; text: unknown; metadata: unknown; maxOutputTokens: number | null };
}

/** What the server kept of earlier responses (store: true), in memory or on disk. */
export interface KeptResponses {
  /** The conversation a response ended with, for previous_response_id. */
  turns(responseId: string): Promise<ChatMessage[] | undefined>;
  /** An output item, for item_reference: an assistant turn with its text or its one call. */
  item(itemId: string): Promise<ChatMessage | undefined>;
}

/** The kept responses and items one request refers to, looked up before it is parsed. */
export interface ResponseMemory {
  turns(responseId: string): ChatMessage[] | undefined;
  item(itemId: string): ChatMessage | undefined;
}

/**
 * Looks up what a body refers to (its previous_response_id, its item_reference items) and nothing
 * else; parseResponsesRequest then checks the body and says which reference is missing.
 */
export async function recallReferences(body: unknown, kept: KeptResponses): Promise<ResponseMemory> {
  const turns = new Map<string, ChatMessage[]>();
  const items = new Map<string, ChatMessage>();
  if (!isObject(body)) return { turns: () => undefined, item: () => undefined };
  const prev = body.previous_response_id;
  const refs = Array.isArray(body.input) ? body.input.filter((i): i is { id: string } => isObject(i) && i.type === 'item_reference' && typeof i.id === 'string').map((i) => i.id) : [];
  await Promise.all([
    typeof prev === 'string' && prev ? kept.turns(prev).then((t) => t && turns.set(prev, t)) : undefined,
    ...[...new Set(refs)].map((id) => kept.item(id).then((m) => m && items.set(id, m))),
  ]);
  return { turns: (id) => turns.get(id), item: (id) => items.get(id) };
}

/** A custom tool's grammar (Codex's apply_patch has one) joins its description: the workers' one string must follow it. */
function withGrammar(description: unknown, format: unknown): unknown {
  if (!isObject(format) || format.type !== 'grammar' || typeof format.definition !== 'string' || !format.definition.trim()) return description;
  const syntax = typeof format.syntax === 'string' && format.syntax ? `${format.syntax} ` : '';
  return [description, `The input must follow this ${syntax}grammar:\n${format.definition}`].filter((d) => typeof d === 'string' && d).join('\n\n');
}

/** The one-string function a custom tool becomes for the workers. */
export const CUSTOM_TOOL_PARAMETERS = { type: 'object', properties: { input: { type: 'string', description: 'The whole input of the tool, as free text.' } }, required: ['input'] };

function contentOf(content: unknown, at: string): { text: string; images: ImagePart[] } {
  if (typeof content === 'string') return { text: content, images: [] };
  if (!Array.isArray(content)) throw errors.invalid(`${at}.content must be a string or an array of content parts.`, `${at}.content`);
  const texts: string[] = [];
  const images: ImagePart[] = [];
  content.forEach((part, j) => {
    const p = `${at}.content[${j}]`;
    if (!isObject(part)) throw errors.invalid(`${p} must be an object.`, p);
    if ((part.type === 'input_text' || part.type === 'output_text' || part.type === 'text') && typeof part.text === 'string') texts.push(part.text);
    else if (part.type === 'refusal' && typeof part.refusal === 'string') texts.push(part.refusal);
    else if (part.type === 'input_image') images.push({ url: imageUrl(part.image_url, `${p}.image_url`) });
    else throw errors.invalid(`${p} is a '${String(part.type)}' part; this server accepts input_text, output_text and input_image.`, p);
  });
  return { text: texts.join('\n'), images };
}

function outputText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((p) => (isObject(p) && typeof p.text === 'string' ? p.text : '')).join('');
  return JSON.stringify(v ?? '');
}

interface OfferedTools {
  specs: ToolSpec[];
  custom: Set<string>;
  namespaced: Map<string, NamespacedName>;
}

function toolsOf(v: unknown): OfferedTools {
  const offered: OfferedTools = { specs: [], custom: new Set(), namespaced: new Map() };
  if (v === undefined || v === null) return offered;
  if (!Array.isArray(v)) throw errors.invalid("'tools' must be an array.", 'tools');
  const offeredAt = new Map<string, string>();
  const add = (t: Record<string, unknown>, at: string, namespace?: { name: string; description: unknown }) => {
    // Hosted tools (web_search, file_search, local_shell, ...) are the provider's, not the client's: skipped.
    if (t.type !== 'function' && t.type !== 'custom') return;
    const description = namespace && typeof namespace.description === 'string' ? [namespace.description, t.description].filter((d) => typeof d === 'string' && d).join('\n\n') : t.description;
    const spec = toolSpec(t.name, withGrammar(description, t.format), t.type === 'custom' ? CUSTOM_TOOL_PARAMETERS : t.parameters, at);
    if (namespace) {
      const flat = flatToolName(namespace.name, spec.name);
      offered.namespaced.set(flat, { namespace: namespace.name, name: spec.name });
      spec.name = flat;
    }
    const earlier = offeredAt.get(spec.name);
    if (earlier) throw errors.invalid(`${at} would reach the workers as '${spec.name}', as ${earlier} does: tool names must be unique.`, at);
    offeredAt.set(spec.name, at);
    if (t.type === 'custom') offered.custom.add(spec.name);
    offered.specs.push(spec);
  };
  v.forEach((t, i) => {
    const at = `tools[${i}]`;
    if (!isObject(t)) throw errors.invalid(`${at} must be an object.`, at);
    if (t.type !== 'namespace') return add(t, at);
    if (!isToolName(t.name)) throw errors.invalid(`${at}.name must be a namespace name of letters, digits, '_', '.' or '-'.`, `${at}.name`);
    if (!Array.isArray(t.tools)) throw errors.invalid(`${at}.tools must be an array of tools.`, `${at}.tools`);
    const namespace = { name: t.name, description: t.description };
    t.tools.forEach((inner: unknown, j: number) => {
      if (!isObject(inner)) throw errors.invalid(`${at}.tools[${j}] must be an object.`, `${at}.tools[${j}]`);
      add(inner, `${at}.tools[${j}]`, namespace);
    });
  });
  return offered;
}

/** The name the workers know a called tool by: a namespaced one's flat name. */
function calledName(item: Record<string, unknown>, at: string): string {
  const { name, namespace } = item;
  if (typeof name !== 'string') throw errors.invalid(`${at} needs a call_id and a name.`, at);
  if (namespace === undefined || namespace === null || namespace === '') return name;
  if (typeof namespace !== 'string') throw errors.invalid(`${at}.namespace must be a string.`, `${at}.namespace`);
  return flatToolName(namespace, name);
}

function toolChoiceOf(v: unknown): ToolChoice | undefined {
  if (v === undefined || v === null) return undefined;
  if (v === 'auto' || v === 'none' || v === 'required') return v;
  if (isObject(v) && (v.type === 'function' || v.type === 'custom') && typeof v.name === 'string') return { name: typeof v.namespace === 'string' && v.namespace ? flatToolName(v.namespace, v.name) : v.name };
  if (isObject(v)) return 'auto'; // allowed_tools, hosted tool choices: the workers choose among what they have
  throw errors.invalid("'tool_choice' must be auto, none, required or {type: 'function', name}.", 'tool_choice');
}

export function parseResponsesRequest(body: unknown, memory: ResponseMemory): ResponsesRequest {
  if (!isObject(body)) throw errors.invalid('The request body must be a JSON object.', null);
  if (body.model === undefined) throw errors.missing('model');
  if (typeof body.model !== 'string' || body.model === '') throw errors.invalid("'model' must be a non-empty string.", 'model');
  if (body.input === undefined || body.input === null) throw errors.missing('input');
  if (typeof body.input !== 'string' && !Array.isArray(body.input)) throw errors.invalid("'input' must be a string or an array of items.", 'input');
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') throw errors.invalid("'stream' must be a boolean.", 'stream');
  if (body.instructions !== undefined && body.instructions !== null && typeof body.instructions !== 'string') throw errors.invalid("'instructions' must be a string.", 'instructions');
  const prevId = body.previous_response_id ?? null;
  if (prevId !== null && typeof prevId !== 'string') throw errors.invalid("'previous_response_id' must be a string.", 'previous_response_id');

  const { specs: tools, custom, namespaced } = toolsOf(body.tools);
  const toolChoice = toolChoiceOf(body.tool_choice);
  checkToolChoice(toolChoice, tools, 'tool_choice');
  const text = isObject(body.text) ? body.text : undefined;
  const format = responseFormat(text?.format, 'text.format', false);
  const maxOut = body.max_output_tokens;
  if (maxOut !== undefined && maxOut !== null && !(Number.isInteger(maxOut) && (maxOut as number) > 0)) throw errors.invalid("'max_output_tokens' must be a positive integer.", 'max_output_tokens');

  const conversation: Conversation = { instructions: body.instructions ? [body.instructions as string] : [], turns: [] };
  if (prevId) {
    const earlier = memory.turns(prevId);
    if (!earlier) {
      throw new ApiError(400, `Previous response with id '${prevId}' not found: this server keeps a bounded number of responses (across restarts only with server.traceDir); send the whole conversation as input instead.`, 'invalid_request_error', 'previous_response_not_found', 'previous_response_id');
    }
    conversation.turns.push(...earlier.map((t) => ({ ...t })));
  }
  const push = (t: ChatMessage) => conversation.turns.push(t);
  const items = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : body.input;
  items.forEach((raw: unknown, i: number) => {
    const at = `input[${i}]`;
    if (!isObject(raw)) throw errors.invalid(`${at} must be an object.`, at);
    let item: Record<string, unknown> = raw;
    let type: unknown = item.type ?? 'message';
    if (type === 'item_reference') {
      const kept = typeof item.id === 'string' ? memory.item(item.id) : undefined;
      if (!kept) throw new ApiError(400, `Item with id '${String(item.id)}' not found: this server keeps a bounded number of responses (across restarts only with server.traceDir); send the item itself, or use store: false.`, 'invalid_request_error', 'item_not_found', `${at}.id`);
      const call = kept.toolCalls?.[0];
      item = call ? { type: 'function_call', call_id: call.id, name: call.name, arguments: call.arguments } : { type: 'message', role: 'assistant', content: kept.content };
      type = item.type;
    }
    if (type === 'message') {
      const role = item.role;
      if (role !== 'user' && role !== 'assistant' && role !== 'system' && role !== 'developer') throw errors.invalid(`${at}.role must be user, assistant, system or developer.`, `${at}.role`);
      const { text: t, images } = contentOf(item.content, at);
      const last = conversation.turns[conversation.turns.length - 1];
      if (role === 'system' || role === 'developer') conversation.instructions.push(t);
      // Text the model wrote after its calls (a message item right after them) belongs to their turn.
      else if (role === 'assistant' && last?.role === 'assistant' && last.toolCalls?.length) last.content += t;
      else if (role === 'assistant') push({ role: 'assistant', content: t });
      else push({ role: 'user', content: t, ...(images.length ? { images } : {}) });
    } else if (type === 'function_call' || type === 'custom_tool_call') {
      if (typeof item.call_id !== 'string') throw errors.invalid(`${at} needs a call_id and a name.`, at);
      const args = type === 'custom_tool_call' ? JSON.stringify({ input: typeof item.input === 'string' ? item.input : '' }) : typeof item.arguments === 'string' ? item.arguments : '{}';
      const call = { id: item.call_id, name: calledName(item, at), arguments: args };
      // Calls of one turn arrive as separate items; they belong to one assistant turn.
      const last = conversation.turns[conversation.turns.length - 1];
      if (last?.role === 'assistant') last.toolCalls = [...(last.toolCalls ?? []), call];
      else push({ role: 'assistant', content: '', toolCalls: [call] });
    } else if (type === 'function_call_output' || type === 'custom_tool_call_output') {
      if (typeof item.call_id !== 'string') throw errors.invalid(`${at} needs the call_id it answers.`, `${at}.call_id`);
      push({ role: 'tool', toolCallId: item.call_id, content: outputText(item.output) });
    } else if (typeof type !== 'string') {
      throw errors.invalid(`${at}.type must be a string.`, `${at}.type`);
    }
  });
  const turn = taskOf(conversation, 'input');
  const parallel = typeof body.parallel_tool_calls === 'boolean' ? body.parallel_tool_calls : undefined;
  return {
    model: body.model,
    inputParam: 'input',
    stream: body.stream === true,
    conversation,
    turn,
    customTools: custom,
    namespaced,
    previousResponseId: prevId,
    store: body.store !== false,
    options: {
      ...(tools.length ? { tools } : {}),
      ...(tools.length && toolChoice ? { toolChoice } : {}),
      ...(tools.length && parallel !== undefined ? { parallelToolCalls: parallel } : {}),
      ...(format ? { responseFormat: format } : {}),
      ...(typeof maxOut === 'number' ? { maxOutputTokens: maxOut } : {}),
    },
    echo: {
      instructions: (body.instructions as string | undefined) ?? null,
      tools: Array.isArray(body.tools) ? body.tools : [],
      toolChoice: body.tool_choice ?? 'auto',
      parallelToolCalls: parallel ?? true,
      text: text ?? { format: { type: 'text' } },
      metadata: body.metadata ?? {},
      maxOutputTokens: typeof maxOut === 'number' ? maxOut : null,
    },
  };
}
