import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIAS } from '../../../../../src/core/policies/learned/features';
import type { Outcome } from '../../../../../src/core/policies/learned/model';
import { MAX_OUTCOMES, OutcomeStore, appendOutcomes, defaultOutcomeLogPath, readOutcomeLog } from '../../../../../src/core/policies/learned/outcomeLog';
import { configWith, standardPool } from '../../../../support/pool';
import { tempDir } from '../../../../support/tempDir';

const outcome = (i: number, c = 'single(gpt)'): Outcome => ({ f: [i % 4000, BIAS], c, r: i % 2, cost: 0.002, ms: 1500 });

describe('learned outcome log', () => {
  it('appends outcomes as JSON lines of features, candidate, reward, cost and time, and reads them back', async () => {
    const path = join(tempDir('fugu-outcomes-'), 'sub', 'outcomes.jsonl');
    await appendOutcomes(path, [outcome(1), outcome(2, 'planned(gemini→gpt)')]);
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(Object.keys(lines[0]).sort(), ['c', 'cost', 'f', 'ms', 'r', 't']);
    const { outcomes, skipped } = await readOutcomeLog(path);
    assert.deepEqual(outcomes, [outcome(1), outcome(2, 'planned(gemini→gpt)')]);
    assert.deepEqual(skipped, []);
  });

  it('a missing log is empty', async () => {
    assert.deepEqual(await readOutcomeLog(join(tempDir('fugu-outcomes-'), 'none.jsonl')), { outcomes: [], skipped: [] });
  });

  it('skips a corrupt line and reports it by number and reason; the others still count', async () => {
    const path = join(tempDir('fugu-outcomes-'), 'outcomes.jsonl');
    await appendOutcomes(path, [outcome(1)]);
    appendFileSync(path, '{"f":[1,2],"c":"single(gpt)","r":0.5,"co\n');
    appendFileSync(path, '{"f":[1],"c":"single(gpt)","r":7}\n');
    await appendOutcomes(path, [outcome(3)]);
    const { outcomes, skipped } = await readOutcomeLog(path);
    assert.equal(outcomes.length, 2);
    assert.deepEqual(skipped, [{ line: 2, reason: 'not JSON' }, { line: 3, reason: '"r" (the reward) is not a number from 0 to 1' }]);
    const problems: string[] = [];
    const store = new OutcomeStore(path, (m) => problems.push(m));
    assert.equal((await store.model(configWith(standardPool()))).count, 2);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /skipped 2 lines of .*outcomes\.jsonl.*line 2: not JSON; line 3/);
  });

  it(`is bounded: past the limit it keeps the newest ${MAX_OUTCOMES}`, async () => {
    const path = join(tempDir('fugu-outcomes-'), 'outcomes.jsonl');
    await appendOutcomes(path, Array.from({ length: 11_999 }, (_, i) => outcome(i)));
    assert.equal(readFileSync(path, 'utf8').trim().split('\n').length, 11_999);
    await appendOutcomes(path, [outcome(20_000), outcome(20_001)]);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    assert.equal(lines.length, MAX_OUTCOMES);
    assert.deepEqual(JSON.parse(lines[lines.length - 1]).f, [20_001 % 4000, BIAS]);
    assert.deepEqual(JSON.parse(lines[0]).f, [(11_999 + 2 - MAX_OUTCOMES) % 4000, BIAS]);
  });

  it('the store teaches its fitted model as outcomes are recorded, and forgets on reset', async () => {
    const path = join(tempDir('fugu-outcomes-'), 'outcomes.jsonl');
    const config = configWith(standardPool());
    const store = new OutcomeStore(path);
    const model = await store.model(config);
    assert.equal(model.count, 0);
    assert.equal(await store.record(outcome(1), config), true);
    assert.equal(model.count, 1);
    assert.equal((await new OutcomeStore(path).model(config)).count, 1, 'a new process refits it from the log');
    await store.reset();
    assert.equal((await store.model(config)).count, 0);
  });

  it('a correction replaces the earlier outcome of the same run (the last line with an id counts), in reading, refitting and compacting', async () => {
    const path = join(tempDir('fugu-outcomes-'), 'outcomes.jsonl');
    const config = configWith(standardPool());
    const store = new OutcomeStore(path);
    await store.record({ ...outcome(1), r: 1, id: 'run-a' }, config);
    await store.record(outcome(2), config);
    const before = await store.model(config);
    assert.equal(before.count, 2);
    assert.equal(await store.correct({ ...outcome(1), r: 0, id: 'run-a' }), true);
    const { outcomes } = await readOutcomeLog(path);
    assert.deepEqual(outcomes.map((o) => [o.id, o.r]), [[undefined, 0], ['run-a', 0]], 'one outcome for run-a: the correction, at its place');
    assert.equal(readFileSync(path, 'utf8').trim().split('\n').length, 3, 'the log stays append-only');
    assert.equal((await store.model(config)).count, 2, 'refit: the accept is not counted beside its correction');
    // A corrupt line elsewhere takes the line-by-line path: the same rule holds there.
    appendFileSync(path, 'junk\n');
    assert.deepEqual((await readOutcomeLog(path)).outcomes.map((o) => [o.id, o.r]), [[undefined, 0], ['run-a', 0]]);
    // An id that is not a run id is not an outcome.
    writeFileSync(path, `${JSON.stringify({ ...outcome(1), id: 7 })}\n`);
    assert.deepEqual((await readOutcomeLog(path)).skipped, [{ line: 1, reason: '"id" is not a run id' }]);
  });

  it('compaction keeps one line per corrected run', async () => {
    const path = join(tempDir('fugu-outcomes-'), 'outcomes.jsonl');
    await appendOutcomes(path, [{ ...outcome(1), id: 'run-a' }, ...Array.from({ length: 11_998 }, (_, i) => outcome(i)), { ...outcome(1), r: 0, id: 'run-a' }]);
    await appendOutcomes(path, [outcome(5)]);
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.filter((l) => l.id === 'run-a').length, 1);
    assert.equal(lines.find((l) => l.id === 'run-a').r, 0);
  });

  it('a failed write is reported, not thrown', async () => {
    const dir = tempDir('fugu-outcomes-');
    writeFileSync(join(dir, 'file'), 'not a folder');
    const problems: string[] = [];
    const store = new OutcomeStore(join(dir, 'file', 'outcomes.jsonl'), (m) => problems.push(m));
    assert.equal(await store.record(outcome(1), configWith(standardPool())), false);
    assert.match(problems[0], /could not record an outcome/);
  });

  it("lives in the user's config folder: $FUGU_OUTCOME_LOG, else $XDG_CONFIG_HOME/fugu, else ~/.config/fugu", () => {
    assert.equal(defaultOutcomeLogPath({ FUGU_OUTCOME_LOG: '/x/log.jsonl', XDG_CONFIG_HOME: '/y' }), '/x/log.jsonl');
    assert.equal(defaultOutcomeLogPath({ XDG_CONFIG_HOME: '/y' }), '/y/fugu/outcomes.jsonl');
    assert.match(defaultOutcomeLogPath({}), /\.config\/fugu\/outcomes\.jsonl$/);
  });
});
