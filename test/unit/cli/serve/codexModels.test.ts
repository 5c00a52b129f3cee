// GET /v1/models as Codex CLI asks it (`?client_version=`): each profile's metadata in Codex's own
// shape, derived from the workers that may write the profile's answer; every other client still gets
// the OpenAI list.
import assert from 'node:assert/strict';
import type { RunningServer } from '../../../../src/cli/serve/startServer';
import { contextWindowOf } from '../../../../src/core/contextWindows';
import { useFakes } from '../../../support/suiteFakes';
import { poolFor } from '../../../support/pool';
import { serveConfigFor, startFor } from '../../../support/serve';

interface CodexModel {
  slug: string;
  display_name: string;
  description: string;
  visibility: string;
  supported_in_api: boolean;
  priority: number;
  apply_patch_tool_type: string;
  shell_type: string;
  supports_reasoning_summaries: boolean;
  supports_reasoning_summary_parameter: boolean;
  default_reasoning_summary: string;
  supported_reasoning_levels: unknown[];
  base_instructions: string;
  truncation_policy: { mode: string; limit: number };
  context_window: number;
  max_context_window: number;
  input_modalities: string[];
  prefer_websockets: boolean;
}

describe('fugu serve: Codex CLI’s models request gets each profile’s metadata', () => {
  const fakes = useFakes({ resetEachTest: false, beforeClose: () => server.close(0) });
  let server: RunningServer;
  let base: string;

  before(async () => {
    const pool = poolFor(fakes);
    // 'local' answers with a model no table knows (an OpenAI-compatible server, no images);
    // 'mixed' lets a conductor pick any worker, so its smallest window counts.
    const local = { id: 'local', provider: 'openai-compatible', model: 'qwen3-coder-30b', baseUrl: fakes.openai.url, role: 'coder' };
    const profiles = {
      fugu: { maxSteps: 3 },
      local: { workers: [pool[0], pool[1], local] },
      mixed: { policy: { backend: 'conductor', worker: 'gemini' } },
    };
    ({ server, base } = await startFor(serveConfigFor(fakes, { profiles })));
  });

  const codexModels = async (): Promise<CodexModel[]> => {
    // As Codex 0.169.0 sends it: its version as a query parameter, its originator header.
    const res = await fetch(`${base}/models?client_version=0.169.0`, { headers: { originator: 'codex_exec', accept: '*/*' } });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { models: CodexModel[]; data?: unknown };
    assert.equal(body.data, undefined, 'Codex’s shape, not the OpenAI list');
    return body.models;
  };

  it('lists every profile in the config’s order with apply_patch free-form, the exec_command shell and no reasoning summaries', async () => {
    const models = await codexModels();
    assert.deepEqual(models.map((m) => [m.slug, m.display_name, m.priority]), [['fugu', 'fugu', 0], ['local', 'local', 1], ['mixed', 'mixed', 2]]);
    for (const m of models) {
      assert.equal(m.apply_patch_tool_type, 'freeform', `${m.slug} offers Codex’s apply_patch`);
      assert.equal(m.shell_type, 'unified_exec');
      assert.equal(m.visibility, 'list');
      assert.equal(m.supported_in_api, true);
      assert.equal(m.supports_reasoning_summaries, false);
      assert.equal(m.supports_reasoning_summary_parameter, false);
      assert.equal(m.default_reasoning_summary, 'none');
      assert.deepEqual(m.supported_reasoning_levels, []);
      assert.equal(m.base_instructions, '');
      assert.equal(m.prefer_websockets, false, 'the server speaks HTTP, not websockets');
      assert.deepEqual(m.truncation_policy, { mode: 'tokens', limit: 10_000 });
      assert.equal(m.max_context_window, m.context_window);
    }
  });

  it('derives the window and the input modalities from the workers that may write the answer', async () => {
    const [fugu, local, mixed] = await codexModels();
    // The builtin policy's coder (gpt-5, 272k input) writes code, its first planner (gemini-2.5-pro,
    // 1M) answers questions: the smaller counts; both take images.
    assert.equal(contextWindowOf('gpt-5'), 272_000);
    assert.equal(contextWindowOf('gemini-2.5-pro'), 1_048_576);
    assert.equal(fugu.context_window, 272_000);
    assert.deepEqual(fugu.input_modalities, ['text', 'image']);
    assert.match(fugu.description, /3 workers; gpt or gemini writes the answer/);
    // A model the table does not know gets the 128k default; its provider takes no images.
    assert.equal(contextWindowOf('qwen3-coder-30b'), undefined);
    assert.equal(local.context_window, 128_000);
    assert.deepEqual(local.input_modalities, ['text']);
    // Any worker may answer a conductor's workflow: the smallest window is claude-sonnet-4's 200k.
    assert.equal(mixed.context_window, 200_000);
    assert.match(mixed.description, /gemini or claude or gpt writes the answer/);
  });

  it('other clients still get the OpenAI list, and /v1/models/{id} one model', async () => {
    const list = (await (await fetch(`${base}/models`)).json()) as { object: string; data: { id: string; object: string; owned_by: string }[]; models?: unknown };
    assert.equal(list.object, 'list');
    assert.equal(list.models, undefined);
    assert.deepEqual(list.data.map((m) => [m.id, m.object, m.owned_by]), [['fugu', 'model', 'fugu'], ['local', 'model', 'fugu'], ['mixed', 'model', 'fugu']]);
    const one = (await (await fetch(`${base}/models/local?client_version=0.169.0`)).json()) as { id: string; object: string };
    assert.deepEqual([one.id, one.object], ['local', 'model']);
  });

  it('Codex’s models request needs the token like every other route', async () => {
    const guarded = await startFor(serveConfigFor(fakes), { token: 'server-token-for-codex-models' });
    try {
      const refused = await fetch(`${guarded.base}/models?client_version=0.169.0`);
      assert.equal(refused.status, 401);
      const ok = await fetch(`${guarded.base}/models?client_version=0.169.0`, { headers: { authorization: 'Bearer server-token-for-codex-models' } });
      assert.deepEqual(((await ok.json()) as { models: CodexModel[] }).models.map((m) => m.slug), ['fugu', 'fugu-ultra']);
    } finally {
      await guarded.server.close(0);
    }
  });
});
