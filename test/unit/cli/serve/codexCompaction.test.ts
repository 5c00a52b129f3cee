// The real Codex CLI (from npm) through a tool loop long enough to compact its history, against a real
// `fugu serve` process over the fakes. Codex's own `model_auto_compact_token_limit` lowers the point
// where it compacts (the server's metadata says 272k for the fakes' gpt-5), so a few turns suffice.
// The compaction request gets one call to the coder; the task goes on from the summary in the same
// run and trace, planned once, each planner's input under policy.planningContextTokens.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reply, type FakeRequest } from '../../../fakes';
import { useFakes } from '../../../support/suiteFakes';
import { agentCLIs } from '../../../support/agentCLIs';
import { poolFor } from '../../../support/pool';
import { buildIfStale, ROOT, serve, type Served } from '../../../support/serveProcess';
import { tempDir } from '../../../support/tempDir';

/** Codex CLI as installed on demand into .agent-clis/ (test/support/agentCLIs.ts). */
let CODEX = '';
const CLIENT_TIMEOUT_MS = 90_000;
const PLANNING_TOKENS = 4000;
const LOOP_CALLS = 6;

/** The Codex config block of docs/SERVE.md, pointed at `url`, with a low compaction point. */
function codexConfig(url: string): string {
  const doc = readFileSync(join(ROOT, 'docs/SERVE.md'), 'utf8');
  const block = doc.slice(doc.indexOf('**Codex CLI**')).match(/```toml\n([\s\S]*?)```/);
  assert.ok(block, 'docs/SERVE.md has the Codex config');
  // Top-level keys go before the first table.
  return `model_auto_compact_token_limit = 3000\n${block[1].replaceAll('http://127.0.0.1:8787/v1', url)}`;
}

let child: ChildProcess | undefined;
function killGroup(): void {
  try {
    if (child?.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // gone
  }
}

function runCodex(args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  child = spawn(CODEX, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(killGroup, CLIENT_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    child!.on('error', reject);
    child!.on('close', (code) => {
      clearTimeout(timer);
      killGroup();
      resolve({ code, stdout, stderr });
    });
  });
}

describe('Codex CLI compacts its history in a long loop through fugu serve (real client, real server process)', function () {
  this.timeout(2 * CLIENT_TIMEOUT_MS);
  const fakes = useFakes({
    resetEachTest: false,
    beforeClose: async () => {
      killGroup();
      s.child.kill('SIGTERM');
      await s.exit;
    },
  });
  let s: Served;
  let root: string;

  before(async function () {
    this.timeout(10 * 60_000); // a first run installs the clients
    CODEX = agentCLIs().codex;
    buildIfStale();
    const dir = tempDir('fugu-codex-compaction-');
    const configPath = join(dir, 'serve.json');
    writeFileSync(configPath, JSON.stringify({ workers: poolFor(fakes), maxRetries: 0, timeoutMs: 10_000, policy: { planningContextTokens: PLANNING_TOKENS }, server: { shutdownGraceMs: 1000 } }));
    s = await serve(['--config', configPath, '--port', '0']);
    root = tempDir('fugu-codex-compaction-run-');
    for (const d of ['workspace', 'home', 'tmp', 'codex-home']) mkdirSync(join(root, d));
  });

  it('the compaction prompt gets one call; the loop goes on from the summary in the same trace, planned once, within budget', async () => {
    let calls = 0;
    const compactions: FakeRequest[] = [];
    fakes.gemini.setDefault(() => reply.text('plan from gemini'));
    fakes.anthropic.setDefault(() => reply.text('plan from claude'));
    fakes.openai.setDefault((req) => {
      if (/CONTEXT CHECKPOINT COMPACTION/.test(req.lastUserText)) {
        compactions.push(req);
        return reply.text(`Handoff summary: ${calls} of ${LOOP_CALLS} listings done; keep listing, then report.`);
      }
      if (calls < LOOP_CALLS) {
        calls++;
        // Each listing prints ~3 KB, so the history passes Codex's compaction point within a few turns.
        return reply.toolCalls([{ name: 'exec_command', arguments: { cmd: `seq 1 700 | sed 's/^/step${calls} line /' | head -c 3000` } }]);
      }
      return reply.text(`All ${LOOP_CALLS} listings done.`);
    });
    writeFileSync(join(root, 'codex-home', 'config.toml'), codexConfig(`${s.url}`));
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: join(root, 'home'), TMPDIR: join(root, 'tmp'), XDG_RUNTIME_DIR: join(root, 'tmp'), LANG: 'C.UTF-8', CODEX_HOME: join(root, 'codex-home'), FUGU_SERVER_TOKEN: 'unused' };
    const args = ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', '--strict-config', '--ephemeral', '--color', 'never', 'List the numbers six times with the shell, then report.'];
    const ran = await runCodex(args, join(root, 'workspace'), env);
    assert.equal(ran.code, 0, `codex exec exited ${ran.code}: ${ran.stderr.slice(-3000)}`);
    assert.equal(ran.stdout.trim(), `All ${LOOP_CALLS} listings done.`);

    assert.ok(compactions.length >= 1, `Codex compacted: ${ran.stderr.slice(-1500)}`);
    const lines = [...s.stderr().matchAll(/^fugu serve: POST \/v1\/responses (\d{3}) \d+ms trace=(\S+)$/gm)].map((m) => ({ status: Number(m[1]), trace: m[2] }));
    assert.deepEqual(lines.filter((l) => l.status !== 200), [], 'every request answered');
    const traces = await Promise.all([...new Set(lines.map((l) => l.trace))].map(async (id) => (await (await fetch(`${s.url}/traces/${id}`)).json()) as any));
    const direct = traces.filter((t) => t.rounds[0]?.policy.direct);
    const task = traces.filter((t) => !t.rounds[0]?.policy.direct);
    assert.equal(direct.length, compactions.length, 'each compaction is its own one-call trace');
    for (const t of direct) {
      assert.match(t.rounds[0].policy.direct, /^compaction: Codex's context compaction prompt/);
      assert.deepEqual(t.rounds[0].steps.map((x: { worker: string }) => x.worker), ['gpt']);
    }
    assert.equal(task.length, 1, `the task is one run: ${task.map((t) => t.id).join(', ')}`);
    const run = task[0];
    assert.equal(run.status, 'succeeded');
    assert.match(run.rounds[0].note, /the client compacted its history and sent its summary/);
    assert.equal(fakes.gemini.requests.length + fakes.anthropic.requests.length, 2, 'the planners planned once');
    for (const step of run.rounds[0].steps.slice(0, 2)) assert.ok(step.usage.inputTokens < PLANNING_TOKENS, `${step.worker}: ${step.usage.inputTokens} tokens`);
    // Each request of the run stayed within the profile's budget (scope 'request').
    assert.equal(run.budget.scope, 'request');
    assert.ok(run.request.usage.inputTokens + run.request.usage.outputTokens <= run.budget.maxTokens);
    assert.ok(run.request.costUsd <= run.budget.maxCostUsd);
    assert.equal(calls, LOOP_CALLS);
  });
});
