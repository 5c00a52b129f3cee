import assert from 'node:assert/strict';
import { parseConfig } from '../../../../src/core/loadConfig';
import { poolFromChoices, type ChosenModel } from '../../../../src/vscode/lm/modelPool';

const model = (vendor: string, id: string, family: string, role: ChosenModel['role']): ChosenModel => ({ vendor, id, family, name: id, role });

describe('Choose Models: the pool it writes', () => {
  it('names models by family, with unique ids, and parses as a valid config', () => {
    const pool = poolFromChoices([
      model('copilot', 'claude-sonnet-4-20250514', 'claude-sonnet-4', 'planner'),
      model('copilot', 'gemini-2.5-pro', 'gemini-2.5-pro', 'planner'),
      model('copilot', 'gpt-4.1', 'gpt-4.1', 'coder'),
    ]);
    assert.deepEqual(pool.map((w) => [w.id, w.vendor, w.model, w.role]), [
      ['copilot-claude-sonnet-4', 'copilot', 'claude-sonnet-4', 'planner'],
      ['copilot-gemini-2.5-pro', 'copilot', 'gemini-2.5-pro', 'planner'],
      ['copilot-gpt-4.1', 'copilot', 'gpt-4.1', 'coder'],
    ]);
    const cfg = parseConfig({ workers: pool });
    assert.deepEqual(cfg.workers.map((w) => w.provider), ['vscode-lm', 'vscode-lm', 'vscode-lm']);
  });

  it('two versions of one family are told apart by id, and ids never collide', () => {
    const pool = poolFromChoices([
      model('copilot', 'gpt-4o-2024-11-20', 'gpt-4o', 'planner'),
      model('copilot', 'gpt-4o-2024-08-06', 'gpt-4o', 'coder'),
      model('other vendor', 'x', 'x', 'any'),
      model('other-vendor', 'x', 'x', 'any'),
    ]);
    assert.deepEqual(pool.map((w) => w.model), ['gpt-4o-2024-11-20', 'gpt-4o-2024-08-06', 'x', 'x']);
    assert.deepEqual(pool.map((w) => w.id), ['copilot-gpt-4o-2024-11-20', 'copilot-gpt-4o-2024-08-06', 'other-vendor-x', 'other-vendor-x-2']);
    assert.equal(new Set(pool.map((w) => w.id)).size, pool.length);
  });
});
