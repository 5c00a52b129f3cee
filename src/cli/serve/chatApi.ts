// POST /v1/chat/completions: `chat.completion` objects, or `chat.completion.chunk` events ending in [DONE].
import type { ApiFormat } from './api';
import { sse } from './api';
import { parseChatRequest, type ChatRequest } from './chatRequest';
import { chunk, completion, completionId, summarize, usageChunk, type ChunkContext } from './completion';

export const chatApi: ApiFormat<ChatRequest> = {
  errorStyle: 'openai',
  parse: parseChatRequest,
  json: (request, answer, created) => completion(request.model, created, answer),
  stream(request, res, id, created) {
    const ctx: ChunkContext = { id: completionId(id), model: request.model, created, includeUsage: request.includeUsage };
    const head = { trace_id: '' };
    return {
      start(traceId) {
        head.trace_id = traceId;
        sse(res, chunk(ctx, { role: 'assistant', content: '' }, null, head));
      },
      text: (delta) => sse(res, chunk(ctx, { content: delta }, null, head)),
      // Each call opens with its index, id and name; its arguments follow in pieces as the model writes them.
      callStart: (index, id, name) => sse(res, chunk(ctx, { tool_calls: [{ index, id, type: 'function', function: { name, arguments: '' } }] }, null, head)),
      callDelta: (index, delta) => sse(res, chunk(ctx, { tool_calls: [{ index, function: { arguments: delta } }] }, null, head)),
      finish(answer) {
        const { trace, toolCalls } = answer;
        sse(res, chunk(ctx, {}, toolCalls.length ? 'tool_calls' : 'stop', summarize(trace)));
        if (request.includeUsage) sse(res, usageChunk(ctx, answer));
        res.end('data: [DONE]\n\n');
      },
      fail(err, trace) {
        // The openai SDK raises an APIError for a data line carrying `error`.
        sse(res, { ...err.body(), fugu: summarize(trace) });
        res.end();
      },
    };
  },
};
