import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentTable, missedGoals, renderTable, replaceTable, TABLE_END, TABLE_START, type Goals, type StoredRun } from '../../../scripts/bench/benchTable';

const repo = join(__dirname, '../../../..');
const read = (f: string) => readFileSync(join(repo, f), 'utf8');

const run = (figures: Record<string, unknown>): StoredRun => ({
  machine: { cpu: 'Test CPU', cores: 2, memory_gb: 4, node: 'v20.0.0', platform: 'linux 6 x64' },
  date: '2026-12-06T20:00:00.000Z',
  runs: 3,
  figures,
});

describe('the benchmark table in README', () => {
  it('is the one generated from bench/latest.json and bench/goals.json (run `npm run bench -- --write`)', () => {
    const stored = JSON.parse(read('bench/latest.json')) as StoredRun;
    const goals = JSON.parse(read('bench/goals.json')) as Goals;
    const inReadme = currentTable(read('README.md'));
    assert.ok(inReadme, 'README.md has the benchmark table markers');
    assert.equal(inReadme, renderTable(stored, goals));
  });

  it('stores the machine and the date with the figures', () => {
    const stored = JSON.parse(read('bench/latest.json')) as StoredRun;
    assert.ok(stored.machine.cpu && stored.machine.cores > 0 && stored.machine.node.startsWith('v'));
    assert.ok(!Number.isNaN(Date.parse(stored.date)), `date ${stored.date}`);
    assert.ok(Object.keys(stored.figures).length > 0);
  });

  it('has a description for every goal, and bounds that are numbers', () => {
    const goals = JSON.parse(read('bench/goals.json')) as Goals;
    for (const [name, g] of Object.entries(goals)) {
      assert.ok(typeof g.what === 'string' && g.what.length > 0, `${name} says what it is`);
      for (const b of [g.max, g.min]) assert.ok(b === undefined || typeof b === 'number', `${name}'s bound is a number`);
    }
  });
});

describe('benchTable', () => {
  const goals: Goals = {
    activate_ms: { max: 15, what: 'activation' },
    speedup: { min: 1.4, what: 'speed-up' },
    sdk_loaded: { equals: false, what: 'no SDK' },
    info_ms: { what: 'no goal' },
  };

  it('lists the figures that miss their goal, in the goals order, and none that meet theirs', () => {
    const misses = missedGoals(goals, { sdk_loaded: true, speedup: 1.5, activate_ms: 68, info_ms: 1e9 });
    assert.deepEqual(
      misses.map((m) => [m.figure, m.goal]),
      [
        ['activate_ms', '≤ 15'],
        ['sdk_loaded', '= false'],
      ],
    );
    assert.deepEqual(missedGoals(goals, { activate_ms: 12, speedup: 1.4, sdk_loaded: false }), []);
  });

  it('renders one row per figure with its goal, marks a miss, and keeps figures without a goal', () => {
    const table = renderTable(run({ activate_ms: 68, speedup: 1.49, new_figure_ms: 123456, sdk_loaded: false }), goals);
    const lines = table.split('\n');
    assert.equal(lines[0], TABLE_START);
    assert.equal(lines.at(-1), TABLE_END);
    assert.match(table, /Taken 2026-12-06 on Test CPU, 2 cores, 4 GB, linux 6 x64, Node v20\.0\.0; each figure the median of 3 runs\./);
    assert.ok(lines.includes('| `activate_ms` | 68 | ≤ 15 (missed) | activation |'));
    assert.ok(lines.includes('| `speedup` | 1.49 | ≥ 1.4 | speed-up |'));
    assert.ok(lines.includes('| `sdk_loaded` | false | = false | no SDK |'));
    assert.ok(lines.includes('| `new_figure_ms` | 123 456 |  | not described in bench/goals.json |'));
    // goals.json's order first, then the figures it does not describe.
    assert.ok(table.indexOf('`activate_ms`') < table.indexOf('`speedup`') && table.indexOf('`sdk_loaded`') < table.indexOf('`new_figure_ms`'));
  });

  it('replaces only the text between the markers, and refuses a README without them', () => {
    const readme = `# Title\n\n${TABLE_START}\nold\n${TABLE_END}\n\nAfter.\n`;
    const out = replaceTable(readme, `${TABLE_START}\nnew\n${TABLE_END}`);
    assert.equal(out, `# Title\n\n${TABLE_START}\nnew\n${TABLE_END}\n\nAfter.\n`);
    assert.throws(() => replaceTable('# no table\n', 'x'), /no benchmark table markers/);
  });
});
