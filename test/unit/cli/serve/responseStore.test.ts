// Responses kept for previous_response_id / item_reference: memory first, then (with server.traceDir)
// one JSON file per response, bounded, shared by every instance on the folder. A bad file or an unsafe
// id is a miss, which the request turns into a 400 naming the reference, never a 500.
import assert from 'node:assert/strict';
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonFolder } from '../../../../src/core/jsonFolder';
import type { ChatMessage } from '../../../../src/core/workers/types';
import { responseId, responseOfItem } from '../../../../src/cli/serve/responsesApi';
import { parseResponsesRequest, recallReferences } from '../../../../src/cli/serve/responsesRequest';
import { ResponseStore } from '../../../../src/cli/serve/responseStore';
import { ApiError } from '../../../../src/cli/serve/apiError';
import { tempDir } from '../../../support/tempDir';

const RUN = '0b7e1c52-5d1a-4c0e-9d8e-3f2a1b4c5d6e';
const HEX = RUN.replace(/-/g, '');
const call = { id: 'call_1', name: 'get_weather', arguments: '{"city":"Kyoto"}' };
const turns: ChatMessage[] = [
  { role: 'user', content: 'Weather in Kyoto?' },
  { role: 'assistant', content: '', toolCalls: [call] },
];
const items: Record<string, ChatMessage> = { [`fc_${HEX}_0`]: { role: 'assistant', content: '', toolCalls: [call] } };

describe('fugu serve: responses kept in server.traceDir', () => {
  const storeOn = async (dir: string, memory = 0, maxFiles = 100) => {
    const folder = new JsonFolder(dir, maxFiles);
    await folder.open();
    return new ResponseStore(memory, responseOfItem, folder);
  };

  it('output item ids name their response; anything else names none', () => {
    assert.equal(responseOfItem(`fc_${HEX}_0`), responseId(RUN));
    assert.equal(responseOfItem(`msg_${HEX}`), responseId(RUN));
    assert.equal(responseOfItem(`ctc_${HEX}_3`), responseId(RUN));
    for (const other of ['../x', `fc_${HEX}_0/..`, `msg_${HEX}x`, 'constructor', '__proto__']) assert.equal(responseOfItem(other), undefined, other);
  });

  it('a response kept by one store is found by another on the same folder, with its items', async () => {
    const dir = tempDir('fugu-resp-');
    const a = await storeOn(dir, 8);
    const b = await storeOn(dir, 8);
    await a.add(responseId(RUN), turns, items);
    assert.deepEqual(await b.turns(responseId(RUN)), turns);
    assert.deepEqual(await b.item(`fc_${HEX}_0`), items[`fc_${HEX}_0`]);
    assert.equal(await b.item(`fc_${HEX}_1`), undefined, 'an item the response did not have');
    assert.equal(await b.item(`msg_${'f'.repeat(32)}`), undefined, 'an item of a response never kept');
    assert.deepEqual(readdirSync(dir), [`${responseId(RUN)}.json`], 'one file, no temporary file left');
  });

  it('a request that refers to them parses against what another store kept', async () => {
    const dir = tempDir('fugu-resp-');
    await (await storeOn(dir)).add(responseId(RUN), turns, items);
    const other = await storeOn(dir);
    const body = { model: 'fugu', previous_response_id: responseId(RUN), input: [{ type: 'function_call_output', call_id: 'call_1', output: 'sunny' }] };
    const request = parseResponsesRequest(body, await recallReferences(body, other));
    assert.deepEqual(request.conversation.turns, [...turns, { role: 'tool', toolCallId: 'call_1', content: 'sunny' }]);
    const byItem = { model: 'fugu', input: [{ role: 'user', content: 'Weather in Kyoto?' }, { type: 'item_reference', id: `fc_${HEX}_0` }, { type: 'function_call_output', call_id: 'call_1', output: 'sunny' }] };
    assert.deepEqual(parseResponsesRequest(byItem, await recallReferences(byItem, other)).conversation.turns, request.conversation.turns);
  });

  it('the folder keeps the newest responses only; memory keeps its own bound', async () => {
    const dir = tempDir('fugu-resp-');
    const store = await storeOn(dir, 1, 2);
    const ids = ['1', '2', '3'].map((d) => responseId(RUN.replace(/^0/, d)));
    for (const [n, id] of ids.entries()) {
      await store.add(id, turns, {});
      utimesSync(join(dir, `${id}.json`), n + 1, n + 1);
    }
    assert.deepEqual(readdirSync(dir).sort(), [`${ids[1]}.json`, `${ids[2]}.json`].sort());
    assert.equal(await store.turns(ids[0]), undefined, 'gone from memory (bound 1) and from the folder (bound 2)');
    assert.deepEqual(await store.turns(ids[1]), turns, 'read back from the folder');
  });

  it('a file that is unreadable or not a kept response is a miss, and the request a 400 naming it', async () => {
    const dir = tempDir('fugu-resp-');
    const store = await storeOn(dir);
    const bad = {
      resp_truncated: '{"turns":[{"role":"user","content":"hi"}',
      resp_badrole: JSON.stringify({ turns: [{ role: 'wizard', content: 'hi' }], items: {} }),
      resp_noitems: JSON.stringify({ turns }),
      resp_null: 'null',
    };
    for (const [name, text] of Object.entries(bad)) writeFileSync(join(dir, `${name}.json`), text);
    for (const name of Object.keys(bad)) {
      assert.equal(await store.turns(name), undefined, name);
      const body = { model: 'fugu', previous_response_id: name, input: 'next' };
      const memory = await recallReferences(body, store);
      assert.throws(
        () => parseResponsesRequest(body, memory),
        (e: unknown) => e instanceof ApiError && e.status === 400 && e.code === 'previous_response_not_found' && e.message.includes(name),
      );
    }
  });

  it('an id that is not a safe file name never touches the disk', async () => {
    const root = tempDir('fugu-resp-');
    const dir = join(root, 'responses');
    const store = await storeOn(dir);
    writeFileSync(join(root, 'planted.json'), JSON.stringify({ turns, items: {} }));
    for (const id of ['../planted', '..', '', 'a/b', '.hidden', 'x'.repeat(500)]) {
      await store.add(id, turns, {});
      assert.equal(await store.turns(id), undefined, `'${id.slice(0, 20)}' is a miss`);
      assert.equal(await store.item(id), undefined);
    }
    assert.deepEqual(readdirSync(dir), [], 'nothing written in the folder');
    assert.deepEqual(readdirSync(root).sort(), ['planted.json', 'responses']);
  });

  it('without a folder, memory alone answers (the default)', async () => {
    const store = new ResponseStore(2, responseOfItem);
    await store.add(responseId(RUN), turns, items);
    assert.deepEqual(await store.turns(responseId(RUN)), turns);
    assert.deepEqual(await store.item(`fc_${HEX}_0`), items[`fc_${HEX}_0`]);
    assert.equal(await store.turns('resp_other'), undefined);
  });
});
