import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseWorkflow } from '../../../../src/core/workflow/parseWorkflow';
import type { AccessEntry, Workflow } from '../../../../src/core/workflow/types';

type Case = { name: string; answer: string; want: Workflow } | { name: string; answer: string; error: RegExp };

const two: Workflow = { model_id: [2, 0], subtasks: ['Plan it', 'Code it'], access_list: [[], ['all']] };

const cases: Case[] = [
  // --- well-formed ---
  {
    name: 'the paper example',
    answer: 'model_id = [2, 0]\nsubtasks = ["Plan it", "Code it"]\naccess_list = [[], ["all"]]',
    want: two,
  },
  {
    name: 'reasoning before the lists',
    answer: 'The task needs a plan first, then code.\nI will use Model 2 then Model 0.\n\nmodel_id = [2, 0]\nsubtasks = ["Plan it", "Code it"]\naccess_list = [[], ["all"]]',
    want: two,
  },
  {
    name: 'prose after the lists',
    answer: 'model_id = [2, 0]\nsubtasks = ["Plan it", "Code it"]\naccess_list = [[], ["all"]]\nThis should work well.',
    want: two,
  },
  {
    name: 'single quotes',
    answer: "model_id = [2, 0]\nsubtasks = ['Plan it', 'Code it']\naccess_list = [[], ['all']]",
    want: two,
  },
  {
    name: 'mixed quotes with the other quote inside',
    answer: `model_id = [1]\nsubtasks = ["Don't stop", 'Say "hi"']\naccess_list = [[]]`.replace('[1]', '[1, 0]').replace('[[]]', '[[], [0]]'),
    want: { model_id: [1, 0], subtasks: ["Don't stop", 'Say "hi"'], access_list: [[], [0]] },
  },
  {
    name: 'escaped quotes',
    answer: `model_id = [0, 1]\nsubtasks = ['It\\'s fine', "Quote \\"this\\""]\naccess_list = [[], [0]]`,
    want: { model_id: [0, 1], subtasks: ["It's fine", 'Quote "this"'], access_list: [[], [0]] },
  },
  {
    name: 'newline, tab and backslash escapes',
    answer: String.raw`model_id = [0]` + '\n' + String.raw`subtasks = ["line1\nline2\tTabbed \\ back"]` + '\naccess_list = [[]]',
    want: { model_id: [0], subtasks: ['line1\nline2\tTabbed \\ back'], access_list: [[]] },
  },
  {
    name: 'unicode escapes',
    answer: String.raw`model_id = [0]` + '\n' + String.raw`subtasks = ["caf\u00e9 \U0001F600 \x41"]` + '\naccess_list = [[]]',
    want: { model_id: [0], subtasks: ['café 😀 A'], access_list: [[]] },
  },
  {
    name: 'unknown escape kept as written (regex)',
    answer: String.raw`model_id = [0]` + '\n' + String.raw`subtasks = ["match \d+ digits"]` + '\naccess_list = [[]]',
    want: { model_id: [0], subtasks: ['match \\d+ digits'], access_list: [[]] },
  },
  {
    name: 'brackets inside strings',
    answer: 'model_id = [0, 1]\nsubtasks = ["Sort a [list] of ]] items", "Use arr[i] = x"]\naccess_list = [[], ["all"]]',
    want: { model_id: [0, 1], subtasks: ['Sort a [list] of ]] items', 'Use arr[i] = x'], access_list: [[], ['all']] },
  },
  {
    name: 'an assignment inside a subtask string is not a new list',
    answer: 'model_id = [0]\nsubtasks = ["Set model_id = [9] in config.py"]\naccess_list = [[]]',
    want: { model_id: [0], subtasks: ['Set model_id = [9] in config.py'], access_list: [[]] },
  },
  {
    name: 'trailing commas',
    answer: 'model_id = [2, 0,]\nsubtasks = ["Plan it", "Code it",]\naccess_list = [[], ["all",],]',
    want: two,
  },
  {
    name: 'multi-line lists with comments',
    answer: 'model_id = [\n  2,  # planner\n  0,  # coder\n]\nsubtasks = [\n  "Plan it",\n  "Code it",\n]\naccess_list = [\n  [],\n  ["all"],\n]',
    want: two,
  },
  {
    name: 'fenced python block',
    answer: 'Reasoning here.\n```python\nmodel_id = [2, 0]\nsubtasks = ["Plan it", "Code it"]\naccess_list = [[], ["all"]]\n```',
    want: two,
  },
  {
    name: 'fenced block without language',
    answer: '```\nmodel_id = [2, 0]\nsubtasks = ["Plan it", "Code it"]\naccess_list = [[], ["all"]]\n```\n',
    want: two,
  },
  {
    name: 'repeated sets: the last complete one wins',
    answer: 'Draft:\nmodel_id = [1]\nsubtasks = ["Draft"]\naccess_list = [[]]\nBetter:\nmodel_id = [2, 0]\nsubtasks = ["Plan it", "Code it"]\naccess_list = [[], ["all"]]',
    want: two,
  },
  {
    name: 'a lone model_id mentioned earlier does not spoil the final set',
    answer: 'Maybe model_id = [3] alone? No.\nmodel_id = [2, 0]\nsubtasks = ["Plan it", "Code it"]\naccess_list = [[], ["all"]]',
    want: two,
  },
  {
    name: 'an incomplete trailing set leaves the earlier complete set',
    answer: 'model_id = [2, 0]\nsubtasks = ["Plan it", "Code it"]\naccess_list = [[], ["all"]]\nOr maybe model_id = [1]',
    want: two,
  },
  {
    name: 'lists in a different order',
    answer: 'subtasks = ["Plan it", "Code it"]\naccess_list = [[], ["all"]]\nmodel_id = [2, 0]',
    want: two,
  },
  {
    name: 'prose "model_id = the ..." is ignored',
    answer: 'Here model_id = the index of each model.\nmodel_id = [2, 0]\nsubtasks = ["Plan it", "Code it"]\naccess_list = [[], ["all"]]',
    want: two,
  },
  {
    name: 'triple-quoted string with raw newlines',
    answer: 'model_id = [0]\nsubtasks = ["""Write:\n- a plan\n- with "quotes" inside"""]\naccess_list = [[]]',
    want: { model_id: [0], subtasks: ['Write:\n- a plan\n- with "quotes" inside'], access_list: [[]] },
  },
  {
    name: 'adjacent strings concatenate',
    answer: 'model_id = [0]\nsubtasks = ["first half, "\n  "second half"]\naccess_list = [[]]',
    want: { model_id: [0], subtasks: ['first half, second half'], access_list: [[]] },
  },
  {
    name: 'explicit indices in access lists',
    answer: 'model_id = [0, 1, 2]\nsubtasks = ["a", "b", "c"]\naccess_list = [[], [], [0, 1]]',
    want: { model_id: [0, 1, 2], subtasks: ['a', 'b', 'c'], access_list: [[], [], [0, 1]] },
  },
  {
    name: '"ALL" in any case becomes "all"',
    answer: 'model_id = [0, 1]\nsubtasks = ["a", "b"]\naccess_list = [[], ["ALL"]]',
    want: { model_id: [0, 1], subtasks: ['a', 'b'], access_list: [[], ['all']] },
  },
  {
    name: 'three empty lists parse (accept)',
    answer: 'The answer is correct.\nmodel_id = []\nsubtasks = []\naccess_list = []',
    want: { model_id: [], subtasks: [], access_list: [] },
  },
  {
    name: 'spaces and no spaces around =',
    answer: 'model_id=[2,0]\nsubtasks   =   ["Plan it","Code it"]\naccess_list =[[],["all"]]',
    want: two,
  },
  {
    name: 'JSON object fallback',
    answer: 'Here is my plan: {"model_id": [2, 0], "subtasks": ["Plan it", "Code it"], "access_list": [[], ["all"]]}',
    want: two,
  },
  {
    name: 'fenced JSON fallback',
    answer: 'Plan:\n```json\n{\n  "model_id": [2, 0],\n  "subtasks": ["Plan it", "Code it"],\n  "access_list": [[], ["all"]]\n}\n```',
    want: two,
  },
  {
    name: 'JSON with braces inside strings',
    answer: '{"model_id": [0], "subtasks": ["Return {a: 1} from f()"], "access_list": [[]]}',
    want: { model_id: [0], subtasks: ['Return {a: 1} from f()'], access_list: [[]] },
  },
  {
    name: 'JSON: the last object with the keys wins, other objects ignored',
    answer: '{"note": 1} {"model_id": [1], "subtasks": ["x"], "access_list": [[]]} then {"model_id": [2, 0], "subtasks": ["Plan it", "Code it"], "access_list": [[], ["all"]]}',
    want: two,
  },
  {
    name: 'Python lists win over JSON when both are present',
    answer: '{"model_id": [1], "subtasks": ["x"], "access_list": [[]]}\nmodel_id = [2, 0]\nsubtasks = ["Plan it", "Code it"]\naccess_list = [[], ["all"]]',
    want: two,
  },
  {
    name: 'a thinking block before the answer',
    answer: '<think>maybe model_id = [4]? subtasks = ["x"]</think>\nmodel_id = [2, 0]\nsubtasks = ["Plan it", "Code it"]\naccess_list = [[], ["all"]]',
    want: two,
  },
  {
    name: 'colon form, as the paper authors\' parser accepts',
    answer: 'model_id: [2, 0]\nsubtasks: ["Plan it", "Code it"]\naccess_list: [[], ["all"]]',
    want: two,
  },
  {
    name: 'names in bold with = (prompted frontier conductors)',
    answer: 'Here is the workflow.\n\n**model_id** = [2, 0]\n**subtasks** = ["Plan it", "Code it"]\n**access_list** = [[], ["all"]]',
    want: two,
  },
  {
    name: 'names in backticks with =',
    answer: '`model_id` = [2, 0]\n`subtasks` = ["Plan it", "Code it"]\n`access_list` = [[], ["all"]]',
    want: two,
  },
  {
    name: 'bold names with the colon inside the bold',
    answer: '**model_id:** [2, 0]\n**subtasks:** ["Plan it", "Code it"]\n**access_list:** [[], ["all"]]',
    want: two,
  },
  {
    name: 'a markdown list of bold names with colons and values in backticks',
    answer: '- **model_id**: `[2, 0]`\n- **subtasks**: `["Plan it", "Code it"]`\n- **access_list**: `[[], ["all"]]`',
    want: two,
  },
  {
    name: 'a markdown list of plain assignments',
    answer: '- model_id = [2, 0]\n- subtasks = ["Plan it", "Code it"]\n- access_list = [[], ["all"]]',
    want: two,
  },
  {
    name: 'whole assignments in inline code',
    answer: '`model_id = [2, 0]`\n`subtasks = ["Plan it", "Code it"]`\n`access_list = [[], ["all"]]`',
    want: two,
  },
  {
    name: 'colon prose without a list is not read as a list',
    answer: 'For model_id: 2 is the planner and subtasks: one each.\nmodel_id: [2, 0]\nsubtasks: ["Plan it", "Code it"]\naccess_list: [[], ["all"]]',
    want: two,
  },
  {
    name: 'a Python dict with quoted keys',
    answer: "{'model_id': [2, 0], 'subtasks': ['Plan it', 'Code it'], 'access_list': [[], ['all']]}",
    want: two,
  },
  {
    name: 'a longer name that ends in model_id is not the list',
    answer: 'base_model_id: [7]\nmodel_id: [2, 0]\nsubtasks: ["Plan it", "Code it"]\naccess_list: [[], ["all"]]',
    want: two,
  },

  // --- malformed ---
  { name: 'empty answer', answer: '', error: /no "model_id = \[\.\.\.\]"/ },
  { name: 'plain prose', answer: 'I think Model 0 should do it.', error: /no "model_id = \[\.\.\.\]".*no JSON object/ },
  { name: 'garbage bytes', answer: '\u0000\u0001]]][[[{{{"""', error: /no "model_id/ },
  {
    name: 'missing access_list',
    answer: 'model_id = [0]\nsubtasks = ["a"]',
    error: /has model_id and subtasks but no access_list = \[\.\.\.\]/,
  },
  { name: 'only subtasks', answer: 'subtasks = ["a"]', error: /no model_id = \[\.\.\.\] or access_list/ },
  {
    name: 'unterminated string',
    answer: 'model_id = [0]\nsubtasks = ["never closed]\naccess_list = [[]]',
    error: /subtasks could not be read: a string is not closed/,
  },
  {
    name: 'unclosed list',
    answer: 'model_id = [0, 1\nsubtasks = ["a", "b"]\naccess_list = [[], []]',
    error: /model_id could not be read: expected "," or "\]"/,
  },
  {
    name: 'missing comma between items',
    answer: 'model_id = [0 1]\nsubtasks = ["a", "b"]\naccess_list = [[], []]',
    error: /model_id could not be read: expected "," or "\]" in a list but found "1"/,
  },
  {
    name: 'a float model id',
    answer: 'model_id = [0.5]\nsubtasks = ["a"]\naccess_list = [[]]',
    error: /model_id could not be read: 0\.5 is not an integer/,
  },
  {
    name: 'a name instead of a value',
    answer: 'model_id = [planner]\nsubtasks = ["a"]\naccess_list = [[]]',
    error: /found the name planner/,
  },
  {
    name: 'model id written as a string',
    answer: 'model_id = ["Model 1"]\nsubtasks = ["a"]\naccess_list = [[]]',
    error: /model_id\[0\] is the string "Model 1", but it must be an integer/,
  },
  {
    name: 'subtask that is a list',
    answer: 'model_id = [0, 1]\nsubtasks = ["a", ["b"]]\naccess_list = [[], []]',
    error: /subtasks\[1\] is a list, but it must be a string/,
  },
  {
    name: 'bare "all" instead of a list',
    answer: 'model_id = [0, 1]\nsubtasks = ["a", "b"]\naccess_list = [[], "all"]',
    error: /access_list\[1\] is the string "all".*write \["all"\]/,
  },
  {
    name: 'access entry that is a word other than all',
    answer: 'model_id = [0, 1]\nsubtasks = ["a", "b"]\naccess_list = [[], ["previous"]]',
    error: /access_list\[1\]\[0\] is the string "previous", but it must be "all" or a step number/,
  },
  {
    name: 'a subtasks string, not a list, is named as such',
    answer: "model_id = [0]\nsubtasks = 'Plan it'\naccess_list = [[]]",
    error: /subtasks must be a list, but it is the string "Plan it"/,
  },
  {
    name: 'model_id that is a number, not a list',
    answer: 'model_id = 3\nsubtasks = ["a"]\naccess_list = [[]]',
    error: /model_id must be a list, but it is the number 3/,
  },
  {
    name: 'the last set is broken even though an earlier one was fine',
    answer: 'model_id = [0]\nsubtasks = ["a"]\naccess_list = [[]]\nFinal:\nmodel_id = [0, 1]\nsubtasks = ["a", "b]\naccess_list = [[], []]',
    error: /subtasks could not be read: a string is not closed/,
  },
  {
    name: 'lone backslash at the end',
    answer: 'model_id = [0]\nsubtasks = ["a\\',
    error: /subtasks could not be read/,
  },
  {
    name: 'bad \\u escape',
    answer: String.raw`model_id = [0]` + '\n' + String.raw`subtasks = ["\u12"]` + '\naccess_list = [[]]',
    error: /\\u escape needs 4 hex digits/,
  },
  {
    name: 'JSON object with a wrong type',
    answer: '{"model_id": "0", "subtasks": ["a"], "access_list": [[]]}',
    error: /model_id must be a list, but it is the string "0"/,
  },
  {
    name: 'JSON object missing a key is not a workflow',
    answer: '{"model_id": [0], "subtasks": ["a"]}',
    error: /no "model_id = \[\.\.\.\]".*no JSON object/,
  },
  {
    name: 'lists nested absurdly deep',
    answer: 'model_id = ' + '['.repeat(100) + ']'.repeat(100) + '\nsubtasks = ["a"]\naccess_list = [[]]',
    error: /nested more than 32 deep/,
  },
];

describe('parseWorkflow', () => {
  it('has a table of at least 40 answers', () => {
    assert.ok(cases.length >= 40, `only ${cases.length} cases`);
  });

  for (const c of cases) {
    it(c.name, () => {
      const r = parseWorkflow(c.answer);
      if ('want' in c) {
        assert.equal(r.ok, true, r.ok ? '' : r.error);
        if (r.ok) assert.deepEqual(r.workflow, c.want);
      } else {
        assert.equal(r.ok, false, `expected a rejection, got ${JSON.stringify(r)}`);
        if (!r.ok) assert.match(r.error, c.error);
      }
    });
  }

  it('reports which format it read, and keeps JSON keys for the JSON reader', () => {
    const py = parseWorkflow('model_id = [0]\nsubtasks = ["a"]\naccess_list = [[]]');
    const colon = parseWorkflow('**model_id**: [0]\n**subtasks**: ["a"]\n**access_list**: [[]]');
    assert.equal(colon.ok && colon.format, 'python');
    const js = parseWorkflow('{"model_id": [0], "subtasks": ["a"], "access_list": [[]]}');
    assert.equal(py.ok && py.format, 'python');
    assert.equal(js.ok && js.format, 'json');
  });

  it('never throws on random input', () => {
    const alphabet = ['[', ']', '"', "'", '\\', ',', '{', '}', 'model_id = ', 'subtasks = ', 'access_list = ', '0', '1', 'all', '\n', ' ', 'u', '"""'];
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let n = 0; n < 2000; n++) {
      let s = '';
      const len = Math.floor(rand() * 40);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
      const r = parseWorkflow(s);
      assert.equal(typeof r.ok, 'boolean');
      if (!r.ok) assert.ok(r.error.length > 0);
    }
  });

  it('reads every markdown dressing of the three lists as the plain form (property)', () => {
    const dressings: ((name: string, value: string) => string)[] = [
      (n, v) => `${n} = ${v}`,
      (n, v) => `${n}: ${v}`,
      (n, v) => `**${n}** = ${v}`,
      (n, v) => `**${n}**: ${v}`,
      (n, v) => `**${n}:** ${v}`,
      (n, v) => `\`${n}\` = ${v}`,
      (n, v) => `- ${n} = ${v}`,
      (n, v) => `- **${n}**: \`${v}\``,
      (n, v) => `\`${n} = ${v}\``,
    ];
    const workflow = fc.integer({ min: 1, max: 4 }).chain((steps) =>
      fc.record({
        model_id: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: steps, maxLength: steps }),
        subtasks: fc.array(fc.string({ minLength: 1, maxLength: 12 }).filter((t) => !/[`*\\]/.test(t)), { minLength: steps, maxLength: steps }),
        access_list: fc.array(fc.oneof(fc.constant<AccessEntry[]>([]), fc.constant<AccessEntry[]>(['all'])), { minLength: steps, maxLength: steps }),
      }),
    );
    fc.assert(
      fc.property(workflow, fc.array(fc.nat(dressings.length - 1), { minLength: 3, maxLength: 3 }), fc.string({ maxLength: 30 }), (w, picks, prose) => {
        const values = [JSON.stringify(w.model_id), JSON.stringify(w.subtasks), JSON.stringify(w.access_list)];
        const lines = (['model_id', 'subtasks', 'access_list'] as const).map((n, i) => dressings[picks[i]](n, values[i]));
        const r = parseWorkflow(`${prose.replace(/model_id|subtasks|access_list/g, '')}\n\n${lines.join('\n')}`);
        assert.equal(r.ok, true, r.ok ? '' : `${r.error}\n${lines.join('\n')}`);
        if (r.ok) assert.deepEqual(r.workflow, { model_id: w.model_id, subtasks: w.subtasks, access_list: w.access_list });
      }),
      { numRuns: 300 },
    );
  });
});
