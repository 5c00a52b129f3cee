import assert from 'node:assert/strict';
import { CONTEXT_DEFAULTS, TOOLS_DEFAULTS, type FuguConfig } from '../../../src/core/config';
import { CURSOR_MARK, extractCode, fitFirstLineIndent, inlineConfig, inlineContextLabel, inlinePolicy, inlineTask, inlineWorkers, SELECTION_END, SELECTION_START } from '../../../src/core/inlineWorkflow';

const config: FuguConfig = {
  policy: { backend: 'conductor', baseUrl: 'http://127.0.0.1:1/v1', model: 'c', timeoutMs: 1000 },
  workers: [
    { id: 'gemini', provider: 'google', model: 'g', role: 'planner' },
    { id: 'claude', provider: 'anthropic', model: 'c', role: 'planner' },
    { id: 'gpt', provider: 'openai', model: 'o', role: 'coder' },
  ],
  maxSteps: 5,
  maxRecursion: 2,
  budget: { maxCalls: 20, maxTokens: 1000, maxCostUsd: 1 },
  timeoutMs: 1000,
  maxRetries: 0,
  context: CONTEXT_DEFAULTS,
  tools: TOOLS_DEFAULTS,
};

describe('inline workflow', () => {
  it('uses the first planner and the coder by default, or only the coder', () => {
    assert.deepEqual(inlineWorkers(config, [], 'planThenCode').map((w) => w.id), ['gemini', 'gpt']);
    assert.deepEqual(inlineWorkers(config, [], 'codeOnly').map((w) => w.id), ['gpt']);
  });

  it('uses the configured ids, coder last, and names an unknown id', () => {
    assert.deepEqual(inlineWorkers(config, ['claude', 'gpt'], 'planThenCode').map((w) => w.id), ['claude', 'gpt']);
    assert.throws(() => inlineWorkers(config, ['nope'], 'planThenCode'), /fugu\.inline\.workers names 'nope'/);
  });

  it('runs as builtin without recursion, with only its workers', () => {
    const cfg = inlineConfig(config, inlineWorkers(config, [], 'planThenCode'));
    assert.equal(cfg.policy.backend, 'builtin');
    assert.equal(cfg.maxRecursion, 0);
    assert.equal(cfg.maxSteps, 2);
    assert.deepEqual(cfg.workers.map((w) => w.id), ['gemini', 'gpt']);
  });

  it('plans a planner step the coder sees, or a single coder step', async () => {
    const two = await inlinePolicy(false).plan({ task: 't', config: inlineConfig(config, inlineWorkers(config, [], 'planThenCode')), conductorMayReview: false } as never);
    assert.deepEqual(two.workflow.model_id, [0, 1]);
    assert.deepEqual(two.workflow.access_list, [[], ['all']]);
    assert.match(two.workflow.subtasks[1], /raw code only/);
    const one = await inlinePolicy(true).plan({ task: 't', config: inlineConfig(config, inlineWorkers(config, [], 'codeOnly')), conductorMayReview: false } as never);
    assert.deepEqual(one.workflow.model_id, [0]);
    assert.match(one.workflow.subtasks[0], /replacement for the marked selection/);
    const rec = await inlinePolicy(false).recurse({} as never);
    assert.equal(rec.workflow.model_id.length, 0);
  });

  it('marks the cursor, or the selection, in the task', () => {
    const at = inlineTask({ instruction: 'add', path: 'a.ts', languageId: 'typescript', before: 'x\n', selected: '', after: 'y\n', maxChars: 1000 });
    assert.ok(at.includes(`x\n${CURSOR_MARK}y\n`));
    assert.match(at, /^Instruction: add/);
    const sel = inlineTask({ instruction: 'fix', path: 'a.ts', languageId: 'typescript', before: 'a', selected: 'b', after: 'c', maxChars: 1000 });
    assert.ok(sel.includes(`a${SELECTION_START}b${SELECTION_END}c`));
  });

  it('cuts the file around the place to the size cap', () => {
    const t = inlineTask({ instruction: 'i', path: 'a.ts', languageId: 'ts', before: 'b'.repeat(5000), selected: '', after: 'a'.repeat(5000), maxChars: 1000 });
    assert.ok(t.length < 1300);
    assert.match(t, /cut around the place/);
    assert.ok(t.includes(`${'b'.repeat(500)}${CURSOR_MARK}${'a'.repeat(500)}`));
  });
});

describe('inlineContextLabel', () => {
  const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`).join('\n') + '\n';

  it('names the file and the lines around the cursor that went along when the file was cut', () => {
    // 100 lines of 8 characters; the cursor at the start of line 50; 300 characters each side go along.
    const label = inlineContextLabel({ instruction: 'i', path: 'src/cart.ts', languageId: 'ts', before: lines(1, 49), selected: '', after: lines(50, 100), maxChars: 600 });
    const cut = inlineTask({ instruction: 'i', path: 'src/cart.ts', languageId: 'ts', before: lines(1, 49), selected: '', after: lines(50, 100), maxChars: 600 });
    assert.match(cut, /\(cut around the place\)/);
    const m = /^src\/cart\.ts \(lines (\d+)–(\d+) around the cursor\)$/.exec(label);
    assert.ok(m, label);
    const [first, last] = [Number(m[1]), Number(m[2])];
    // Every line the label names is (at least partly) in the task, and the lines just outside are not.
    assert.ok(first < 50 && last > 50, label);
    assert.ok(cut.includes(`line ${first + 1}\n`) && cut.includes(`line ${last - 1}\n`), label);
    assert.ok(!cut.includes(`line ${first - 1}\n`) && !cut.includes(`line ${last + 1}\n`), label);
  });

  it('says when the whole file went along, and where the cursor or the selection is', () => {
    assert.equal(
      inlineContextLabel({ instruction: 'i', path: 'a.ts', languageId: 'ts', before: 'a\nb\n  ', selected: '', after: '\nc\n', maxChars: 10_000 }),
      'a.ts (whole file, 4 lines, cursor at line 3)',
    );
    assert.equal(
      inlineContextLabel({ instruction: 'i', path: 'a.ts', languageId: 'ts', before: 'a\n', selected: 'b\nc', after: '\nd', maxChars: 10_000 }),
      'a.ts (whole file, 4 lines, selection at lines 2–3)',
    );
  });

  it('says "around the selection" for a cut selection', () => {
    const label = inlineContextLabel({ instruction: 'i', path: 'a.ts', languageId: 'ts', before: lines(1, 49), selected: 'line 50\n', after: lines(51, 100), maxChars: 600 });
    assert.match(label, /^a\.ts \(lines \d+–\d+ around the selection\)$/);
  });
});

describe('extractCode', () => {
  it('returns plain code as it is, without trailing blank lines', () => {
    assert.equal(extractCode('return a + b;\n\n'), 'return a + b;');
  });

  it('takes the body of the first fenced block', () => {
    assert.equal(extractCode('Here it is:\n```ts\nconst x = 1;\n```\nDone.'), 'const x = 1;');
  });

  it('hides an unfinished fence while streaming', () => {
    assert.equal(extractCode('``', false), '');
    assert.equal(extractCode('```type', false), '');
    assert.equal(extractCode('```ts\nconst x', false), 'const x');
    assert.equal(extractCode('```ts\nconst x = 1;\n``', false), 'const x = 1;');
  });

  it('removes stray markers', () => {
    assert.equal(extractCode(`a${CURSOR_MARK}b`), 'ab');
  });
});

describe('fitFirstLineIndent', () => {
  it('drops indentation the cursor already has', () => {
    assert.equal(fitFirstLineIndent('    return 1;\n    }', '    '), 'return 1;\n    }');
  });

  it('keeps code alone after text or at column 0', () => {
    assert.equal(fitFirstLineIndent('  x', 'foo('), '  x');
    assert.equal(fitFirstLineIndent('  x', ''), '  x');
  });
});
