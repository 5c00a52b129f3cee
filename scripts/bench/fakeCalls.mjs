// Calls against the provider fakes: the worker pool the bench uses, and raw fetches in each
// provider's wire format (the floor any SDK call is compared with).
export const BENCH_KEY = 'bench-key-not-secret-0123456789';

export function poolFor(fakes) {
  return [
    { id: 'gemini', provider: 'google', model: 'gemini-2.5-pro', baseUrl: fakes.gemini.url, role: 'planner' },
    { id: 'claude', provider: 'anthropic', model: 'claude-sonnet-4', baseUrl: fakes.anthropic.url, role: 'planner' },
    { id: 'gpt', provider: 'openai', model: 'gpt-5', baseUrl: fakes.openai.url, role: 'coder' },
  ];
}

function rawRequest(fakes, provider) {
  const messages = [{ role: 'user', content: 'Say ok.' }];
  if (provider === 'openai') {
    return [`${fakes.openai.url}/chat/completions`, { authorization: `Bearer ${BENCH_KEY}` }, { model: 'gpt-5', stream: true, stream_options: { include_usage: true }, messages }];
  }
  if (provider === 'anthropic') {
    return [`${fakes.anthropic.origin}/v1/messages`, { 'x-api-key': BENCH_KEY, 'anthropic-version': '2023-06-01' }, { model: 'claude-sonnet-4', max_tokens: 1024, stream: true, messages }];
  }
  return [
    `${fakes.gemini.origin}/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse`,
    { 'x-goog-api-key': BENCH_KEY },
    { contents: [{ role: 'user', parts: [{ text: 'Say ok.' }] }] },
  ];
}

/** Wall time of one streamed call by plain fetch, body read to the end. */
export async function rawStreamMs(fakes, provider) {
  const [url, headers, body] = rawRequest(fakes, provider);
  const t0 = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200 || !text) throw new Error(`raw ${provider} call: HTTP ${res.status}`);
  return ms;
}
