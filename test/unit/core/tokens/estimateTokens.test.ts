import assert from 'node:assert/strict';
import { BudgetTracker } from '../../../../src/core/budget';
import { CHARS_PER_TOKEN, countBasis, estimateInputTokens, estimateTextTokens, hasTokenizer, o200kCounter } from '../../../../src/core/tokens/estimateTokens';

const gpt = { provider: 'openai' as const, model: 'gpt-5' };
const claude = { provider: 'anthropic' as const, model: 'claude-sonnet-4' };

describe('core/tokens: input tokens before a call', () => {
  it('counts OpenAI models with o200k_base and bounds the others by characters', async () => {
    assert.equal(hasTokenizer(gpt), true);
    assert.equal(hasTokenizer({ provider: 'openai', model: 'o4-mini' }), true);
    assert.equal(hasTokenizer({ provider: 'openai-compatible', model: 'gpt-5' }), false, 'a local server may run any tokenizer');
    assert.equal(hasTokenizer(claude), false);
    assert.deepEqual(await estimateTextTokens(gpt, 'hello world'), { tokens: 2, by: 'tokenizer' });
    const code = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n'.repeat(50);
    const exact = (await estimateTextTokens(gpt, code)).tokens;
    assert.ok(exact > 0 && exact < code.length / 2, `o200k counts ${exact} tokens for ${code.length} characters`);
    assert.deepEqual(await estimateTextTokens(claude, code), { tokens: Math.ceil(code.length / CHARS_PER_TOKEN), by: 'characters' });
    assert.ok(Math.ceil(code.length / CHARS_PER_TOKEN) > exact, 'the characters bound counts more than the tokenizer');
  });

  it('takes the byte length when it is enough, without tokenizing', async () => {
    const text = 'é'.repeat(1000); // 2000 bytes
    assert.equal((await estimateTextTokens(gpt, text, (t) => t <= 5000)).tokens, 2000);
    const exact = (await estimateTextTokens(gpt, text, (t) => t <= 10)).tokens;
    assert.ok(exact < 2000, 'a bound that is not enough is replaced by the count');
  });

  it('counts a request’s turns, tool calls and tool schemas, with framing per message', async () => {
    const { tokens: bare } = await estimateInputTokens(claude, { messages: [{ role: 'user', content: 'x'.repeat(300) }] });
    const { tokens: withTools } = await estimateInputTokens(claude, {
      messages: [{ role: 'user', content: 'x'.repeat(300) }, { role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 'shell', arguments: '{"cmd":"ls"}' }] }],
      tools: [{ name: 'shell', parameters: { type: 'object', properties: { cmd: { type: 'string' } } } }],
    });
    assert.ok(bare >= 100 && bare < 120, String(bare));
    assert.ok(withTools > bare + 20, `${withTools} > ${bare} + the call and the schema`);
  });

  describe('when the o200k tokenizer cannot be loaded', () => {
    const text = 'export const answer = 42;\n'.repeat(20);
    const absent = () => Promise.reject(Object.assign(new Error("Cannot find module './tokenizer-o200k.js'"), { code: 'MODULE_NOT_FOUND' }));

    it('not installed (the .vsix leaves it out): counts by characters, and the count says so', async () => {
      const counter = () => o200kCounter(absent);
      assert.equal(await counter(), null);
      const count = await estimateTextTokens(gpt, text, undefined, counter);
      assert.deepEqual(count, { tokens: Math.ceil(text.length / CHARS_PER_TOKEN), by: 'characters' });
      assert.equal(countBasis(count), 'by characters: no tokenizer');
      assert.equal(countBasis(await estimateTextTokens(gpt, text)), '', 'a tokenizer\'s count needs no word');
    });

    it('any other failure (a damaged bundle, a missing piece inside it) is an error, not a quiet fallback', async () => {
      const damaged = () => Promise.reject(new SyntaxError('Unexpected token in tokenizer-o200k.js'));
      await assert.rejects(estimateTextTokens(gpt, text, undefined, () => o200kCounter(damaged)), SyntaxError);
      const inner = () => Promise.reject(Object.assign(new Error("Cannot find module './ranks.json'"), { code: 'MODULE_NOT_FOUND' }));
      await assert.rejects(estimateTextTokens(gpt, text, undefined, () => o200kCounter(inner)), /ranks\.json/);
    });

    it('a budget refusal from such a count says it was counted by characters', async () => {
      const b = new BudgetTracker({ maxCalls: 10, maxTokens: 50, maxCostUsd: 1 });
      const count = await estimateTextTokens(gpt, text, undefined, () => o200kCounter(absent));
      assert.match(b.admit({}, count.tokens, 0, countBasis(count)) ?? '', /^the call's estimated \d+ tokens \(by characters: no tokenizer\) would take the run to \d+ of its 50-token budget$/);
    });
  });
});
