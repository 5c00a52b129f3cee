// Long agent sessions through fugu serve, with the clients' SDKs against the fakes: planners see a
// bounded view, a request over the answerer's window is refused before any call, a client's
// housekeeping gets one call, budgets are checked before spending, failures are not paid twice,
// tool-call ids stay unique, and an abandoned request leaves its log line.
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { SERVE_MAX_RETRIES } from '../../../../src/cli/serve/serveConfig';
import type { RunningServer } from '../../../../src/cli/serve/startServer';
import type { TraceDocument } from '../../../../src/core/trace/types';
import { reply } from '../../../fakes';
import { useFakes } from '../../../support/suiteFakes';
import { serveConfigFor, startFor, waitFor } from '../../../support/serve';

const CODEX_COMPACTION =
  'You are performing a CONTEXT CHECKPOINT COMPACTION. Create a handoff summary for another LLM that will resume the task.\n\nInclude:\n- Current progress and key decisions made\n- Important context, constraints, or user preferences\n- What remains to be done (clear next steps)\n- Any critical data, examples, or references needed to continue\n\nBe concise, structured, and focused on helping the next LLM seamlessly continue the work.';
const CLAUDE_COMPACT_SYSTEM = 'You are a helpful AI assistant tasked with summarizing conversations.';
const CLAUDE_COMPACT = "Your task is to create a detailed summary of the conversation so far, paying close attention to the user's explicit requests and your previous actions.";
const OPENCODE_TITLE = 'You are a title generator. You output ONLY a thread title. Nothing else.';

const SHELL = { type: 'function' as const, function: { name: 'shell', description: 'Runs a command.', parameters: { type: 'object', properties: { command: { type: 'string' } } } } };

/** A Codex-like loop in Chat Completions form: `n` shell calls on source files, each with a long result. */
function loop(n: number, resultChars = 2000): OpenAI.ChatCompletionMessageParam[] {
  const m: OpenAI.ChatCompletionMessageParam[] = [{ role: 'system', content: 'You are a coding agent.' }, { role: 'user', content: 'Fix the parser in src/parse.ts (tok-oldest-ask).' }];
  for (let i = 0; i < n; i++) {
    m.push({ role: 'assistant', content: null, tool_calls: [{ id: `c${i}`, type: 'function', function: { name: 'shell', arguments: JSON.stringify({ command: `cat src/mod${i}.ts` }) } }] });
    m.push({ role: 'tool', tool_call_id: `c${i}`, content: `${i === 0 ? 'tok-oldest-result ' : ''}${`line ${i} of output `.repeat(resultChars / 20)}${i === n - 1 ? ' tok-newest-result' : ''}` });
  }
  m.push({ role: 'user', content: 'Now make the tests in src/parse.test.ts pass (tok-new-ask).' });
  return m;
}

const text = (req: { messages: { text: string }[]; system: string }) => req.system + req.messages.map((x) => x.text).join('\n');

describe('fugu serve: long agent sessions', function () {
  this.timeout(30_000);
  const fakes = useFakes({ beforeClose: () => server.close(0) });
  let server: RunningServer;
  let client: OpenAI;
  let base: string;
  const lines: string[] = [];

  before(async () => {
    const config = serveConfigFor(fakes, {
      policy: { backend: 'builtin', timeoutMs: 5000, planningContextTokens: 4000 },
      server: { maxBodyBytes: 2_000_000 },
      profiles: {
        fugu: {},
        // An answerer with a 128k window (a local model the table does not know).
        small: { workers: [{ id: 'local', provider: 'openai-compatible', model: 'local-coder', baseUrl: fakes.openai.url, role: 'coder' }] },
        tiny: { budget: { maxTokens: 30 } },
        tight: { budget: { maxTokens: 3600 } },
        whole: { budget: { maxCalls: 3, scope: 'run' } },
        each: { budget: { maxCalls: 3 } },
      },
    });
    ({ server, client, base } = await startFor(config, { log: (l) => lines.push(l) }));
  });
  beforeEach(() => {
    lines.length = 0;
    fakes.gemini.setDefault(() => reply.text('plan from gemini'));
    fakes.anthropic.setDefault(() => reply.text('plan from claude'));
    fakes.openai.setDefault(() => reply.text('done'));
  });

  const traceOf = async (id: string | null): Promise<TraceDocument> => (await (await fetch(`${base}/traces/${id}`)).json()) as TraceDocument;

  it('planners see the request, the newest turns and a digest, within planningContextTokens; the coder sees everything', async () => {
    const raw = await client.chat.completions.create({ model: 'fugu', messages: loop(80), tools: [SHELL] }).withResponse();
    const trace = await traceOf(raw.response.headers.get('x-fugu-trace-id'));
    assert.equal(trace.status, 'succeeded');
    const [gemini, claude, coder] = trace.rounds[0].steps;
    for (const [step, fake] of [[gemini, fakes.gemini], [claude, fakes.anthropic]] as const) {
      assert.ok(step.usage.inputTokens < 4000, `${step.worker} read ${step.usage.inputTokens} tokens`);
      const seen = text(fake.requests[0]);
      assert.match(seen, /tok-new-ask/);
      assert.match(seen, /tok-newest-result/, 'the newest turns in full');
      assert.match(seen, /Digest of the 159 earlier turns:\n- Tools called: shell ×79/, 'the newest call is shown in full, the 79 before it counted');
      assert.match(seen, /Files touched: src\/mod0\.ts, src\/mod1\.ts/);
      assert.match(seen, /tok-oldest-ask/, 'the first request, in the digest');
      assert.doesNotMatch(seen, /tok-oldest-result/, 'the oldest results are left out');
    }
    assert.ok(coder.usage.inputTokens > 35_000, `the coder read ${coder.usage.inputTokens} tokens`);
    assert.match(text(fakes.openai.requests[0]), /tok-oldest-result[\s\S]*tok-newest-result/);
    assert.match(trace.rounds[0].note ?? '', /Planners saw a bounded view of the conversation: about \d+ of its \d+ tokens/);
  });

  it('a request over the answering worker’s window is refused before any call: 400 context_length_exceeded naming both sizes, again at once on a retry', async () => {
    const huge = loop(220, 2000); // ~440k characters: over 128k tokens at 3 characters a token
    const ask = () => client.chat.completions.create({ model: 'small', messages: huge });
    for (const attempt of [1, 2]) {
      await assert.rejects(ask(), (e: unknown) => {
        assert.ok(e instanceof OpenAI.BadRequestError, String(e));
        assert.equal(e.code, 'context_length_exceeded');
        assert.equal(e.param, 'messages');
        assert.match(e.message, /prompt is too long: \d{6} tokens > 128000 maximum/);
        assert.match(e.message, /maximum context length is 128000 tokens \(worker 'local' \(local-coder\)/);
        assert.equal(e.headers?.get('x-fugu-repeated-failure') ?? null, attempt === 2 ? 'true' : null);
        return true;
      });
    }
    assert.equal(fakes.openai.requests.length + fakes.gemini.requests.length + fakes.anthropic.requests.length, 0);
  });

  it('the Anthropic form of the refusal reads as a prompt too long', async () => {
    const anthropic = new Anthropic({ apiKey: 'unused', baseURL: server.url, maxRetries: 0 });
    const long = 'x'.repeat(450_000);
    await assert.rejects(anthropic.messages.create({ model: 'small', max_tokens: 100, messages: [{ role: 'user', content: `Summarize: ${long}` }] }), (e: unknown) => {
      assert.ok(e instanceof Anthropic.BadRequestError);
      assert.match(e.message, /prompt is too long: 1500\d{2} tokens > 128000 maximum/);
      return true;
    });
    assert.equal(fakes.openai.requests.length, 0);
  });

  it("Codex's compaction prompt (Responses API, tools offered) gets one call to the coder, no planning", async () => {
    fakes.openai.setDefault(() => reply.text('Summary: the parser is fixed; tests remain.'));
    const input: OpenAI.Responses.ResponseInput = [
      { role: 'user', content: 'Fix the parser in src/parse.ts.' },
      { type: 'function_call', call_id: 'c1', name: 'shell', arguments: '{"command":"cat src/parse.ts"}' },
      { type: 'function_call_output', call_id: 'c1', output: 'export function parse() {}' },
      { role: 'user', content: CODEX_COMPACTION },
    ];
    const raw = await client.responses
      .create({ model: 'fugu', instructions: 'You are Codex.', input, tools: [{ type: 'function', name: 'shell', parameters: { type: 'object', properties: {} }, strict: false }] })
      .withResponse();
    assert.equal(raw.data.output_text, 'Summary: the parser is fixed; tests remain.');
    assert.deepEqual([fakes.gemini.requests.length, fakes.anthropic.requests.length, fakes.openai.requests.length], [0, 0, 1]);
    const trace = await traceOf(raw.response.headers.get('x-fugu-trace-id'));
    assert.deepEqual(trace.rounds[0].steps.map((s) => s.worker), ['gpt']);
    assert.equal(trace.rounds[0].policy.direct, "compaction: Codex's context compaction prompt");
    assert.match(trace.rounds[0].note ?? '', /^One call, no planning: compaction/);
    assert.match(text(fakes.openai.requests[0]), /export function parse/, 'the coder summarises the whole conversation');
  });

  it("Claude Code's /compact and opencode's title each get one call", async () => {
    const anthropic = new Anthropic({ apiKey: 'unused', baseURL: server.url, maxRetries: 0 });
    await anthropic.messages.create({
      model: 'fugu', max_tokens: 2000, system: CLAUDE_COMPACT_SYSTEM,
      messages: [{ role: 'user', content: 'Fix src/a.ts' }, { role: 'assistant', content: 'Done.' }, { role: 'user', content: CLAUDE_COMPACT }],
    });
    assert.deepEqual([fakes.gemini.requests.length, fakes.anthropic.requests.length, fakes.openai.requests.length], [0, 0, 1]);
    fakes.reset();
    fakes.gemini.setDefault(() => reply.text('Fixing flaky CI test'));
    const title = await client.chat.completions.create({ model: 'fugu', messages: [{ role: 'system', content: OPENCODE_TITLE }, { role: 'user', content: 'Generate a title for this conversation:\nfix the flaky test in ci.yml' }] });
    assert.equal(title.choices[0].message.content, 'Fixing flaky CI test');
    assert.deepEqual([fakes.gemini.requests.length, fakes.anthropic.requests.length, fakes.openai.requests.length], [1, 0, 0], 'the answerer alone');
  });

  it('a short first question after the client’s context message (as Codex sends it) gets one call to the answerer', async () => {
    fakes.gemini.setDefault(() => reply.text('Canberra.'));
    const r = await client.responses.create({
      model: 'fugu', instructions: 'You are Codex.',
      input: [{ role: 'user', content: '<environment_context>\n  <cwd>/work</cwd>\n</environment_context>' }, { role: 'user', content: 'What is the capital of Australia?' }],
      tools: [{ type: 'function', name: 'shell', parameters: { type: 'object', properties: {} }, strict: false }],
    });
    assert.equal(r.output_text, 'Canberra.');
    assert.deepEqual([fakes.gemini.requests.length, fakes.anthropic.requests.length, fakes.openai.requests.length], [1, 0, 0]);
    assert.match(server.traces.latest()!.rounds[0].policy.direct ?? '', /^question: a short question \(33 characters\) opening the conversation$/);
  });

  it('no call is made that would cross the budget, and the trace never shows more than it', async () => {
    const task = `Implement the parser in src/parse.ts. ${Array.from({ length: 500 }, (_, i) => `rule${i}`).join(' ')}`;
    await assert.rejects(client.chat.completions.create({ model: 'tight', messages: [{ role: 'user', content: task }] }), (e: unknown) => {
      assert.ok(e instanceof OpenAI.APIError && e.status === 402, String(e));
      return true;
    });
    const trace = server.traces.latest()!;
    assert.equal(trace.status, 'budget_exceeded');
    assert.deepEqual([fakes.gemini.requests.length, fakes.anthropic.requests.length, fakes.openai.requests.length], [1, 1, 0], 'the planners fit; the coder’s call would not');
    assert.match(trace.error ?? '', /Stopped before a call of step 2 \(gpt\): the call's estimated \d+ tokens would take the run to \d+ of its 3600-token budget/);
    // Refused once, at the call's admission: the coder's step started, made no call, and carries that reason.
    const coder = trace.rounds[0].steps[2];
    assert.equal(coder.status, 'skipped');
    assert.match(coder.error ?? '', /^the call's estimated \d+ tokens would take the run to \d+ of its 3600-token budget$/);
    assert.ok(trace.usage.inputTokens + trace.usage.outputTokens <= 3600, JSON.stringify(trace.usage));
    assert.equal(trace.calls, 2);
  });

  it('a failure is not paid twice: the same request (keys in any order) gets the same error at once; another request runs', async () => {
    fakes.openai.setDefault(() => reply.status(500, { message: 'coder is down' }));
    const body = { model: 'fugu', messages: [{ role: 'user', content: 'Implement parse() in src/parse.ts (tok-memo).' }], stream: false };
    const reordered = { stream: false, messages: [{ content: 'Implement parse() in src/parse.ts (tok-memo).', role: 'user' }], model: 'fugu' };
    const post = (b: unknown) => fetch(`${base}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    const first = await post(body);
    assert.equal(first.status, 502);
    const calls = () => [fakes.gemini.requests.length, fakes.anthropic.requests.length, fakes.openai.requests.length];
    const spent = calls();
    assert.deepEqual(spent, [1, 1, 1]);
    const again = await post(reordered);
    assert.equal(again.status, 502);
    assert.equal(again.headers.get('x-fugu-repeated-failure'), 'true');
    assert.deepEqual(await again.json(), await first.json(), 'the same error, the same trace id');
    assert.deepEqual(calls(), spent, 'no model was called again');
    assert.equal((await post({ ...body, messages: [{ role: 'user', content: 'Implement parse() in src/parse.ts (tok-other).' }] })).status, 502);
    assert.deepEqual(calls(), [2, 2, 2], 'a different request runs');
  });

  it('a worker that keeps failing costs at most two calls per distinct request: one retry (the serve default), then the memo', async () => {
    // Without maxRetries in its config, fugu serve retries a failing call once: the client retries on its own.
    const config = serveConfigFor(fakes, { maxRetries: undefined });
    assert.equal(config.profiles.fugu.maxRetries, SERVE_MAX_RETRIES);
    assert.equal(serveConfigFor(fakes, { maxRetries: 3 }).profiles.fugu.maxRetries, 3, 'a configured maxRetries stands');
    const { server: own, base: ownBase } = await startFor(config);
    try {
      fakes.openai.setDefault(() => reply.status(500, { message: 'coder is down' }));
      const body = JSON.stringify({ model: 'fugu', messages: [{ role: 'user', content: 'Implement parse() in src/parse.ts (tok-retries).' }], stream: false });
      const post = () => fetch(`${ownBase}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      for (let i = 0; i < 3; i++) assert.equal((await post()).status, 502);
      assert.equal(fakes.openai.requests.length, 1 + SERVE_MAX_RETRIES, 'the coder was called once and retried once, for three requests');
    } finally {
      await own.close(0);
    }
  });

  it('budget.scope: per request by default under fugu serve; "run" makes a continued run share one budget; the trace shows both totals', async () => {
    fakes.openai.setDefault((req) => (req.toolResults.length ? reply.text('finished') : reply.toolCalls([{ id: 'call_1', name: 'shell', arguments: { command: 'ls' } }])));
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Implement parse() in src/parse.ts and list the files.' }];
    for (const model of ['each', 'whole']) {
      const first = await client.chat.completions.create({ model, messages, tools: [SHELL] });
      const next = [...messages, first.choices[0].message, { role: 'tool' as const, tool_call_id: 'call_1', content: 'a.ts b.ts' }];
      const raw = await fetch(`${base}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: next, tools: [SHELL] }) });
      const trace = await traceOf(raw.headers.get('x-fugu-trace-id'));
      assert.equal(trace.budget.scope, model === 'each' ? 'request' : 'run');
      if (model === 'each') {
        assert.equal(raw.status, 200);
        assert.equal(trace.calls, 4, 'the run made four calls in all');
        assert.deepEqual(trace.request, { usage: trace.request!.usage, costUsd: trace.request!.costUsd, calls: 1 }, 'this request made one');
        assert.ok(trace.request!.usage.inputTokens > 0 && trace.request!.usage.inputTokens < trace.usage.inputTokens);
      } else {
        assert.equal(raw.status, 402, 'three calls were spent by the first request');
        assert.equal(trace.calls, 3);
        assert.equal(trace.request!.calls, 0);
      }
    }
  });

  it('an upstream that repeats tool-call ids: the client gets unique ones, the upstream its own back', async () => {
    fakes.openai.setDefault((req) =>
      req.toolResults.length >= 2
        ? req.toolResults.length >= 4
          ? reply.text('all read')
          : reply.toolCalls([{ id: 'call_0', name: 'shell', arguments: { command: 'cat c.ts' } }, { id: 'call_0', name: 'shell', arguments: { command: 'cat d.ts' } }])
        : reply.toolCalls([{ id: 'call_0', name: 'shell', arguments: { command: 'cat a.ts' } }, { id: 'call_0', name: 'shell', arguments: { command: 'cat b.ts' } }]),
    );
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Read the four files and fix src/a.ts.' }];
    const seen: string[] = [];
    for (let turn = 0; turn < 3; turn++) {
      const r = await client.chat.completions.create({ model: 'fugu', messages, tools: [SHELL] });
      const msg = r.choices[0].message;
      messages.push(msg);
      if (!msg.tool_calls?.length) break;
      for (const c of msg.tool_calls) {
        seen.push(c.id);
        messages.push({ role: 'tool', tool_call_id: c.id, content: `content of ${(JSON.parse((c as OpenAI.ChatCompletionMessageFunctionToolCall).function.arguments) as { command: string }).command}` });
      }
    }
    assert.equal(seen.length, 4);
    assert.equal(new Set(seen).size, 4, `unique ids: ${seen.join(', ')}`);
    assert.equal(messages.at(-1)!.content, 'all read');
    const last = fakes.openai.lastRequest!;
    assert.deepEqual(last.toolCalls.map((c) => c.id), ['call_0', 'call_0', 'call_0', 'call_0'], 'the upstream sees the ids it wrote');
    assert.deepEqual(last.toolResults.map((r) => r.content), ['content of cat a.ts', 'content of cat b.ts', 'content of cat c.ts', 'content of cat d.ts']);
  });

  it('streamed to an Anthropic client (Claude Code’s path), repeated ids arrive unique and the results find their calls', async () => {
    fakes.openai.setDefault((req) =>
      req.toolResults.length
        ? reply.text(`read ${req.toolResults.map((r) => `${r.id}=${r.content}`).join(', ')}`)
        : reply.toolCalls([{ id: 'call_0', name: 'Read', arguments: { file_path: 'a.ts' } }, { id: 'call_0', name: 'Read', arguments: { file_path: 'b.ts' } }], { argumentPieces: 2 }),
    );
    const anthropic = new Anthropic({ apiKey: 'unused', baseURL: server.url, maxRetries: 0 });
    const tools: Anthropic.Tool[] = [{ name: 'Read', description: 'Reads a file.', input_schema: { type: 'object', properties: { file_path: { type: 'string' } } } }];
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Read a.ts and b.ts, then fix src/a.ts.' }];
    const first = await anthropic.messages.stream({ model: 'fugu', max_tokens: 1000, messages, tools }).finalMessage();
    const uses = first.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    assert.equal(uses.length, 2);
    assert.equal(uses[0].id, 'call_0');
    assert.match(uses[1].id, /^call_0-fugu[0-9a-f]{8}$/);
    messages.push({ role: 'assistant', content: first.content }, { role: 'user', content: uses.map((u) => ({ type: 'tool_result' as const, tool_use_id: u.id, content: (u.input as { file_path: string }).file_path })) });
    const second = await anthropic.messages.stream({ model: 'fugu', max_tokens: 1000, messages, tools }).finalMessage();
    const answer = second.content[0];
    assert.equal(answer.type === 'text' ? answer.text : answer.type, 'read call_0=a.ts, call_0=b.ts', 'the upstream read its own ids back, each with its result');
  });

  it('a compacted history goes on from its summary in the same run and trace, without planning again', async () => {
    fakes.openai.setDefault((req) =>
      /Another language model started/.test(text(req)) ? reply.text('finished from the summary') : reply.toolCalls([{ id: 'call_7', name: 'shell', arguments: { command: 'ls' } }]),
    );
    const task: OpenAI.ChatCompletionMessageParam = { role: 'user', content: 'Implement parse() in src/parse.ts (tok-compacted).' };
    const first = await client.chat.completions.create({ model: 'fugu', messages: [task], tools: [SHELL] }).withResponse();
    assert.equal(first.data.choices[0].finish_reason, 'tool_calls');
    // What Codex sends after compacting: the user's messages, then the summary as a user message.
    const summary = 'Another language model started to solve this problem and produced a summary of its thinking process. Here is the summary: ls was run; parse() remains.';
    const after = await client.chat.completions.create({ model: 'fugu', messages: [task, { role: 'user', content: summary }], tools: [SHELL] }).withResponse();
    assert.equal(after.data.choices[0].message.content, 'finished from the summary');
    const id = after.response.headers.get('x-fugu-trace-id');
    assert.equal(id, first.response.headers.get('x-fugu-trace-id'), 'the same trace');
    assert.equal(fakes.gemini.requests.length + fakes.anthropic.requests.length, 2, 'planned once');
    const trace = await traceOf(id);
    assert.match(trace.rounds[0].note ?? '', /Turn 2: the client compacted its history and sent its summary; step 2 continues\./);
    assert.equal(trace.rounds[0].steps[2].turns!.length, 1);
    assert.match(text(fakes.openai.lastRequest!), /Another language model started[\s\S]*ls was run/, 'the coder reads the summary');
  });

  it('a request the client abandons gets its log line: 499 cancelled with the trace id', async () => {
    fakes.openai.setDefault(() => reply.text(Array.from({ length: 200 }, (_, i) => `w${i}`).join(' '), { tokenDelayMs: 20 }));
    const abort = new AbortController();
    const stream = await client.chat.completions.create({ model: 'fugu', messages: [{ role: 'user', content: 'Implement parse() in src/parse.ts (tok-gone).' }], stream: true }, { signal: abort.signal });
    try {
      for await (const chunk of stream) if (chunk.choices[0]?.delta?.content) abort.abort();
    } catch {
      // the SDK may raise its abort error, or just end the stream
    }
    await waitFor(() => lines.some((l) => / 499 /.test(l)), 5000);
    assert.match(lines.find((l) => / 499 /.test(l))!, /^POST \/v1\/chat\/completions 499 \d+ms cancelled trace=[0-9a-f-]{36}$/);
  });
});
