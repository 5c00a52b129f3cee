// agentloop_*: what an agent client's tool loop costs through `fugu serve`, driven the way Codex CLI
// drives it: Responses API, `store: false`, the whole history sent again every turn (instructions, a
// developer message, the user's messages, then each turn's `function_call` and its few-KB
// `function_call_output`), streamed, for `turns` turns: the fake coder calls a tool each turn and
// answers at the last. The same loop over chat completions (`role: tool` messages) and over
// /v1/messages (`tool_result` blocks), and once straight to the fake coder (the floor).
//
// Overhead of a turn = the client's wall time for that request (send to the stream's last byte) minus
// the fake providers' own time in it: the union of the intervals from a fake request's arrival to its
// response's end, for every fake request the turn caused (both planners and the coder on the first
// turn, the coder alone after). What is left is the server: reading and parsing the history, the
// continuation's lookup, the run and its trace, the SDK call to the coder, and streaming back.
import { BENCH_KEY, poolFor } from './fakeCalls.mjs';
import { median } from './stats.mjs';

const TASK = 'Fix the failing test in src/parse.test.ts: parseDuration("1h30m") returns 90 instead of 5400. Find the cause, fix src/parse.ts and run the tests.';
const TOOL = 'exec_command';

/** Deterministic filler text of about `bytes` characters that reads like source or command output. */
function filler(seed, bytes) {
  const lines = [];
  let n = 0;
  for (let i = 0; n < bytes; i++) {
    const line = `${String(i + 1).padStart(4)}  export function step${seed}_${i}(input: string): number { return input.length * ${i % 97} + ${seed}; }`;
    lines.push(line);
    n += line.length + 1;
  }
  return lines.join('\n').slice(0, bytes);
}

// What Codex sends besides the loop: long instructions, a developer message (sandbox and approval
// rules), the environment as a user message, then the task. Sizes are those of a Codex session.
const INSTRUCTIONS = `You are a coding agent running in a terminal.\n${filler(0, 14_000)}`;
const DEVELOPER = `<permissions instructions>\n${filler(1, 2_000)}\n</permissions instructions>`;
const ENVIRONMENT = '<environment_context>\n  <cwd>/home/user/project</cwd>\n  <approval_policy>never</approval_policy>\n  <sandbox_mode>workspace-write</sandbox_mode>\n  <shell>bash</shell>\n</environment_context>';
const TOOLS = [
  { name: TOOL, description: 'Runs a command in a PTY, returning output or a session ID for ongoing interaction.', parameters: { type: 'object', properties: { cmd: { type: 'string' }, workdir: { type: 'string' }, yield_time_ms: { type: 'number' } }, required: ['cmd'], additionalProperties: false } },
  { name: 'write_stdin', description: 'Writes characters to an existing unified exec session and returns recent output.', parameters: { type: 'object', properties: { session_id: { type: 'number' }, chars: { type: 'string' } }, required: ['session_id'], additionalProperties: false } },
  { name: 'update_plan', description: 'Updates the task plan.', parameters: { type: 'object', properties: { explanation: { type: 'string' }, plan: { type: 'array', items: { type: 'object', properties: { step: { type: 'string' }, status: { type: 'string' } }, required: ['step', 'status'] } } }, required: ['plan'], additionalProperties: false } },
];

/** The command of turn k and what it printed: file reads and test runs of 2-6 KB. */
const commandOf = (k) => (k % 3 === 0 ? `npm test -- src/parse.test.ts` : `sed -n '1,200p' src/module${k}.ts`);
const outputOf = (k) => `Chunk ID: ${k}\nWall time: 0.${k % 10} seconds\nProcess exited with code 0\nOutput:\n${filler(k + 10, 2_000 + (k % 5) * 1_000)}`;
const FINAL = 'The tests pass now: parseDuration multiplied hours by 60 instead of 3600; src/parse.ts is fixed.';

/** The fake coder: one call of the client's shell tool per turn, until the last, which answers. */
function coder(api, turns, delayMs) {
  return (req) => {
    const k = req.toolResults.length + 1;
    if (!req.tools.some((t) => t.name === TOOL)) return api.reply.text('not the coder', { firstTokenDelayMs: delayMs });
    if (k >= turns) return api.reply.text(FINAL, { firstTokenDelayMs: delayMs, tokenDelayMs: 1 });
    return api.reply.toolCalls([{ id: `call_${k}`, name: TOOL, arguments: { cmd: commandOf(k), workdir: '/home/user/project' } }], { tokenDelayMs: delayMs / 4, argumentPieces: 3 });
  };
}

/** Server-sent events of a streamed body, as parsed JSON `data:` lines ([DONE] left out). */
async function readEvents(res) {
  const text = await res.text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]')
    .map((l) => JSON.parse(l.slice(6)));
}

// Each wire format: its request for the history so far, and what the answer said (a call or text).
const formats = {
  responses: {
    path: '/v1/responses',
    start: () => [
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: DEVELOPER }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: ENVIRONMENT }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: TASK }] },
    ],
    body: (model, history) => ({
      model, instructions: INSTRUCTIONS, input: history,
      tools: TOOLS.map((t) => ({ type: 'function', strict: false, ...t })),
      tool_choice: 'auto', parallel_tool_calls: false, reasoning: null, store: false, stream: true,
      include: [], prompt_cache_key: 'bench-session',
    }),
    async answer(res) {
      const done = (await readEvents(res)).find((e) => e.type === 'response.completed');
      if (!done) throw new Error('the stream had no response.completed');
      const call = done.response.output.find((i) => i.type === 'function_call');
      return call ? { call: { id: call.call_id, name: call.name, arguments: call.arguments } } : { text: done.response.output_text };
    },
    append: (history, call, output) => history.push(
      { type: 'function_call', name: call.name, arguments: call.arguments, call_id: call.id },
      { type: 'function_call_output', call_id: call.id, output },
    ),
  },
  chat: {
    path: '/v1/chat/completions',
    start: () => [
      { role: 'system', content: INSTRUCTIONS },
      { role: 'developer', content: DEVELOPER },
      { role: 'user', content: ENVIRONMENT },
      { role: 'user', content: TASK },
    ],
    body: (model, history) => ({
      model, messages: history, stream: true, stream_options: { include_usage: true },
      tools: TOOLS.map(({ name, description, parameters }) => ({ type: 'function', function: { name, description, parameters } })),
      tool_choice: 'auto', parallel_tool_calls: false,
    }),
    async answer(res) {
      let text = '';
      const calls = [];
      for (const e of await readEvents(res)) {
        const d = e.choices?.[0]?.delta ?? {};
        text += d.content ?? '';
        for (const t of d.tool_calls ?? []) {
          calls[t.index] ??= { id: '', name: '', arguments: '' };
          if (t.id) calls[t.index].id = t.id;
          if (t.function?.name) calls[t.index].name = t.function.name;
          calls[t.index].arguments += t.function?.arguments ?? '';
        }
      }
      return calls.length ? { call: calls[0] } : { text };
    },
    append: (history, call, output) => history.push(
      { role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }] },
      { role: 'tool', tool_call_id: call.id, content: output },
    ),
  },
  messages: {
    path: '/v1/messages',
    start: () => [{ role: 'user', content: [{ type: 'text', text: ENVIRONMENT }, { type: 'text', text: TASK }] }],
    body: (model, history) => ({
      model, max_tokens: 8192, stream: true, system: `${INSTRUCTIONS}\n\n${DEVELOPER}`, messages: history,
      tools: TOOLS.map(({ name, description, parameters }) => ({ name, description, input_schema: parameters })),
    }),
    async answer(res) {
      let text = '';
      let call = null;
      for (const e of await readEvents(res)) {
        if (e.type === 'content_block_start' && e.content_block.type === 'tool_use') call = { id: e.content_block.id, name: e.content_block.name, arguments: '' };
        if (e.type === 'content_block_delta' && e.delta.type === 'input_json_delta' && call) call.arguments += e.delta.partial_json;
        if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') text += e.delta.text;
      }
      return call ? { call } : { text };
    },
    append: (history, call, output) => history.push(
      { role: 'assistant', content: [{ type: 'tool_use', id: call.id, name: call.name, input: JSON.parse(call.arguments || '{}') }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: output }] },
    ),
  },
};

/** Length of the union of [from, to] intervals. */
function unionMs(intervals) {
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of [...intervals].sort((x, y) => x[0] - y[0])) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

/** Least-squares slope of y over x for [x, y] points. */
function slope(points) {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx ? points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx : 0;
}

/**
 * One loop of `turns` requests in `format` to `url` (fugu serve, or the fake coder itself with
 * `model` its model). Returns per turn: wall ms, provider ms, request body bytes; and the planner
 * calls, the coder calls and the trace ids seen.
 */
async function runLoop(api, fakes, { format, url, model, turns, headers = {} }) {
  const f = formats[format];
  const history = f.start();
  const planners = () => fakes.gemini.requests.length + fakes.anthropic.requests.length;
  fakes.reset();
  const perTurn = [];
  const traceIds = new Set();
  let plannersFirstTurn = 0;
  let answer = null;
  for (let k = 1; k <= turns; k++) {
    const body = JSON.stringify(f.body(model, history));
    const seen = fakes.all.reduce((n, p) => n + p.requests.length, 0);
    const t0 = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    if (res.status !== 200) throw new Error(`${format} turn ${k}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
    const got = await f.answer(res);
    const wallMs = performance.now() - t0;
    const calls = fakes.all.flatMap((p) => p.requests).sort((a, b) => a.arrivedAt - b.arrivedAt).slice(seen);
    if (calls.some((c) => c.endedAt === undefined)) throw new Error(`${format} turn ${k}: a provider call was still open after the answer`);
    perTurn.push({ wallMs, providerMs: unionMs(calls.map((c) => [c.arrivedAt, c.endedAt])), bodyBytes: Buffer.byteLength(body) });
    const trace = res.headers.get('x-fugu-trace-id');
    if (trace) traceIds.add(trace);
    if (k === 1) plannersFirstTurn = planners();
    answer = got;
    if (k === turns) break;
    if (!got.call) throw new Error(`${format} turn ${k}: expected a tool call, got text ${JSON.stringify(got.text).slice(0, 200)}`);
    f.append(history, got.call, outputOf(k));
  }
  if (answer?.text !== FINAL) throw new Error(`${format}: the last turn did not answer (${JSON.stringify(answer).slice(0, 200)})`);
  return { perTurn, plannersFirstTurn, plannerCalls: planners(), coderCalls: fakes.openai.requests.length, traceIds };
}

/**
 * A long session in which every request ends with a new user message, so each one is planned anew
 * while the history grows by a tool call and its 2-6 KB output per turn: the planners' input tokens
 * per turn (from the trace), which policy.planningContextTokens keeps flat once the history outgrows it.
 */
async function plannerTokensOverTurns(api, fakes, server, sessionTurns) {
  const f = formats.chat;
  const history = f.start();
  const perTurn = [];
  fakes.reset();
  for (let k = 1; k <= sessionTurns; k++) {
    const body = JSON.stringify(f.body('fugu', history));
    const res = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    if (res.status !== 200) throw new Error(`planner session turn ${k}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
    const got = await f.answer(res);
    const trace = await server.traces.find(res.headers.get('x-fugu-trace-id'));
    const planners = trace.rounds[0].steps.filter((st) => st.role === 'planner');
    if (planners.length === 0) throw new Error(`planner session turn ${k}: no planner ran`);
    perTurn.push({ tokens: Math.max(...planners.map((st) => st.usage.inputTokens)), bodyKb: Buffer.byteLength(body) / 1024 });
    if (!got.call) throw new Error(`planner session turn ${k}: expected a tool call`);
    f.append(history, got.call, outputOf(k));
    history.push({ role: 'user', content: `Go on with step ${k + 1}.` });
  }
  const at = (k) => perTurn[Math.min(k, sessionTurns) - 1];
  const later = perTurn.slice(Math.floor(sessionTurns / 3));
  return {
    agentloop_session_turns: sessionTurns,
    ...Object.fromEntries([1, 10, 50, 100, sessionTurns].map((k) => [`agentloop_planner_input_tokens_turn_${k}`, at(k).tokens])),
    // Flat: the spread of the planners' input over the last two thirds of the session.
    agentloop_planner_input_tokens_max_late: Math.max(...later.map((t) => t.tokens)),
    agentloop_planner_input_tokens_min_late: Math.min(...later.map((t) => t.tokens)),
    [`agentloop_session_body_kb_turn_${sessionTurns}`]: at(sessionTurns).bodyKb,
  };
}

/** `dir`: an empty folder for the server.traceDir variant (removed by the caller). */
export async function measureAgentLoop(api, { runs, dir, turns = 30, delayMs = 20, sessionTurns = 150 }) {
  const fakes = await api.startFakes();
  const planText = Array.from({ length: 10 }, (_, i) => `step ${i}`).join(' ');
  fakes.gemini.setDefault(() => api.reply.text(planText, { firstTokenDelayMs: delayMs, tokenDelayMs: 1 }));
  fakes.anthropic.setDefault(() => api.reply.text(planText, { firstTokenDelayMs: delayMs, tokenDelayMs: 1 }));
  fakes.openai.setDefault(coder(api, turns, delayMs));
  const serve = (server) => api.startServer(api.parseServeConfig({ workers: poolFor(fakes), maxRetries: 0, timeoutMs: 30_000, server }), { port: 0, keys: async () => BENCH_KEY });
  const server = await serve({});
  // With server.traceDir every turn also writes the trace and the continuation (which carries it) to disk.
  const kept = await serve({ traceDir: dir });
  const loops = {
    responses: { format: 'responses', url: `${server.url}/v1/responses`, model: 'fugu' },
    chat: { format: 'chat', url: `${server.url}/v1/chat/completions`, model: 'fugu' },
    messages: { format: 'messages', url: `${server.url}/v1/messages`, model: 'fugu' },
    traceDir: { format: 'responses', url: `${kept.url}/v1/responses`, model: 'fugu' },
    // The floor: the same chat loop straight to the fake coder, as a client without fugu would send it.
    direct: { format: 'chat', url: `${fakes.openai.url}/chat/completions`, model: 'gpt-5', headers: { authorization: `Bearer ${BENCH_KEY}` } },
  };
  const samples = Object.fromEntries(Object.keys(loops).map((name) => [name, []]));
  try {
    // Warm: SDKs loaded, sockets open, code optimised, as in a running server.
    for (const l of Object.values(loops)) await runLoop(api, fakes, { ...l, turns });
    for (let r = 0; r < runs; r++) {
      for (const [name, l] of Object.entries(loops)) {
        const loop = await runLoop(api, fakes, { ...l, turns });
        if (name !== 'direct') {
          // One run over the whole loop: planned once on the first turn, one trace, the coder once a turn.
          if (loop.plannersFirstTurn === 0) throw new Error(`${name}: the first turn called no planner, so the loop does not show whether planning is reused`);
          if (loop.plannerCalls !== loop.plannersFirstTurn) throw new Error(`${name}: the planners were called ${loop.plannerCalls} times over ${turns} turns, ${loop.plannersFirstTurn} of them on the first: a continued turn planned again`);
          if (loop.traceIds.size !== 1) throw new Error(`${name}: ${loop.traceIds.size} traces over one loop, expected 1`);
        }
        if (loop.coderCalls !== turns) throw new Error(`${name}: the coder was called ${loop.coderCalls} times over ${turns} turns`);
        samples[name].push(loop);
      }
    }
    const cost = (t) => t.wallMs - t.providerMs;
    const overhead = (name, k) => median(samples[name].map((s) => cost(s.perTurn[k - 1])));
    // A single turn's figure is noisy on a shared machine: five turns around it (k-2..k+2, kept within turns 2..last).
    const around = (name, k) => {
      const from = Math.max(2, Math.min(k - 2, turns - 4));
      return median(samples[name].map((s) => median(s.perTurn.slice(from - 1, from + 4).map(cost))));
    };
    const continued = (name) => median(samples[name].map((s) => median(s.perTurn.slice(1).map(cost))));
    // Least-squares slope of a continued turn's overhead against its request body, per 100 KB.
    const growth = (name) => median(samples[name].map((s) => 100 * 1024 * slope(s.perTurn.slice(1).map((t) => [t.bodyBytes, cost(t)]))));
    const at = [2, Math.min(10, turns), turns];
    // The session's coder calls a tool every turn (its turn count never reaches the end).
    fakes.openai.setDefault(coder(api, sessionTurns + 1, delayMs));
    const session = await plannerTokensOverTurns(api, fakes, server, sessionTurns);
    return {
      ...session,
      agentloop_turns: turns,
      agentloop_overhead_ms_first_turn: overhead('responses', 1),
      agentloop_overhead_ms_continued: continued('responses'),
      ...Object.fromEntries(at.map((k) => [`agentloop_overhead_ms_turn_${k}`, around('responses', k)])),
      agentloop_overhead_growth_ms_per_100kb: growth('responses'),
      agentloop_body_kb_turn_1: samples.responses[0].perTurn[0].bodyBytes / 1024,
      [`agentloop_body_kb_turn_${turns}`]: samples.responses[0].perTurn[turns - 1].bodyBytes / 1024,
      agentloop_planner_calls: samples.responses[0].plannerCalls,
      agentloop_loop_ms: median(samples.responses.map((s) => s.perTurn.reduce((n, t) => n + t.wallMs, 0))),
      agentloop_provider_ms: median(samples.responses.map((s) => s.perTurn.reduce((n, t) => n + t.providerMs, 0))),
      agentloop_chat_overhead_ms_first_turn: overhead('chat', 1),
      agentloop_chat_overhead_ms_continued: continued('chat'),
      [`agentloop_chat_overhead_ms_turn_${turns}`]: around('chat', turns),
      agentloop_messages_overhead_ms_first_turn: overhead('messages', 1),
      agentloop_messages_overhead_ms_continued: continued('messages'),
      [`agentloop_messages_overhead_ms_turn_${turns}`]: around('messages', turns),
      agentloop_tracedir_overhead_ms_continued: continued('traceDir'),
      [`agentloop_tracedir_overhead_ms_turn_${turns}`]: around('traceDir', turns),
      agentloop_tracedir_overhead_growth_ms_per_100kb: growth('traceDir'),
      agentloop_direct_overhead_ms_continued: continued('direct'),
      [`agentloop_direct_overhead_ms_turn_${turns}`]: around('direct', turns),
      agentloop_direct_overhead_growth_ms_per_100kb: growth('direct'),
    };
  } finally {
    await Promise.all([server.close(0), kept.close(0)]);
    await fakes.close();
  }
}

