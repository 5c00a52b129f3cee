// useFakes: the hooks it registers own the fakes' lifetime for one describe block.
import assert from 'node:assert/strict';
import { reply, type FakeSet } from '../../fakes';
import { useFakes } from '../../support/suiteFakes';

describe('useFakes', () => {
  const order: string[] = [];
  let view: FakeSet | undefined;
  let url = '';
  const ask = async (): Promise<string> => {
    const res = await fetch(`${url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer k' }, body: '{"model":"m","messages":[{"role":"user","content":"hi"}]}' });
    return ((await res.json()) as { choices: { message: { content: string } }[] }).choices[0].message.content;
  };

  describe('inside its describe block', () => {
    const fakes = useFakes({
      beforeClose: async () => {
        // The fakes still answer here: a server using them can stop first.
        const res = await fetch(`${url}/models`, { headers: { authorization: 'Bearer k' } });
        order.push(`beforeClose saw the fakes answer ${res.status}`);
      },
    });
    view = fakes;

    it('the view reads the running fakes', async () => {
      url = fakes.openai.url;
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      assert.deepEqual(fakes.all, [fakes.openai, fakes.anthropic, fakes.gemini]);
      fakes.openai.enqueue(reply.text('one'), reply.text('left over'));
      assert.equal(await ask(), 'one');
      assert.equal(fakes.openai.requests.length, 1);
    });

    it('each test starts with no requests and no scripted replies from the one before', async () => {
      assert.equal(fakes.openai.requests.length, 0);
      fakes.openai.setDefault(() => reply.text('default'));
      assert.equal(await ask(), 'default');
    });
  });

  // Mocha runs a suite's own tests before its child suites: this check is a later sibling.
  describe('after its describe block', () => {
    it('beforeClose ran while the fakes still answered, then they closed, and the view says where it works', async () => {
      assert.equal(order.length, 1);
      assert.match(order[0], /^beforeClose saw the fakes answer \d{3}$/);
      await assert.rejects(fetch(`${url}/models`), /fetch failed/);
      assert.throws(() => view!.openai, /only inside the describe block that called useFakes/);
    });
  });
});
