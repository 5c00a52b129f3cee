// POST /v1/responses: `response` objects with output items (a `message` with `output_text`,
// `function_call` / `custom_tool_call`), or the documented stream of `response.*` events.
import type http from 'node:http';
import type { TraceDocument } from '../../core/trace/types';
import type { ChatMessage, ToolCall, Usage } from '../../core/workers/types';
import { sse, type Answer, type ApiFormat } from './api';
import type { ApiError } from './apiError';
import { summarize } from './completion';
import type { ResponseStore } from './responseStore';
import { parseResponsesRequest, recallReferences, type ResponsesRequest } from './responsesRequest';

const compact = (id: string) => id.replace(/-/g, '');
export const responseId = (id: string) => `resp_${compact(id)}`;
/** The response an output item belongs to: its id carries the response's (`msg_…`, `fc_…_i`, `ctc_…_i`). */
export function responseOfItem(itemId: string): string | undefined {
  const id = /^(?:msg|fc|ctc)_([0-9a-f]{32})(?:_\d+)?$/.exec(itemId)?.[1];
  return id ? `resp_${id}` : undefined;
}

type Item = Record<string, unknown> & { type: string; id: string };

function usageOf({ inputTokens, outputTokens }: Usage) {
  return {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: inputTokens + outputTokens,
  };
}

/** A message's id: the response's, and its place in the output when it is not the first item. */
function messageId(id: string, outputIndex: number): string {
  return `msg_${compact(id)}${outputIndex ? `_${outputIndex}` : ''}`;
}

function messageItem(itemId: string, text: string, status: 'in_progress' | 'completed'): Item {
  return {
    type: 'message',
    id: itemId,
    status,
    role: 'assistant',
    content: status === 'completed' ? [{ type: 'output_text', text, annotations: [], logprobs: [] }] : [],
  };
}

/**
 * A call as an output item: `custom_tool_call` with its free text for custom tools, else `function_call`;
 * a namespaced tool's call carries the tool's own name and its `namespace`, as the client offered them.
 */
function callItem(request: ResponsesRequest, c: ToolCall, i: number, id: string, status: 'in_progress' | 'completed'): Item {
  const offered = request.namespaced.get(c.name);
  const named = offered ? { name: offered.name, namespace: offered.namespace } : { name: c.name };
  if (request.customTools.has(c.name)) {
    return { type: 'custom_tool_call', id: `ctc_${compact(id)}_${i}`, status, call_id: c.id, ...named, input: status === 'completed' ? customInput(c) : '' };
  }
  return { type: 'function_call', id: `fc_${compact(id)}_${i}`, status, call_id: c.id, ...named, arguments: status === 'completed' ? c.arguments : '' };
}

/** The free text a custom tool gets: the `input` argument of its one-string function. */
function customInput(c: ToolCall): string {
  try {
    const v = JSON.parse(c.arguments);
    if (v && typeof v.input === 'string') return v.input;
  } catch {
    // Not JSON: the model wrote the input itself.
  }
  return c.arguments;
}

/** An output item and the assistant turn it stands for when an item_reference names it. */
interface OutputItem {
  item: Item;
  turn: ChatMessage;
}

/**
 * The answer's output items, in the order the stream writes them: a message with the text written
 * before the calls (all of it when nothing was streamed), the calls, then a message with the text
 * written after a call began.
 */
function outputOf(request: ResponsesRequest, answer: Answer, id: string): OutputItem[] {
  const { text, toolCalls } = answer;
  const split = toolCalls.length ? (answer.textBeforeCalls ?? text.length) : text.length;
  const out: OutputItem[] = [];
  const message = (t: string) => out.push({ item: messageItem(messageId(id, out.length), t, 'completed'), turn: { role: 'assistant', content: t } });
  if (split > 0 || toolCalls.length === 0) message(text.slice(0, split));
  toolCalls.forEach((c, i) => out.push({ item: callItem(request, c, i, id, 'completed'), turn: { role: 'assistant', content: '', toolCalls: [c] } }));
  if (split < text.length) message(text.slice(split));
  return out;
}

const outputItems = (request: ResponsesRequest, answer: Answer, id: string): Item[] => outputOf(request, answer, id).map((o) => o.item);

function responseObject(request: ResponsesRequest, id: string, created: number, status: 'in_progress' | 'completed' | 'failed', fields: Record<string, unknown>) {
  const e = request.echo;
  return {
    id: responseId(id),
    object: 'response',
    created_at: created,
    status,
    error: null,
    incomplete_details: null,
    instructions: e.instructions,
    max_output_tokens: e.maxOutputTokens,
    model: request.model,
    output: [] as Item[],
    parallel_tool_calls: e.parallelToolCalls,
    previous_response_id: request.previousResponseId,
    reasoning: null,
    store: request.store,
    temperature: null,
    text: e.text,
    tool_choice: e.toolChoice,
    tools: e.tools,
    top_p: null,
    truncation: 'disabled',
    usage: null,
    metadata: e.metadata,
    ...fields,
  };
}

function completed(request: ResponsesRequest, answer: Answer, created: number) {
  const { id } = answer;
  return responseObject(request, id, created, 'completed', {
    output: outputItems(request, answer, id),
    output_text: answer.text,
    usage: usageOf(answer.usage),
    fugu: summarize(answer.trace),
  });
}

export function responsesApi(store: ResponseStore): ApiFormat<ResponsesRequest> {
  return {
    errorStyle: 'openai',
    parse: async (body) => parseResponsesRequest(body, await recallReferences(body, store)),
    json: (request, answer, created) => completed(request, answer, created),
    async answered(request, answer) {
      if (!request.store) return;
      const said: ChatMessage = { role: 'assistant', content: answer.text, ...(answer.toolCalls.length ? { toolCalls: answer.toolCalls } : {}) };
      // Every output item the client was sent, each with its own part of the answer.
      const items = Object.fromEntries(outputOf(request, answer, answer.id).map((o) => [o.item.id, o.turn]));
      await store.add(responseId(answer.id), [...request.conversation.turns, said], items);
    },
    stream(request, res: http.ServerResponse, id, created) {
      let seq = 0;
      const send = (type: string, data: Record<string, unknown>) => sse(res, { type, sequence_number: seq++, ...data }, type);
      // Output items as sent, completed ones included; `open` is the one being written (one at a time).
      const items: Item[] = [];
      let open: { kind: 'message'; text: string } | { kind: 'call'; call: ToolCall; index: number } | null = null;
      const openMessage = () => {
        if (open?.kind === 'message') return;
        close();
        // A second message (text after the calls) gets an id of its own.
        const item = messageItem(messageId(id, items.length), '', 'in_progress');
        items.push(item);
        open = { kind: 'message', text: '' };
        send('response.output_item.added', { output_index: items.length - 1, item });
        send('response.content_part.added', { item_id: item.id, output_index: items.length - 1, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
      };
      const close = () => {
        const o = open;
        if (!o) return;
        open = null;
        const output_index = items.length - 1;
        const item_id = items[output_index].id;
        if (o.kind === 'message') {
          const part = { type: 'output_text', text: o.text, annotations: [] };
          send('response.output_text.done', { item_id, output_index, content_index: 0, text: o.text, logprobs: [] });
          send('response.content_part.done', { item_id, output_index, content_index: 0, part });
          items[output_index] = { ...items[output_index], status: 'completed', content: [{ ...part, logprobs: [] }] };
        } else {
          const item = callItem(request, o.call, o.index, id, 'completed');
          if (item.type === 'custom_tool_call') {
            // A custom tool's input is one string inside the JSON arguments: it is known only once they are whole.
            send('response.custom_tool_call_input.delta', { item_id, output_index, delta: item.input });
            send('response.custom_tool_call_input.done', { item_id, output_index, input: item.input });
          } else send('response.function_call_arguments.done', { item_id, output_index, name: item.name, arguments: o.call.arguments });
          items[output_index] = item;
        }
        send('response.output_item.done', { output_index, item: items[output_index] });
      };
      return {
        start() {
          const r = responseObject(request, id, created, 'in_progress', {});
          send('response.created', { response: r });
          send('response.in_progress', { response: r });
        },
        text(delta) {
          openMessage();
          if (open?.kind === 'message') open.text += delta;
          send('response.output_text.delta', { item_id: items[items.length - 1].id, output_index: items.length - 1, content_index: 0, delta, logprobs: [] });
        },
        callStart(index, callId, name) {
          close();
          const call = { id: callId, name, arguments: '' };
          const item = callItem(request, call, index, id, 'in_progress');
          items.push(item);
          open = { kind: 'call', call, index };
          send('response.output_item.added', { output_index: items.length - 1, item });
        },
        callDelta(_index, delta) {
          if (open?.kind !== 'call') return;
          open.call.arguments += delta;
          const item = items[items.length - 1];
          if (item.type === 'function_call') send('response.function_call_arguments.delta', { item_id: item.id, output_index: items.length - 1, delta });
        },
        finish(answer) {
          if (items.length === 0) openMessage();
          close();
          send('response.completed', { response: { ...completed(request, answer, created), output: items } });
          res.end();
        },
        fail(err: ApiError, trace: TraceDocument) {
          const error = { code: err.code ?? 'server_error', message: err.message };
          send('response.failed', { response: responseObject(request, id, created, 'failed', { error, usage: usageOf(trace.usage), fugu: summarize(trace) }) });
          res.end();
        },
      };
    },
  };
}
