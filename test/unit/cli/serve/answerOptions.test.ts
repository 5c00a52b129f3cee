// Structured output and images: honoured by the worker that answers, or refused up front naming it.
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import type { RunningServer } from '../../../../src/cli/serve/startServer';
import { reply } from '../../../fakes';
import { useFakes } from '../../../support/suiteFakes';
import { poolFor } from '../../../support/pool';
import { codingTask, serveConfigFor, startFor } from '../../../support/serve';

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==';

describe('fugu serve: response formats and images reach the answering worker, or get a 400 naming it', () => {
  const fakes = useFakes({ beforeClose: () => server.close(0) });
  let server: RunningServer;
  let client: OpenAI;

  before(async () => {
    const [gemini, claude, gpt] = poolFor(fakes);
    ({ server, client } = await startFor(
      serveConfigFor(fakes, {
        profiles: {
          fugu: { maxRecursion: 0, maxSteps: 3 },
          // A local server answers: no images; Claude answers: its JSON form is a forced tool.
          'fugu-local': { maxRecursion: 0, workers: [gemini, { ...gpt, id: 'local', provider: 'openai-compatible', model: 'llama' }] },
          'fugu-claude': { maxRecursion: 0, workers: [gemini, { ...claude, role: 'coder' }] },
        },
      }),
    ));
  });
  beforeEach(() => {
    fakes.all.forEach((f) => f.setDefault(() => reply.text('{"ok": true}')));
  });

  const withImage = (text: string): OpenAI.ChatCompletionMessageParam[] => [
    { role: 'user', content: [{ type: 'text', text }, { type: 'image_url', image_url: { url: PNG } }] },
  ];

  it('an image part reaches every worker whose provider takes images', async () => {
    const r = await client.chat.completions.create({ model: 'fugu', messages: withImage(codingTask('tok-img')) });
    assert.equal(r.choices[0].message.content, '{"ok": true}');
    assert.deepEqual(fakes.gemini.lastRequest!.images, ['image/png']);
    assert.deepEqual(fakes.anthropic.lastRequest!.images, ['image/png']);
    assert.deepEqual(fakes.openai.lastRequest!.images, [PNG]);
  });

  it('an image for an answering worker that cannot take images is a 400 naming it, before any call', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'fugu-local', messages: withImage(codingTask('tok-img2')) }),
      (e: unknown) => e instanceof OpenAI.APIError && e.status === 400 && /Worker 'local' \(openai-compatible\).*cannot take images/.test(e.message),
    );
    assert.equal(fakes.all.reduce((n, f) => n + f.requests.length, 0), 0);
  });

  it('a json_schema format goes to Claude as a forced tool, and the answer is its JSON', async () => {
    fakes.anthropic.setDefault((req) => (req.tools.length ? reply.toolCalls([{ name: 'json_answer', arguments: { ok: true } }]) : reply.text('plan')));
    const r = await client.responses.create({
      model: 'fugu-claude',
      input: codingTask('tok-claude-json'),
      text: { format: { type: 'json_schema', name: 'verdict', schema: { type: 'object', properties: { ok: { type: 'boolean' } } } } },
    });
    assert.deepEqual(JSON.parse(r.output_text), { ok: true });
    assert.deepEqual(fakes.anthropic.lastRequest!.body.tool_choice, { type: 'tool', name: 'json_answer' });
  });

  it('a format together with tools for Claude as the answerer is a 400 naming it', async () => {
    await assert.rejects(
      client.chat.completions.create({
        model: 'fugu-claude',
        messages: [{ role: 'user', content: codingTask('tok-claude-both') }],
        response_format: { type: 'json_object' },
        tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      }),
      (e: unknown) => e instanceof OpenAI.APIError && e.status === 400 && /Worker 'claude' \(anthropic\)/.test(e.message) && e.param === 'response_format',
    );
  });

  it('a client\'s cap on the answer (max_tokens, max_output_tokens) reaches the answering worker only, and a bad one is a 400 naming it', async () => {
    const coderCap = () => fakes.openai.requests.at(-1)!.body.max_completion_tokens;
    await client.chat.completions.create({ model: 'fugu', messages: [{ role: 'user', content: codingTask('tok-cap1') }], max_tokens: 7 });
    assert.equal(coderCap(), 7);
    assert.notEqual(fakes.anthropic.requests.at(-1)!.body.max_tokens, 7, 'a planner keeps its own limit');
    await client.chat.completions.create({ model: 'fugu', messages: [{ role: 'user', content: codingTask('tok-cap2') }], max_completion_tokens: 9 });
    assert.equal(coderCap(), 9);
    await client.responses.create({ model: 'fugu', input: codingTask('tok-cap3'), max_output_tokens: 11 });
    assert.equal(coderCap(), 11);
    const before = fakes.all.reduce((n, f) => n + f.requests.length, 0);
    await assert.rejects(
      client.chat.completions.create({ model: 'fugu', messages: [{ role: 'user', content: codingTask('tok-cap4') }], max_tokens: 0 }),
      (e: unknown) => e instanceof OpenAI.APIError && e.status === 400 && e.param === 'max_tokens',
    );
    assert.equal(fakes.all.reduce((n, f) => n + f.requests.length, 0), before, 'refused before any call');
  });
});
