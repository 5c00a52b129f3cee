import assert from 'node:assert/strict';
import { parseSuite } from '../../../../src/core/eval/suite';
import { buildGrid, cellKey, parseShard } from '../../../../src/core/eval/grid';

describe('eval suites and grids', () => {
  it('reads coding and text tasks; workspaces resolve against the suite folder', () => {
    const tasks = parseSuite('{"id":"a","prompt":"Fix x","workspace":"ws/a","check":"node --test"}\n\n{"id":"b","prompt":"2+2?","answer":"4","match":"number"}\n', '/suite', 's.jsonl');
    assert.deepEqual(tasks[0], { id: 'a', prompt: 'Fix x', kind: 'coding', workspace: '/suite/ws/a', check: 'node --test' });
    assert.deepEqual(tasks[1], { id: 'b', prompt: '2+2?', kind: 'text', answer: '4', match: 'number' });
  });

  it('a bad line is named by its number and what is wrong with it', () => {
    const bad = (text: string, re: RegExp) => assert.throws(() => parseSuite(text, '/s', 's.jsonl'), re);
    bad('{"id":"a","prompt":"p","answer":"x"}\n{oops', /s\.jsonl line 2 is not valid JSON/);
    bad('{"id":"a","prompt":"p","answer":"x","colour":"red"}', /line 1: "colour" is not a task field/);
    bad('{"id":"a","prompt":"p","answer":"x","match":"fuzzy"}', /"match" is "fuzzy"; expected one of exact, regex, number, choice/);
    bad('{"id":"a","prompt":"p","workspace":"w"}', /line 1: "check" must be a non-empty string/);
    bad('{"id":"a","prompt":"p"}', /needs "workspace" and "check", or "answer"/);
    bad('{"id":"a","prompt":"p","answer":"1"}\n{"id":"a","prompt":"q","answer":"2"}', /line 2: the id "a" is used twice/);
    bad('{"id":"a","prompt":"p","answer":"(","match":"regex"}', /not a valid regular expression/);
    bad('\n\n', /holds no tasks/);
  });

  it('shards split the grid into disjoint parts whose union is the whole, whatever the task order', () => {
    const tasks = Array.from({ length: 13 }, (_, i) => `t${i}`);
    const whole = buildGrid(tasks, ['builtin', 'single:a'], 2, null);
    assert.equal(whole.length, 52);
    const parts = [1, 2, 3].map((i) => buildGrid(tasks, ['builtin', 'single:a'], 2, { index: i, count: 3 }));
    const keys = parts.flat().map(cellKey);
    assert.equal(new Set(keys).size, keys.length, 'no cell is in two shards');
    assert.deepEqual(new Set(keys), new Set(whole.map(cellKey)));
    assert.ok(parts.every((p) => p.length > 0));
    const reversed = buildGrid([...tasks].reverse(), ['builtin', 'single:a'], 2, { index: 2, count: 3 });
    assert.deepEqual(new Set(reversed.map(cellKey)), new Set(parts[1].map(cellKey)));
  });

  it('--shard takes i/n with i counting from 1', () => {
    assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
    assert.equal(parseShard(undefined), null);
    for (const bad of ['0/4', '5/4', '1/0', 'a/b', '1']) assert.throws(() => parseShard(bad), /expected i\/n/);
  });
});
