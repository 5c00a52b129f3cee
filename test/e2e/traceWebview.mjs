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
    const result = m.method === 'trace/get-state' ? { history: [], run: null }
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
const done = (index, output, endMs) => ({ type: 'step-finished', round: 0, index, status: 'succeeded', output, usage: { inputTokens: 1200, outputTokens: 340 }, costUsd: 0.012, endMs, retries: 0, error: null });
const HOSTILE = 'Plan:\n\n<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[x](javascript:alert(3))\n\n```ts\nexport const sum = (a: number, b: number) => a + b;\n```';

const events = [
  { type: 'run-started', id: 'run-e2e', task: 'Add a sum function to src/sum.ts', createdAt: new Date().toISOString(), policy: 'builtin', budget: { maxCalls: 10, maxTokens: 20000, maxCostUsd: 0.1 }, context: ['src/sum.ts'] },
  { type: 'round-started', round: 0, kind: 'initial', workflow: { model_id: [0, 1, 2], subtasks: ['a', 'b', 'c'], access_list: [[], [], ['all']] },
    policy: { backend: 'builtin', rawAnswers: [], rejections: [], fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 },
    steps: [step(0, 'gemini', 'google', 'planner', []), step(1, 'claude', 'anthropic', 'planner', []), step(2, 'gpt', 'openai', 'coder', [0, 1])] },
  { type: 'step-started', round: 0, index: 0, startMs: 40 },
  { type: 'step-started', round: 0, index: 1, startMs: 45 },
  done(0, HOSTILE, 1800),
  done(1, 'Claude plan: **add** `sum`.', 2600),
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
    return { total, maxGap: Math.max(...gaps), frames: gaps.length, hasLast: text.includes('token9999'), length: text.length };
  });
  console.log(`[trace-webview] 10,000 deltas: ${stats.total.toFixed(0)} ms, ${stats.frames} frames, longest frame gap ${stats.maxGap.toFixed(0)} ms`);
  assert.ok(stats.hasLast, 'the last delta is on screen');
  assert.ok(stats.maxGap < 250, `the view froze for ${stats.maxGap} ms`);

  await p.evaluate(() => window.hostSend({ type: 'notification', method: 'trace/events', params: { runId: 'run-e2e', seq: 10_007, events: [
    { type: 'step-finished', round: 0, index: 2, status: 'succeeded', output: 'src/sum.ts\n```ts\nexport const sum = (a: number, b: number) => a + b;\n```', usage: { inputTokens: 2400, outputTokens: 900 }, costUsd: 0.03, endMs: 5200, retries: 0, error: null },
    { type: 'edits', edits: [{ path: 'src/sum.ts', status: 'proposed', reason: null, action: 'modify', blocks: 1, diff: '--- a/src/sum.ts\n+++ b/src/sum.ts\n@@ -1 +1 @@\n-export {};\n+export const sum = (a: number, b: number) => a + b;' }] },
    { type: 'run-finished', status: 'succeeded', error: null, finalText: 'Added `sum`.', usage: { inputTokens: 4800, outputTokens: 1580 }, costUsd: 0.054, calls: 3, wallMs: 5300 },
  ] } }));
  await p.evaluate(() => window.hostSend({ type: 'notification', method: 'edits/didChangeReview', params: { runId: 'run-e2e', reviewable: ['src/sum.ts'] } }));
  await p.locator('.card[data-key="0:2"] .output pre code').waitFor();
  assert.equal(await p.locator('[data-total="calls"]').innerText(), '3');
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
  await p.evaluate((events) => {
    window.hostSend({ type: 'notification', method: 'trace/didStart', params: { runId: 'run-k' } });
    window.hostSend({ type: 'notification', method: 'trace/events', params: { runId: 'run-k', seq: 0, events } });
  }, [
    { ...events[0], id: 'run-k' },
    events[1],
    { type: 'step-started', round: 0, index: 2, startMs: 10 },
    done(2, 'src/sum.ts\n```ts\nexport const sum = (a, b) => a - b;\n```', 900),
    { type: 'check-started', round: 0, step: { ...checkStep, status: 'running', startMs: 900 } },
    { type: 'check-finished', round: 0, index: 3, endMs: 1400, rounds: 0, check: {
      command: 'node --test', outcome: 'failed', passed: false, exitCode: 1, durationMs: 500, reason: null,
      outputTail: '✖ sum adds (0.9ms)\n  AssertionError: -1 !== 5\n# fail 1',
      baseline: { outcome: 'passed', exitCode: 0, durationMs: 480, outputTail: '# pass 1', reason: null } } },
  ]);
  const checkCard = p.locator('.card[data-key="0:3"]');
  await checkCard.locator('.check-badge[data-outcome="failed"]', { hasText: 'fail' }).waitFor();
  assert.match(await checkCard.locator('.card-meta').first().innerText(), /exit 1 · .* · before the edits: pass · no model, no tokens/);
  assert.match(await checkCard.locator('.output pre').innerText(), /✖ sum adds \(0\.9ms\)\n  AssertionError: -1 !== 5/);
  const checkNode = p.locator('.graph .node.check[data-key="0:3"]');
  await checkNode.waitFor();
  assert.match(await checkNode.locator('.node-sub').textContent(), /^fail · node --test/);
  await p.screenshot({ path: join(OUT, 'trace-webview-check.png'), fullPage: true });

  assert.equal(await p.evaluate(() => window.xssFired), false);
  assert.deepEqual(errors, [], 'no page errors or CSP violations');
  console.log(`[trace-webview] passed; screenshot in ${join(OUT, 'trace-webview.png')}`);
} finally {
  await close();
  server.close();
}
