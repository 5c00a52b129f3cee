// The trace webview alone in real Chromium (no VS Code): dist/webview.js under the same CSP as in the
// editor, a fake host that answers its requests, a whole run streamed in, then 10,000 deltas.
// Checks: steps appear with their workers and outputs, hostile model output stays text, the page keeps
// painting while 10,000 deltas arrive, Apply sends a request. Screenshots go to test-output/.
//
//   npm run build && node test/e2e/traceWebview.mjs
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { launchChromium } from '../../scripts/codeserver/browser.mjs';
import { ROOT } from '../../scripts/codeserver/install.mjs';

const OUT = join(ROOT, 'test-output');
mkdirSync(OUT, { recursive: true });

function page(nonce) {
  const csp = `default-src 'none'; style-src http://127.0.0.1:*; img-src http://127.0.0.1:* data:; script-src 'nonce-${nonce}'`;
  return `<!DOCTYPE html><html><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="/theme.css"><link rel="stylesheet" href="/styles.css"></head>
<body><main id="app"></main>
<script nonce="${nonce}">
  window.sent = [];
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => { window.sent.push(m); if (m.type === 'request') window.onRequest?.(m); },
    getState: () => undefined, setState: () => {},
  });
  window.hostSend = (m) => window.postMessage(m, '*');
  window.onRequest = (m) => {
    const result = m.method === 'trace/get-state' ? { history: [], run: null, demoTask: null }
      : m.method === 'edits/apply' ? { applied: ['src/sum.ts'], failed: [] } : { ok: true, message: null };
    window.hostSend({ type: 'reply', id: m.id, ok: true, result });
  };
  window.xssFired = false;
  window.alert = () => { window.xssFired = true; };
</script>
<script nonce="${nonce}" src="/webview.js"></script></body></html>`;
}

// A dark VS Code-like theme, so the screenshot looks like the editor.
const THEME = `:root{--vscode-foreground:#ccc;--vscode-sideBar-background:#1e1e1e;--vscode-editor-background:#1e1e1e;
--vscode-descriptionForeground:#999;--vscode-button-background:#0e639c;--vscode-button-foreground:#fff;
--vscode-button-secondaryBackground:#3a3d41;--vscode-button-secondaryForeground:#fff;--vscode-badge-background:#4d4d4d;
--vscode-badge-foreground:#fff;--vscode-textCodeBlock-background:#2a2a2a;--vscode-focusBorder:#007fd4;
--vscode-font-family:sans-serif;--vscode-font-size:13px;--vscode-editor-font-family:monospace;--vscode-errorForeground:#f48771}`;

function step(index, worker, provider, role, access) {
  return { index, worker, provider, model: `${worker}-model`, role, subtask: `Subtask for ${worker}`, access, status: 'pending', output: '',
    usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, startMs: null, endMs: null, retries: 0, error: null };
}
const done = (index, output, endMs, costUsd = 0.012) => ({ type: 'step-finished', round: 0, index, status: 'succeeded', output, usage: { inputTokens: 1200, outputTokens: 340 }, costUsd, endMs, retries: 0, error: null });
const HOSTILE = 'Plan:\n\n<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[x](javascript:alert(3))\n\n```ts\nexport const sum = (a: number, b: number) => a + b;\n```';

const events = [
  { type: 'run-started', id: 'run-e2e', task: 'Add a sum function to src/sum.ts', createdAt: new Date().toISOString(), policy: 'builtin', budget: { maxCalls: 10, maxTokens: 20000, maxCostUsd: 0.1 }, context: ['src/sum.ts'] },
  { type: 'round-started', round: 0, kind: 'initial', workflow: { model_id: [0, 1, 2], subtasks: ['a', 'b', 'c'], access_list: [[], [], ['all']] },
    policy: { backend: 'builtin', rawAnswers: [], rejections: [], fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 },
    steps: [step(0, 'gemini', 'google', 'planner', []), { ...step(1, 'copilot-claude', 'vscode-lm', 'planner', []), subscription: true }, step(2, 'gpt', 'openai', 'coder', [0, 1])] },
  { type: 'step-started', round: 0, index: 0, startMs: 40 },
  { type: 'step-started', round: 0, index: 1, startMs: 45 },
  done(0, HOSTILE, 1800),
  done(1, 'Claude plan: **add** `sum`.', 2600, 0),
  { type: 'step-started', round: 0, index: 2, startMs: 2610 },
];

const server = createServer((req, res) => {
  const files = {
    '/': ['text/html', page(nonce)],
    '/webview.js': ['text/javascript', readFileSync(join(ROOT, 'dist', 'webview.js'))],
    '/styles.css': ['text/css', readFileSync(join(ROOT, 'media', 'webview', 'styles.css'))],
    '/theme.css': ['text/css', THEME],
    '/favicon.ico': ['image/x-icon', ''],
  };
  const f = files[req.url ?? '/'];
  res.writeHead(f ? 200 : 404, { 'content-type': f?.[0] ?? 'text/plain' }).end(f?.[1] ?? '');
});
const nonce = randomBytes(12).toString('base64');
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const { port } = server.address();
const { page: p, close } = await launchChromium({ viewport: { width: 520, height: 1400 } });
const errors = [];
p.on('pageerror', (e) => errors.push(String(e)));
p.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
try {
  await p.goto(`http://127.0.0.1:${port}/`);
  await p.waitForFunction(() => window.sent.some((m) => m.method === 'trace/get-state'));
  await p.evaluate(() => window.hostSend({ type: 'notification', method: 'trace/didStart', params: { runId: 'run-e2e' } }));
  await p.evaluate((events) => window.hostSend({ type: 'notification', method: 'trace/events', params: { runId: 'run-e2e', seq: 0, events } }), events);

  // Steps appear with their workers; the hostile planner output is shown as text.
  for (const w of ['gemini', 'claude', 'gpt']) await p.locator('.card-title', { hasText: w }).waitFor();
  const first = p.locator('.card[data-key="0:0"] .output');
  await first.locator('pre code').waitFor();
  assert.match(await first.innerText(), /<script>alert\(1\)<\/script>/);
  assert.match(await first.innerText(), /<img src=x onerror="alert\(2\)">/);
  assert.equal(await p.locator('.output script, .output img, .output a[href^="javascript"]').count(), 0);
  assert.ok((await first.locator('.hljs-keyword').count()) > 0, 'code is highlighted');

  // 10,000 deltas in host batches of 50 while we watch the frame rate.
  const stats = await p.evaluate(async () => {
    const graphBefore = document.querySelector('.graph');
    const gaps = [];
    let last = performance.now();
    let watching = true;
    const tick = (t) => { gaps.push(t - last); last = t; if (watching) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    const t0 = performance.now();
    let seq = 7;
    for (let i = 0; i < 10_000; i += 50) {
      const batch = Array.from({ length: 50 }, (_, j) => ({ type: 'step-delta', round: 0, index: 2, text: `token${i + j} ` + ((i + j) % 40 === 0 ? '\n' : '') }));
      window.hostSend({ type: 'notification', method: 'trace/events', params: { runId: 'run-e2e', seq, events: batch } });
      seq += 50;
      await new Promise((r) => setTimeout(r, 2)); // the host flushes every ~16 ms; this is harsher
    }
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    watching = false;
    const total = performance.now() - t0;
    const text = document.querySelector('.card[data-key="0:2"] .output')?.textContent ?? '';
    return { total, maxGap: Math.max(...gaps), frames: gaps.length, hasLast: text.includes('token9999'), length: text.length, graphKept: document.querySelector('.graph') === graphBefore };
  });
  console.log(`[trace-webview] 10,000 deltas: ${stats.total.toFixed(0)} ms, ${stats.frames} frames, longest frame gap ${stats.maxGap.toFixed(0)} ms`);
  assert.ok(stats.hasLast, 'the last delta is on screen');
  assert.ok(stats.maxGap < 250, `the view froze for ${stats.maxGap} ms`);
  assert.ok(stats.graphKept, 'the workflow graph is not drawn again while tokens stream');

  await p.evaluate(() => window.hostSend({ type: 'notification', method: 'trace/events', params: { runId: 'run-e2e', seq: 10_007, events: [
    { type: 'step-finished', round: 0, index: 2, status: 'succeeded', output: 'src/sum.ts\n```ts\nexport const sum = (a: number, b: number) => a + b;\n```', usage: { inputTokens: 2400, outputTokens: 900 }, costUsd: 0.03, endMs: 5200, retries: 0, error: null },
    { type: 'edits', edits: [{ path: 'src/sum.ts', status: 'proposed', reason: null, action: 'modify', blocks: 1, diff: '--- a/src/sum.ts\n+++ b/src/sum.ts\n@@ -1 +1 @@\n-export {};\n+export const sum = (a: number, b: number) => a + b;' }] },
    { type: 'run-finished', status: 'succeeded', error: null, errorKind: null, finalText: 'Added `sum`.', usage: { inputTokens: 4800, outputTokens: 1580 }, costUsd: 0.054, calls: 3, wallMs: 5300 },
  ] } }));
  await p.evaluate(() => window.hostSend({ type: 'notification', method: 'edits/didChangeReview', params: { runId: 'run-e2e', reviewable: ['src/sum.ts'] } }));
  await p.locator('.card[data-key="0:2"] .output pre code').waitFor();
  assert.equal(await p.locator('[data-total="calls"]').innerText(), '3');
  // A VS Code model (vscode-lm) is paid by a subscription: cost 0, and the card says why.
  assert.match(await p.locator('.card[data-key="0:1"] .card-meta:not(.extra-usage)').innerText(), /\$0(\.0+)? \(subscription\)/);
  assert.doesNotMatch(await p.locator('.card[data-key="0:0"] .card-meta:not(.extra-usage)').innerText(), /subscription/);
  assert.equal(await p.locator('.tl-bar.critical').count(), 2, 'the slower planner and the coder form the critical path');

  // Keyboard: Enter on a card heading collapses it.
  await p.locator('.card[data-key="0:1"] .card-toggle').focus();
  await p.keyboard.press('Enter');
  await p.locator('.card[data-key="0:1"] .card-toggle[aria-expanded="false"]').waitFor({ timeout: 2000 });
  assert.equal(await p.locator('.card[data-key="0:1"] .card-body').isHidden(), true);
  await p.keyboard.press('ArrowDown');
  assert.equal(await p.evaluate(() => document.activeElement?.closest('.card')?.getAttribute('data-key')), '0:2', 'arrow keys move between cards');
  await p.keyboard.press('ArrowUp');
  await p.keyboard.press(' ');
  await p.locator('.card[data-key="0:1"] .card-toggle[aria-expanded="true"]').waitFor({ timeout: 2000 });

  await p.screenshot({ path: join(OUT, 'trace-webview.png'), fullPage: true });
  await p.getByRole('button', { name: 'Apply all' }).click();
  await p.locator('.review-message', { hasText: 'Applied 1 file(s).' }).waitFor();
  const apply = await p.evaluate(() => window.sent.find((m) => m.method === 'edits/apply'));
  assert.deepEqual(apply.params, { runId: 'run-e2e', paths: null });

  // A conductor run that fell back, then a conductor step that sees every step and accepts, then a
  // hosted worker with extra usage: the panel shows why, word for word, and every counter.
  const conductor = { ...step(3, 'conductor', 'conductor', 'conductor', [0, 1, 2]), model: 'conductor' };
  const fuguStep = { ...step(2, 'fugu', 'openai-compatible', 'coder', [0, 1]), model: 'fugu-ultra' };
  await p.evaluate((events) => {
    window.hostSend({ type: 'notification', method: 'trace/didStart', params: { runId: 'run-c' } });
    window.hostSend({ type: 'notification', method: 'trace/events', params: { runId: 'run-c', seq: 0, events } });
  }, [
    { ...events[0], id: 'run-c', policy: 'conductor', context: ['src/sum.ts', 'src/app.ts (selection)'] },
    { ...events[1], workflow: { model_id: [0, 1, 2, 3], subtasks: ['a', 'b', 'c', 'd'], access_list: [[], [], ['all'], ['all']] },
      policy: { backend: 'conductor', rawAnswers: ['I would let GPT do it.'], rejections: ['no model_id list found'], fallback: { to: 'builtin', reason: 'the conductor wrote no lists' }, usage: { inputTokens: 900, outputTokens: 40 }, costUsd: 0.001 },
      steps: [step(0, 'gemini', 'google', 'planner', []), step(1, 'claude', 'anthropic', 'planner', []), fuguStep, conductor] },
    { type: 'step-started', round: 0, index: 2, startMs: 10 },
    { ...done(2, 'ok', 900), extraUsage: { orchestration_tokens: 48210 } },
    { type: 'round-note', round: 0, note: 'The conductor accepted the last response.' },
  ]);
  await p.locator('.round-head .warning', { hasText: 'Fell back to builtin: the conductor wrote no lists' }).waitFor();
  assert.match(await p.locator('.round-head .rejections').innerText(), /no model_id list found/);
  await p.locator('.round-head summary', { hasText: 'raw answer' }).click();
  await p.locator('.raw-answer', { hasText: 'I would let GPT do it.' }).waitFor();
  assert.match(await p.locator('.round-note').innerText(), /accepted the last response/);
  assert.match(await p.locator('.card[data-key="0:2"] .extra-usage').innerText(), /orchestration tokens 48,210/);
  assert.equal(await p.locator('.graph .edge.skip').count(), 2, 'the conductor step sees the planners through lanes under the nodes');
  await p.locator('.context summary').click();
  assert.match(await p.locator('.context').innerText(), /src\/app\.ts \(selection\)/);
  await p.screenshot({ path: join(OUT, 'trace-webview-conductor.png'), fullPage: true });

  // [verify] A check after the coder: a card with a fail badge, exit code, the baseline beside it and the
  // output as terminal text; a node in the graph, fed by the coder's step.
  const checkStep = { ...step(3, 'check', 'check', 'check', [2]), model: 'node --test', subtask: 'Run `node --test` on a scratch copy of the workspace with the edits applied.' };
  const checkEvents = [
    { ...events[0], id: 'run-k' },
    events[1],
    { type: 'step-started', round: 0, index: 2, startMs: 10 },
    done(2, 'src/sum.ts\n```ts\nexport const sum = (a, b) => a - b;\n```', 900),
    { type: 'check-started', round: 0, step: { ...checkStep, status: 'running', startMs: 900 } },
    { type: 'check-finished', round: 0, index: 3, endMs: 1400, rounds: 0, check: {
      command: 'node --test', outcome: 'failed', passed: false, exitCode: 1, durationMs: 500, reason: null,
      outputTail: '✖ sum adds (0.9ms)\n  AssertionError: -1 !== 5\n# fail 1',
      baseline: { outcome: 'passed', exitCode: 0, durationMs: 480, outputTail: '# pass 1', reason: null } } },
    { type: 'run-finished', status: 'succeeded', error: null, errorKind: null, finalText: '', usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, calls: 1, wallMs: 1500 },
  ];
  await p.evaluate((events) => {
    window.hostSend({ type: 'notification', method: 'trace/didStart', params: { runId: 'run-k' } });
    window.hostSend({ type: 'notification', method: 'trace/events', params: { runId: 'run-k', seq: 0, events } });
  }, checkEvents);
  const checkCard = p.locator('.card[data-key="0:3"]');
  await checkCard.locator('.check-badge[data-outcome="failed"]', { hasText: 'fail' }).waitFor();
  assert.match(await checkCard.locator('.card-meta').first().innerText(), /exit 1 · .* · before the edits: pass · no model, no tokens/);
  assert.match(await checkCard.locator('.output pre').innerText(), /✖ sum adds \(0\.9ms\)\n {2}AssertionError: -1 !== 5/);
  const checkNode = p.locator('.graph .node.check[data-key="0:3"]');
  await checkNode.waitFor();
  assert.match(await checkNode.locator('.node-sub').textContent(), /^fail · node --test/);
  await p.screenshot({ path: join(OUT, 'trace-webview-check.png'), fullPage: true });

  // Generate Inline: the panel's title is what the user typed, the context list names the file and
  // the lines around the cursor that went along, and the figures use the shared format.
  const inlineTask = 'Instruction: a function that clears the cart\n\nWrite the code to insert at <<<FUGU_CURSOR>>>, in the file src/cart.ts (typescript) (cut around the place):\n\nexport class Cart {';
  await p.evaluate((events) => {
    window.hostSend({ type: 'notification', method: 'trace/didStart', params: { runId: 'run-inline' } });
    window.hostSend({ type: 'notification', method: 'trace/events', params: { runId: 'run-inline', seq: 0, events } });
  }, [
    { ...events[0], id: 'run-inline', task: inlineTask, title: 'a function that clears the cart', policy: 'inline', context: ['src/cart.ts (lines 10–42 around the cursor)'] },
    { ...events[1], workflow: { model_id: [0, 1], subtasks: ['plan', 'code'], access_list: [[], ['all']] },
      steps: [step(0, 'gemini', 'google', 'planner', []), step(1, 'gpt', 'openai', 'coder', [0])] },
    { type: 'step-started', round: 0, index: 0, startMs: 5 },
    done(0, 'Empty the items array.', 700),
    { type: 'step-started', round: 0, index: 1, startMs: 710 },
    { ...done(1, 'this.items = [];', 1500), index: 1, usage: { inputTokens: 11_000, outputTokens: 1345 } },
    { type: 'run-finished', status: 'succeeded', error: null, errorKind: null, finalText: 'this.items = [];', usage: { inputTokens: 11_000, outputTokens: 1345 }, costUsd: 0.0542, calls: 2, wallMs: 1600 },
  ]);
  await p.locator('.run-title .task', { hasText: 'a function that clears the cart' }).waitFor();
  assert.equal(await p.locator('.run-title .task').innerText(), 'a function that clears the cart');
  assert.equal(await p.getByText('No context files sent.').count(), 0);
  await p.locator('.context summary', { hasText: 'Context sent: 1 file' }).click();
  assert.equal(await p.locator('.context li').innerText(), 'src/cart.ts (lines 10–42 around the cursor)');
  await p.locator('.task-sent summary').click();
  assert.match(await p.locator('.task-sent pre').innerText(), /^Instruction: a function that clears the cart/);
  assert.equal(await p.locator('[data-total="tokens"]').innerText(), '11k in / 1.3k out');
  assert.equal(await p.locator('.gauge[aria-label="Tokens"] .gauge-text').innerText(), '12.3k / 20k');
  assert.equal(await p.locator('[data-total="cost"]').innerText(), '$0.054');

  // A planner reading the workspace: each tool call is a row on its card, live, with its result as
  // text (a refusal in red with the reason); an opened result stays open while the step streams on.
  const toolRun = [
    { ...events[0], id: 'run-t', task: 'Make parsePrice accept commas' },
    { ...events[1], workflow: { model_id: [0, 1], subtasks: ['plan', 'code'], access_list: [[], ['all']] },
      steps: [step(0, 'claude', 'anthropic', 'planner', []), step(1, 'gpt', 'openai', 'coder', [0])] },
    { type: 'step-started', round: 0, index: 0, startMs: 5 },
    { type: 'step-tool-call', round: 0, index: 0, id: 't1', name: 'read_file', arguments: '{"path":"src/price.ts","startLine":1,"endLine":3}' },
    { type: 'step-tool-result', round: 0, index: 0, id: 't1', ok: true, result: 'src/price.ts, lines 1-3 of 3:\nexport function parsePrice(text: string): number {\n  return Number(text);\n}', truncated: false },
    { type: 'step-tool-call', round: 0, index: 0, id: 't2', name: 'read_file', arguments: '{"path":"../<img src=x onerror=alert(5)>"}' },
  ];
  await p.evaluate((events) => {
    window.hostSend({ type: 'notification', method: 'trace/didStart', params: { runId: 'run-t' } });
    window.hostSend({ type: 'notification', method: 'trace/events', params: { runId: 'run-t', seq: 0, events } });
  }, toolRun);
  const toolRows = p.locator('.card[data-key="0:0"] .tool-use');
  await toolRows.nth(1).waitFor();
  assert.equal(await toolRows.nth(0).locator('summary').innerText(), '✓ read_file src/price.ts:1-3');
  assert.match(await toolRows.nth(1).getAttribute('class'), /pending/);
  await toolRows.nth(0).locator('summary').click();
  assert.match(await toolRows.nth(0).locator('.tool-result').innerText(), /export function parsePrice\(text: string\): number \{/);
  await p.evaluate((seq) => window.hostSend({ type: 'notification', method: 'trace/events', params: { runId: 'run-t', seq, events: [
    { type: 'step-tool-result', round: 0, index: 0, id: 't2', ok: false, result: 'read_file refused: "../<img src=x onerror=alert(5)>" leaves the workspace.', truncated: false },
    { type: 'step-delta', round: 0, index: 0, text: 'Plan: strip commas.' },
  ] } }), toolRun.length);
  await p.locator('.card[data-key="0:0"] .tool-use.refused').waitFor();
  assert.equal(await toolRows.nth(1).locator('summary').innerText(), '✗ read_file ../<img src=x onerror=alert(5)>');
  await toolRows.nth(1).locator('summary').click();
  assert.match(await toolRows.nth(1).locator('.tool-result').innerText(), /leaves the workspace/);
  assert.equal(await p.locator('.tool-uses img').count(), 0, 'a tool result is text, never HTML');
  assert.equal(await toolRows.nth(0).locator('details').evaluate((d) => d.open), true, 'an opened result stays open while the step streams');
  await p.screenshot({ path: join(OUT, 'trace-webview-tools.png'), fullPage: true });

  // An agent client's tool loop: the run stopped for the client's tool, then continued with its result.
  // The same run again: the coder's first turn (its call and the result) folds into "Earlier turns".
  const firstTurnDoc = {
    version: 1, id: 'run-loop', task: 'What is the weather in Kyoto?', createdAt: new Date().toISOString(), status: 'succeeded', error: null, errorKind: null, policy: 'builtin',
    rounds: [{ index: 0, kind: 'initial', workflow: { model_id: [0, 1], subtasks: ['plan', 'answer'], access_list: [[], ['all']] },
      policy: { backend: 'builtin', rawAnswers: [], rejections: [], fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 },
      steps: [{ ...step(0, 'claude', 'anthropic', 'planner', []), status: 'succeeded', output: 'Ask the weather tool.', startMs: 0, endMs: 400, usage: { inputTokens: 900, outputTokens: 40 }, costUsd: 0.004 },
        { ...step(1, 'gpt', 'openai', 'coder', [0]), status: 'succeeded', output: 'Checking.', startMs: 410, endMs: 900, usage: { inputTokens: 1000, outputTokens: 30 }, costUsd: 0.003,
          toolCalls: [{ id: 'call_k', name: 'get_weather', arguments: '{"city":"Kyoto"}' }] }], note: null }],
    final: { text: 'Checking.', edits: [], toolCalls: [{ id: 'call_k', name: 'get_weather', arguments: '{"city":"Kyoto"}' }], check: null },
    usage: { inputTokens: 1900, outputTokens: 70 }, costUsd: 0.007, calls: 2, wallMs: 900, budget: { maxCalls: 10, maxTokens: 20000, maxCostUsd: 0.1 }, context: [],
  };
  await p.evaluate((events) => {
    window.hostSend({ type: 'notification', method: 'trace/didStart', params: { runId: 'run-loop' } });
    window.hostSend({ type: 'notification', method: 'trace/events', params: { runId: 'run-loop', seq: 0, events } });
  }, [
    { type: 'run-continued', trace: firstTurnDoc, round: 0, index: 1, results: [{ id: 'call_k', content: 'sunny, 21 C <img src=x onerror=alert(7)>', truncated: false }] },
    { type: 'round-note', round: 0, note: 'Turn 2: the client sent the results of get_weather; step 1 continues.' },
    { type: 'step-started', round: 0, index: 1, startMs: 5000 },
    { type: 'step-delta', round: 0, index: 1, text: 'It is sunny in Kyoto.' },
  ]);
  const loopCard = p.locator('.card[data-key="0:1"]');
  await loopCard.locator('.turn summary').waitFor();
  assert.equal(await loopCard.locator('.turn summary').innerText(), 'Turn 1: called get_weather · 1k in / 30 out · $0.0030');
  await loopCard.locator('.turn summary').click();
  assert.equal(await loopCard.locator('.turn .client-call code').innerText(), 'get_weather({"city":"Kyoto"})');
  assert.match(await loopCard.locator('.turn .client-call .tool-result').innerText(), /^sunny, 21 C <img src=x onerror=alert\(7\)>$/);
  assert.equal(await loopCard.locator('.turn img').count(), 0, 'a client’s result is text, never HTML');
  assert.match(await loopCard.locator('.output').innerText(), /It is sunny in Kyoto\./);
  assert.equal(await p.locator('.card[data-key="0:0"] .status').innerText(), '✓', 'the planner stays as it ran');
  assert.equal(await p.locator('.card[data-key="0:0"] .turns-box').isHidden(), true);
  assert.equal(await p.locator('[data-total="tokens"]').innerText(), '1.9k in / 70 out', 'the live totals count the earlier turn');
  assert.equal(await p.locator('.timeline .tl-turn').count(), 1, 'the earlier turn is a bar of its own on the timeline');
  assert.match(await p.locator('.timeline .tl-turn').getAttribute('title'), /^#1 gpt, turn 1: 490 ms$/);
  await p.screenshot({ path: join(OUT, 'trace-webview-turns.png'), fullPage: true });

  // History: the user's words, status, cost, age (exact time on hover) and the checks' verdict.
  const ago = (ms) => new Date(Date.now() - ms).toISOString();
  const history = [
    { id: 'run-inline', task: 'a function that clears the cart', createdAt: ago(3 * 60_000 + 10_000), status: 'succeeded', calls: 2, costUsd: 0.0542, wallMs: 1600, check: { verdict: 'passed', command: 'npm test --silent' } },
    { id: 'run-c', task: 'Add a sum function to src/sum.ts', createdAt: ago(2 * 3_600_000), status: 'failed', calls: 4, costUsd: 1.5, wallMs: 9000, check: { verdict: 'failed', command: 'npm test --silent' } },
    { id: 'run-e2e', task: 'Add a sum function to src/sum.ts', createdAt: ago(3 * 86_400_000), status: 'succeeded', calls: 3, costUsd: 0.054, wallMs: 5300 },
  ];
  await p.evaluate((history) => window.hostSend({ type: 'notification', method: 'trace/didChangeHistory', params: { history } }), history);
  const row = p.locator('.history-row[data-run="run-inline"]');
  await row.waitFor();
  assert.equal(await row.locator('.history-task').innerText(), 'a function that clears the cart');
  assert.equal(await row.locator('.badge').innerText(), 'succeeded');
  assert.equal(await row.locator('.history-cost').innerText(), '$0.054');
  assert.equal(await row.locator('.history-age').innerText(), '3 min ago');
  assert.equal(await row.locator('.history-age').getAttribute('title'), await p.evaluate((iso) => new Date(iso).toLocaleString(), history[0].createdAt));
  assert.equal(await row.locator('.check-verdict').innerText(), '✓ checks pass');
  assert.equal(await p.locator('.history-row[data-run="run-c"] .check-verdict').innerText(), '✗ checks fail');
  assert.equal(await p.locator('.history-row[data-run="run-c"] .history-age').innerText(), '2 h ago');
  assert.equal(await p.locator('.history-row[data-run="run-e2e"] .check-verdict').count(), 0, 'no verdict where no check ran');
  assert.equal(await p.locator('.history-row[data-run="run-e2e"] .history-age').innerText(), '3 days ago');
  await p.screenshot({ path: join(OUT, 'trace-webview-inline.png'), fullPage: true });

  // Narrow sidebars: the graph lays out top to bottom, every box and edge visible without sideways
  // scrolling. A conductor run with planners, a coder, the conductor seeing every step, then a correction.
  await p.evaluate((events) => {
    window.hostSend({ type: 'notification', method: 'trace/didStart', params: { runId: 'run-n' } });
    window.hostSend({ type: 'notification', method: 'trace/events', params: { runId: 'run-n', seq: 0, events } });
  }, [
    { ...events[0], id: 'run-n', task: 'Fix the cart total', policy: 'conductor' },
    { ...events[1], workflow: { model_id: [0, 1, 2, 3], subtasks: ['a', 'b', 'c', 'd'], access_list: [[], [], ['all'], ['all']] },
      steps: [step(0, 'gemini', 'google', 'planner', []), step(1, 'claude', 'anthropic', 'planner', []), step(2, 'gpt', 'openai', 'coder', [0, 1]), { ...conductor, access: [0, 1, 2] }] },
    ...[0, 1, 2].flatMap((i) => [{ type: 'step-started', round: 0, index: i, startMs: i * 500 }, done(i, `out ${i}`, i * 500 + 450)]),
    { type: 'step-started', round: 0, index: 3, startMs: 1500 },
    done(3, 'model_id = [2]', 1600),
    { ...events[1], round: 1, kind: 'corrective', workflow: { model_id: [2], subtasks: ['fix'], access_list: [[]] }, steps: [step(0, 'gpt', 'openai', 'coder', [])] },
    { type: 'step-started', round: 1, index: 0, startMs: 1700 },
  ]);
  await p.locator('.graph .node[data-key="1:0"]').waitFor();
  for (const width of [300, 400, 800]) {
    await p.setViewportSize({ width, height: 1000 });
    // The ResizeObserver redraws on the next frame.
    await p.waitForFunction((w) => {
      const g = document.querySelector('.graph');
      return window.innerWidth === w && g && Math.abs(Number(g.dataset.layoutWidth) - document.querySelector('.graph-wrap').clientWidth) <= 1;
    }, width);
    const fit = await p.evaluate(() => {
      const wrap = document.querySelector('.graph-wrap');
      const inside = (r) => r.left >= 0 && r.right <= window.innerWidth;
      const nodes = [...document.querySelectorAll('.graph .node')].map((n) => ({ key: n.dataset.key, ...n.getBoundingClientRect().toJSON() }));
      const edges = [...document.querySelectorAll('.graph .edge')].map((e) => e.getBoundingClientRect().toJSON());
      return { scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth, nodes, outside: [...nodes, ...edges].filter((r) => !inside(r)), edges: edges.length };
    });
    assert.ok(fit.scrollWidth <= fit.clientWidth, `${width} px: the graph scrolls sideways (${fit.scrollWidth} > ${fit.clientWidth})`);
    assert.deepEqual(fit.outside, [], `${width} px: every box and edge inside the viewport`);
    assert.equal(fit.nodes.length, 5);
    assert.equal(fit.edges, 5);
    const at = (key) => fit.nodes.find((n) => n.key === key);
    if (width < 800) {
      assert.ok(at('0:2').top >= at('0:1').bottom && at('0:3').top >= at('0:2').bottom, `${width} px: top to bottom`);
      if (width === 400) assert.equal(at('0:0').top, at('0:1').top, '400 px: the planners fit side by side');
      else assert.ok(at('0:1').top >= at('0:0').bottom, '300 px: the planners one below the other');
    } else {
      assert.ok(at('0:2').left >= at('0:0').right && at('0:2').top === at('0:0').top, '800 px: left to right, as before');
    }
    await p.screenshot({ path: join(OUT, `trace-webview-${width}.png`), fullPage: true });
  }

  // [verify] The check node in both layouts: after the coder that feeds it (below it in a narrow
  // sidebar, right of it in a wide panel), inside the viewport, with its verdict.
  for (const [i, width] of [300, 800].entries()) {
    await p.setViewportSize({ width, height: 1000 });
    const runId = `run-k${i + 2}`;
    await p.evaluate(({ runId, events }) => {
      window.hostSend({ type: 'notification', method: 'trace/didStart', params: { runId } });
      window.hostSend({ type: 'notification', method: 'trace/events', params: { runId, seq: 0, events } });
    }, { runId, events: checkEvents.map((e) => (e.type === 'run-started' ? { ...e, id: runId } : e)) });
    await p.locator('.graph .node.check[data-key="0:3"]').waitFor();
    await p.waitForFunction((w) => {
      const g = document.querySelector('.graph');
      return window.innerWidth === w && g && Math.abs(Number(g.dataset.layoutWidth) - document.querySelector('.graph-wrap').clientWidth) <= 1;
    }, width);
    const at = await p.evaluate(() => {
      const box = (key) => document.querySelector(`.graph .node[data-key="${key}"]`).getBoundingClientRect().toJSON();
      return { coder: box('0:2'), check: box('0:3'), sub: document.querySelector('.graph .node.check .node-sub').textContent };
    });
    if (width < 800) assert.ok(at.check.top >= at.coder.bottom, `${width} px: the check below the coder`);
    else assert.ok(at.check.left >= at.coder.right, `${width} px: the check right of the coder`);
    assert.ok(at.check.left >= 0 && at.check.right <= width, `${width} px: the check node inside the viewport`);
    assert.match(at.sub, /^fail · node --test/);
    await p.screenshot({ path: join(OUT, `trace-webview-check-${width}.png`), fullPage: true });
  }

  assert.equal(await p.evaluate(() => window.xssFired), false);
  assert.deepEqual(errors, [], 'no page errors or CSP violations');
  console.log(`[trace-webview] passed; screenshot in ${join(OUT, 'trace-webview.png')}`);
} finally {
  await close();
  server.close();
}
