import assert from 'node:assert/strict';
import { CHARS_PER_TOKEN, estimateInputTokens, estimateTextTokens, hasTokenizer } from '../../../../src/core/tokens/estimateTokens';

const gpt = { provider: 'openai' as const, model: 'gpt-5' };
const claude = { provider: 'anthropic' as const, model: 'claude-sonnet-4' };

describe('core/tokens: input tokens before a call', () => {
  it('counts OpenAI models with o200k_base and bounds the others by characters', async () => {
    assert.equal(hasTokenizer(gpt), true);
    assert.equal(hasTokenizer({ provider: 'openai', model: 'o4-mini' }), true);
    assert.equal(hasTokenizer({ provider: 'openai-compatible', model: 'gpt-5' }), false, 'a local server may run any tokenizer');
    assert.equal(hasTokenizer(claude), false);
    assert.equal(await estimateTextTokens(gpt, 'hello world'), 2);
    const code = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n'.repeat(50);
    const exact = await estimateTextTokens(gpt, code);
    assert.ok(exact > 0 && exact < code.length / 2, `o200k counts ${exact} tokens for ${code.length} characters`);
    assert.equal(await estimateTextTokens(claude, code), Math.ceil(code.length / CHARS_PER_TOKEN));
    assert.ok(Math.ceil(code.length / CHARS_PER_TOKEN) > exact, 'the characters bound counts more than the tokenizer');
  });

  it('takes the byte length when it is enough, without tokenizing', async () => {
    const text = 'é'.repeat(1000); // 2000 bytes
    assert.equal(await estimateTextTokens(gpt, text, (t) => t <= 5000), 2000);
    const exact = await estimateTextTokens(gpt, text, (t) => t <= 10);
    assert.ok(exact < 2000, 'a bound that is not enough is replaced by the count');
  });

  it('counts a request’s turns, tool calls and tool schemas, with framing per message', async () => {
    const bare = await estimateInputTokens(claude, { messages: [{ role: 'user', content: 'x'.repeat(300) }] });
    const withTools = await estimateInputTokens(claude, {
      messages: [{ role: 'user', content: 'x'.repeat(300) }, { role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 'shell', arguments: '{"cmd":"ls"}' }] }],
      tools: [{ name: 'shell', parameters: { type: 'object', properties: { cmd: { type: 'string' } } } }],
    });
    assert.ok(bare >= 100 && bare < 120, String(bare));
    assert.ok(withTools > bare + 20, `${withTools} > ${bare} + the call and the schema`);
  });
});
