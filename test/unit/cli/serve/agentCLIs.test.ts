// Codex CLI and Claude Code, installed unchanged from npm (pinned by version and checksum into
// .agent-clis/, their native binaries inside npm packages), with a real `fugu serve` process over the fake providers as their
// model. Each runs one task in a temporary workspace: the coder calls the client's own shell tool, the
// client runs it and sends the result back, the coder answers. Their setup is read from docs/SERVE.md,
// so the documented config is the tested one. HOME and the clients' config folders are temporary, and
// their telemetry, update checks and plugin syncs are off: they reach nothing but the server.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reply, type FakeRequest } from '../../../fakes';
import { useFakes } from '../../../support/suiteFakes';
import { poolFor } from '../../../support/pool';
import { agentCLIs } from '../../../support/agentCLIs';
import { buildIfStale, ROOT, serve, type Served } from '../../../support/serveProcess';
import { tempDir } from '../../../support/tempDir';

/** The server address the docs' snippets use, replaced by the test server's. */
const DOC_ORIGIN = 'http://127.0.0.1:8787';
const CLIENT_TIMEOUT_MS = 60_000;
/** The server's own bearer token (FUGU_SERVER_TOKEN), never a provider key. */
const SERVER_TOKEN = 'fugu-server-token-for-the-agent-clis';

/** The first fenced `lang` block after `marker` in docs/SERVE.md. */
function docBlock(marker: string, lang: string): string {
  const doc = readFileSync(join(ROOT, 'docs/SERVE.md'), 'utf8');
  const at = doc.indexOf(marker);
  assert.ok(at >= 0, `docs/SERVE.md has "${marker}"`);
  const block = doc.slice(at).match(new RegExp('```' + lang + '\\n([\\s\\S]*?)```'));
  assert.ok(block, `docs/SERVE.md has a ${lang} block after "${marker}"`);
  return block[1];
}

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach(kill));

/** Kills a client's whole process group (it runs the coder's commands in children of its own). */
function kill(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Runs a client to its end with no stdin; killed after CLIENT_TIMEOUT_MS, or when the test ends first. */
function runClient(cmd: string, args: string[], cwd: string, env: Record<string, string>): Promise<Ran> {
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => kill(child), CLIENT_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      kill(child); // whatever it left running in its group
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The shell tool each client offers, and a call of it that writes `token` to made.txt and prints it. */
function shellCall(req: FakeRequest, token: string) {
  const names = req.tools.map((t) => t.name);
  const command = `printf %s ${token} > made.txt && cat made.txt`;
  if (names.includes('exec_command')) return { name: 'exec_command', arguments: { cmd: command } };
  if (names.includes('Bash')) return { name: 'Bash', arguments: { command, description: 'Write the token to made.txt' } };
  return undefined;
}

/** The coder: runs the client's shell tool once, then answers with the last line the command printed. */
function coder(token: string) {
  return (req: FakeRequest) => {
    // The token's line (Claude Code may append a system reminder after the output).
    const printed = (content: string) => content.split('\n').find((l) => l.includes(token)) ?? content.trim().split('\n').at(-1);
    if (req.toolResults.length) return reply.text(`The tool printed: ${printed(req.toolResults[0].content)}`, { tokenDelayMs: 1 });
    const call = shellCall(req, token);
    return call ? reply.toolCalls([call], { argumentPieces: 2 }) : reply.text(`No shell tool among ${req.tools.map((t) => t.name).join(', ')}`);
  };
}

interface LogLine {
  method: string;
  path: string;
  status: number;
  trace?: string;
}

/** The server's request log lines (`fugu serve: POST /v1/responses 200 12ms trace=<id>`). */
function requestLines(stderr: string): LogLine[] {
  return [...stderr.matchAll(/^fugu serve: (GET|POST) (\S+) (\d{3}) \d+ms(?: trace=(\S+))?$/gm)].map((m) => ({ method: m[1], path: m[2], status: Number(m[3]), trace: m[4] }));
}

/**
 * The request lines a server has logged since `from`, once every request that finished before this
 * call is in. A line is written when the server finishes its answer, so a client can read the answer
 * and exit before the line reaches this process: one more request, made now, is logged after every
 * earlier one, and its line marks the end.
 */
async function settledLines(server: { url: string; stderr: () => string }, from: number): Promise<LogLine[]> {
  const marker = `/fugu-test-settle-${randomBytes(4).toString('hex')}`;
  await fetch(new URL(marker, server.url)).then((r) => r.arrayBuffer());
  for (let waited = 0; !server.stderr().includes(` ${marker} `); waited += 10) {
    if (waited > 10_000) throw new Error(`the server never logged ${marker}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return requestLines(server.stderr().slice(from)).filter((l) => !l.path.startsWith('/fugu-test-settle-'));
}

describe('fugu serve as the model of Codex CLI and Claude Code (real clients from npm, a real server process)', function () {
  this.timeout(2 * CLIENT_TIMEOUT_MS);
  const fakes = useFakes({
    beforeClose: async () => {
      s.child.kill('SIGTERM');
      await s.exit;
    },
  });
  let s: Served;
  let logMark = 0;
  let token: string;
  let root: string;
  let ws: string;

  let CODEX: string;
  let CLAUDE: string;

  before(async function () {
    this.timeout(10 * 60_000); // a first run installs the clients
    ({ codex: CODEX, claude: CLAUDE } = agentCLIs());
    buildIfStale();
    const dir = tempDir('fugu-agent-clis-');
    const configPath = join(dir, 'serve.json');
    writeFileSync(configPath, JSON.stringify({ workers: poolFor(fakes), maxRetries: 0, timeoutMs: 10_000, server: { shutdownGraceMs: 1000 } }));
    // The server asks for its token, as it must off loopback: both clients send it as documented.
    s = await serve(['--config', configPath, '--port', '0'], { FUGU_SERVER_TOKEN: SERVER_TOKEN });
  });
  beforeEach(() => {
    fakes.gemini.setDefault(() => reply.text('plan from gemini'));
    fakes.anthropic.setDefault(() => reply.text('plan from claude'));
    token = `tok-${randomBytes(6).toString('hex')}`;
    fakes.openai.setDefault(coder(token));
    root = tempDir('fugu-agent-cli-');
    ws = join(root, 'workspace');
    for (const d of ['workspace', 'home', 'tmp']) mkdirSync(join(root, d));
    logMark = s.stderr().length;
  });
  afterEach(() => {
    for (const child of running) kill(child);
  });

  /** What the clients get besides their own settings: a PATH to find node and bash, a temporary HOME and TMPDIR. */
  const baseEnv = () => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: join(root, 'home'), TMPDIR: join(root, 'tmp'), XDG_RUNTIME_DIR: join(root, 'tmp'), LANG: 'C.UTF-8' });
  const newLines = () => settledLines(s, logMark);
  const fetchTrace = async (id: string) => (await (await fetch(`${s.url}/traces/${id}`, { headers: { authorization: `Bearer ${SERVER_TOKEN}` } })).json()) as any;

  /**
   * One run, planned once, whose coder step keeps each earlier turn: the tools it called (in order) and
   * what their results say.
   */
  async function assertOneRun(path: string, turns: { calls: string[]; result: RegExp }[], answer: string): Promise<void> {
    const lines = await newLines();
    assert.ok(lines.length >= 2, `the client called the server at least twice: ${JSON.stringify(lines)}`);
    assert.deepEqual(lines.filter((l) => l.status !== 200), [], 'every request the client made was answered (its model names are all profiles)');
    const runs = lines.filter((l) => l.path === path);
    assert.equal(runs.length, turns.length + 1, `each call, then its results: ${JSON.stringify(lines)}`);
    const traces = new Set(runs.map((l) => l.trace));
    assert.equal(traces.size, 1, 'every request is one run');
    assert.equal(fakes.gemini.requests.length + fakes.anthropic.requests.length, 2, 'the planners planned once');
    const trace = await fetchTrace([...traces][0]!);
    assert.equal(trace.status, 'succeeded');
    assert.equal(trace.rounds.length, 1);
    const step = trace.rounds[0].steps.at(-1);
    assert.equal(step.output, answer);
    assert.equal(step.turns.length, turns.length, 'the coder step has the earlier turns');
    turns.forEach(({ calls, result }, k) => {
      assert.deepEqual(step.turns[k].toolCalls.map((c: { name: string }) => c.name), calls);
      assert.match(step.turns[k].results.map((r: { content: string }) => r.content).join('\n'), result, `turn ${k + 1}’s results`);
      assert.ok(trace.rounds[0].note.includes(`Turn ${k + 2}: the client sent the results of ${calls.join(', ')}`), trace.rounds[0].note);
    });
  }

  /** A CODEX_HOME holding the documented config, pointed at `url` (the test server's by default). */
  function codexHome(url = s.url, edit = (config: string) => config): string {
    const home = join(root, `codex-home-${randomBytes(3).toString('hex')}`);
    mkdirSync(home);
    const config = docBlock('**Codex CLI**', 'toml');
    assert.ok(config.includes(`base_url = "${DOC_ORIGIN}/v1"`), 'the documented base_url');
    assert.ok(config.includes(`model_catalog_url = "${DOC_ORIGIN}/v1/models"`), 'the documented catalog address, where Codex learns the profiles');
    assert.match(config, /^env_key = "FUGU_SERVER_TOKEN"/m, 'the documented key, set with or without a server token');
    writeFileSync(join(home, 'config.toml'), edit(config.replaceAll(`${DOC_ORIGIN}/v1`, url)));
    return home;
  }

  /** The variables the docs export before running Codex (`export FUGU_SERVER_TOKEN=unused`). */
  function codexDocEnv(): Record<string, string> {
    const documented = Object.fromEntries([...docBlock('**Codex CLI**', 'sh').matchAll(/^export ([A-Z][A-Z0-9_]*)=(\S+)/gm)].map((m) => [m[1], m[2]]));
    assert.deepEqual(documented, { FUGU_SERVER_TOKEN: 'unused' }, 'the documented key for a server without a token');
    return documented;
  }

  /** `codex exec` on one task with the documented config, to its end. */
  async function runCodex(task: string): Promise<Ran> {
    // As documented; --strict-config makes Codex refuse a documented key it does not know. Codex's own
    // sandbox (bubblewrap) needs user namespaces, which a CI machine may not have: the workspace is a
    // temporary folder, so the test runs without it.
    const ran = await runClient(CODEX, codexExecArgs(task), ws, { ...baseEnv(), ...codexDocEnv(), CODEX_HOME: codexHome(), FUGU_SERVER_TOKEN: SERVER_TOKEN });
    assert.equal(ran.code, 0, `codex exec exited ${ran.code ?? ran.signal}: ${ran.stderr.slice(-2000)}`);
    // It asked for the profiles' metadata and knew the model from it.
    const lines = await newLines();
    assert.ok(lines.some((l) => l.method === 'GET' && l.path === '/v1/models' && l.status === 200), `Codex fetched the models: ${JSON.stringify(lines)}`);
    assert.doesNotMatch(ran.stderr, /metadata for `fugu` not found/i, 'no warning about missing model metadata');
    return ran;
  }
  const codexExecArgs = (task: string) => ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', '--strict-config', '--ephemeral', '--color', 'never', task];

  it('Codex CLI set up as documented for a server without a token (FUGU_SERVER_TOKEN=unused) fetches the profiles’ metadata and offers apply_patch; without env_key it never asks', async () => {
    const dir = tempDir('fugu-agent-clis-open-');
    const configPath = join(dir, 'serve.json');
    writeFileSync(configPath, JSON.stringify({ workers: poolFor(fakes), maxRetries: 0, timeoutMs: 10_000, server: { shutdownGraceMs: 1000 } }));
    const open = await serve(['--config', configPath, '--port', '0']); // loopback, no FUGU_SERVER_TOKEN: any key passes
    try {
      const lines = (from: number) => settledLines(open, from);
      let mark = open.stderr().length;
      const ran = await runClient(CODEX, codexExecArgs('Write the token into made.txt and tell me what the file holds.'), ws, { ...baseEnv(), ...codexDocEnv(), CODEX_HOME: codexHome(open.url) });
      assert.equal(ran.code, 0, `codex exec exited ${ran.code ?? ran.signal}: ${ran.stderr.slice(-2000)}`);
      assert.equal(ran.stdout.trim(), `The tool printed: ${token}`, 'Codex printed the final answer');
      assert.deepEqual((await lines(mark)).filter((l) => l.method === 'GET').map((l) => [l.path, l.status]), [['/v1/models', 200]], 'it fetched the metadata');
      assert.doesNotMatch(ran.stderr, /metadata for `fugu` not found/i, 'no warning about missing model metadata');
      assert.ok(fakes.openai.requests[0].tools.some((t) => t.name === 'apply_patch'), 'the metadata’s apply_patch is offered');

      // Why the docs always set env_key: without it Codex holds no key for the provider and skips its catalog.
      mark = open.stderr().length;
      const home = codexHome(open.url, (config) => config.replace(/^env_key = .*\n/m, ''));
      const bare = await runClient(CODEX, ['debug', 'models'], ws, { ...baseEnv(), CODEX_HOME: home });
      assert.equal(bare.code, 0, `codex debug models exited ${bare.code ?? bare.signal}: ${bare.stderr.slice(-2000)}`);
      assert.deepEqual(await lines(mark), [], 'no request at all');
      assert.ok(!(JSON.parse(bare.stdout) as { models: { slug: string }[] }).models.some((m) => m.slug === 'fugu'), 'and no metadata for fugu');
    } finally {
      open.child.kill('SIGTERM');
      await open.exit;
    }
  });

  it('Codex CLI reads each profile’s metadata from the server: its catalog (codex debug models) holds the profiles’ windows and apply_patch', async () => {
    const ran = await runClient(CODEX, ['debug', 'models'], ws, { ...baseEnv(), ...codexDocEnv(), CODEX_HOME: codexHome(), FUGU_SERVER_TOKEN: SERVER_TOKEN });
    assert.equal(ran.code, 0, `codex debug models exited ${ran.code ?? ran.signal}: ${ran.stderr.slice(-2000)}`);
    assert.deepEqual((await newLines()).map((l) => [l.method, l.path, l.status]), [['GET', '/v1/models', 200]], 'one models request, with the token');
    const catalog = JSON.parse(ran.stdout) as { models: { slug: string; context_window: number; apply_patch_tool_type: string; input_modalities: string[]; default_reasoning_summary: string }[] };
    // The default profiles over gemini-2.5-pro and claude-sonnet-4 planners and a gpt-5 coder: the
    // coder (272k) or the first planner (1M) answers, so 272k; all of them take images.
    const known = catalog.models.filter((m) => m.slug === 'fugu' || m.slug === 'fugu-ultra');
    assert.deepEqual(known.map((m) => [m.slug, m.context_window, m.apply_patch_tool_type, m.input_modalities, m.default_reasoning_summary]), [
      ['fugu', 272_000, 'freeform', ['text', 'image'], 'none'],
      ['fugu-ultra', 272_000, 'freeform', ['text', 'image'], 'none'],
    ]);
  });

  it('Codex CLI (codex exec, wire_api responses): the coder’s exec_command runs in the workspace and its output comes back in one run', async () => {
    const ran = await runCodex('Write the token into made.txt and tell me what the file holds.');

    const answer = `The tool printed: ${token}`;
    assert.equal(ran.stdout.trim(), answer, 'Codex printed the final answer');
    assert.equal(readFileSync(join(ws, 'made.txt'), 'utf8'), token, 'the command ran in the workspace');
    const [first, second] = fakes.openai.requests;
    const offered = first.tools.map((t) => t.name);
    assert.ok(offered.includes('exec_command'), `Codex’s function tools reached the coder: ${offered.join(', ')}`);
    assert.ok(!offered.includes('web_search'), 'its hosted tool is left out');
    const multiAgent = ['close_agent', 'resume_agent', 'send_input', 'spawn_agent', 'wait_agent'].map((n) => `multi_agent_v1__${n}`);
    assert.deepEqual(offered.filter((n) => n.startsWith('multi_agent_v1')), multiAgent, 'its multi_agent_v1 namespace reached the coder under flat names');
    const spawn = first.tools.find((t) => t.name === 'multi_agent_v1__spawn_agent')!;
    assert.match(spawn.description ?? '', /^Tools for spawning and managing sub-agents\.\n\n/, 'with the namespace’s description');
    assert.match(first.messages[0].text, /Write the token into made\.txt/, 'the user’s task is the coder’s task');
    assert.equal(second.toolResults.length, 1);
    assert.match(second.toolResults[0].content, new RegExp(`Output:\\n${token}`), 'the command’s output reached the coder as the tool result');
    await assertOneRun('/v1/responses', [{ calls: ['exec_command'], result: new RegExp(token) }], answer);
  });

  it('Codex CLI: the coder calls close_agent of its multi_agent_v1 namespace; Codex runs it and sends its output back in one run', async () => {
    const tool = 'multi_agent_v1__close_agent';
    // The token is no agent id, so Codex answers without any agent: a real round trip, offline, spawning nothing.
    fakes.openai.setDefault((req) => {
      if (req.toolResults.length) return reply.text(`close_agent said: ${req.toolResults[0].content.trim()}`, { tokenDelayMs: 1 });
      return req.tools.some((t) => t.name === tool) ? reply.toolCalls([{ name: tool, arguments: { target: token } }], { argumentPieces: 2 }) : reply.text(`No ${tool}`);
    });
    const ran = await runCodex('Close the agent named by the token.');
    const [, second] = fakes.openai.requests;
    assert.ok(second, `Codex sent the call’s output back: ${ran.stdout}`);
    assert.deepEqual(second.toolCalls.map((c) => [c.name, JSON.parse(c.arguments)]), [[tool, { target: token }]], 'its history item (name + namespace) maps back to the flat name');
    assert.match(second.toolResults[0].content, new RegExp(`invalid agent id ${token}`), 'Codex’s close_agent ran and reported on the id');
    const answer = `close_agent said: ${second.toolResults[0].content.trim()}`;
    assert.equal(ran.stdout.trim(), answer, 'Codex printed the final answer');
    await assertOneRun('/v1/responses', [{ calls: [tool], result: new RegExp(`invalid agent id ${token}`) }], answer);
  });

  it('Codex CLI: the coder’s apply_patch (Codex’s free-form tool, offered from the server’s metadata) edits a workspace file in one run', async () => {
    writeFileSync(join(ws, 'notes.txt'), 'first line\nold line\nlast line\n');
    const patch = ['*** Begin Patch', '*** Update File: notes.txt', '@@', ' first line', '-old line', `+${token}`, ' last line', '*** End Patch', ''].join('\n');
    fakes.openai.setDefault((req) => {
      if (req.toolResults.length) return reply.text(`apply_patch said: ${req.toolResults[0].content.trim()}`, { tokenDelayMs: 1 });
      return req.tools.some((t) => t.name === 'apply_patch') ? reply.toolCalls([{ name: 'apply_patch', arguments: { input: patch } }], { argumentPieces: 3 }) : reply.text('No apply_patch');
    });
    const ran = await runCodex('Replace the old line of notes.txt with the token.');

    assert.equal(readFileSync(join(ws, 'notes.txt'), 'utf8'), `first line\n${token}\nlast line\n`, 'Codex applied the patch in the workspace');
    const [first, second] = fakes.openai.requests;
    const applyPatch = first.tools.find((t) => t.name === 'apply_patch');
    assert.ok(applyPatch, `apply_patch reached the coder: ${first.tools.map((t) => t.name).join(', ')}`);
    assert.deepEqual((applyPatch.parameters as { required?: string[] }).required, ['input'], 'as a function taking one string');
    assert.match(applyPatch.description ?? '', /grammar:\n[\s\S]*\*\*\* Begin Patch/, 'with the grammar of Codex’s patch format');
    assert.ok(second, `Codex sent the patch’s result back: ${ran.stdout}`);
    assert.deepEqual(second.toolCalls.map((c) => [c.name, JSON.parse(c.arguments)]), [['apply_patch', { input: patch }]], 'its custom_tool_call item maps back to the call');
    assert.match(second.toolResults[0].content, /notes\.txt/, 'Codex reported the patched file');
    const answer = `apply_patch said: ${second.toolResults[0].content.trim()}`;
    assert.equal(ran.stdout.trim(), answer, 'Codex printed the final answer');
    await assertOneRun('/v1/responses', [{ calls: ['apply_patch'], result: /notes\.txt/ }], answer);
  });

  /** Claude Code's environment as documented, pointed at the test server with its token, and a temporary config folder holding the documented settings. */
  function claudeEnv(): Record<string, string> {
    const configDir = join(root, 'claude-config');
    mkdirSync(configDir);
    const settings = JSON.parse(docBlock('**Claude Code**', 'json')) as { modelPicker: { options: { model: string; behavesAs: string }[] } };
    assert.deepEqual(settings.modelPicker.options.map((o) => o.model), ['fugu'], 'the documented row for the profile');
    writeFileSync(join(configDir, 'settings.json'), JSON.stringify(settings));
    const documented = Object.fromEntries([...docBlock('**Claude Code**', 'sh').matchAll(/\b([A-Z][A-Z0-9_]+)=(\S+)/g)].map((m) => [m[1], m[2]]));
    assert.equal(documented.ANTHROPIC_BASE_URL, DOC_ORIGIN, 'the documented base URL');
    assert.equal(documented.ANTHROPIC_AUTH_TOKEN, 'unused', 'the documented token, replaced by the server’s own');
    return { ...baseEnv(), ...documented, ANTHROPIC_BASE_URL: s.url.replace(/\/v1$/, ''), ANTHROPIC_AUTH_TOKEN: SERVER_TOKEN, CLAUDE_CONFIG_DIR: configDir };
  }

  it('Claude Code (claude -p, ANTHROPIC_BASE_URL): the coder’s Bash tool_use runs in the workspace and its tool_result comes back in one run', async () => {
    const env = claudeEnv();
    const args = ['-p', 'Write the token into made.txt and tell me what the file holds.', '--allowedTools', 'Bash', 'Edit', 'Write', '--output-format', 'json'];
    const ran = await runClient(CLAUDE, args, ws, env);
    assert.equal(ran.code, 0, `claude exited ${ran.code ?? ran.signal}: ${ran.stdout.slice(-2000)} ${ran.stderr.slice(-2000)}`);

    const answer = `The tool printed: ${token}`;
    const result = JSON.parse(ran.stdout) as { is_error: boolean; result: string; num_turns: number; modelUsage: Record<string, { contextWindow: number }> };
    assert.equal(result.is_error, false);
    // With the documented settings it knows the model: no warning, and Sonnet 4.6's 200k window (under
    // the profile's 272k), not the 1M it assumes for a name it does not know.
    assert.doesNotMatch(ran.stderr, /unrecognized_model/, 'no unrecognized-model warning');
    assert.deepEqual(Object.entries(result.modelUsage).map(([m, u]) => [m, u.contextWindow]), [['fugu', 200_000]], 'the window Claude Code assumes for fugu');
    assert.equal(result.result, answer, 'Claude Code printed the final answer');
    assert.equal(result.num_turns, 2);
    assert.equal(readFileSync(join(ws, 'made.txt'), 'utf8'), token, 'the command ran in the workspace');
    const [first, second] = fakes.openai.requests;
    const offered = first.tools.map((t) => t.name);
    for (const name of ['Bash', 'Read', 'Edit', 'Write']) assert.ok(offered.includes(name), `Claude Code’s ${name} reached the coder: ${offered.join(', ')}`);
    assert.ok(offered.includes('ToolSearch'), 'its tool search is on, as documented');
    for (const name of ['WebFetch', 'NotebookEdit', 'DeferredToolPlaceholder']) assert.ok(!offered.includes(name), `${name} (defer_loading) is held back until a tool search loads it`);
    const prompt = first.messages.map((m) => m.text).join('\n');
    assert.match(prompt, /Write the token into made\.txt/);
    assert.ok(prompt.includes(`Primary working directory: ${ws}`), 'its system message between turns reached the coder as instructions');
    assert.deepEqual(second.toolResults.map((r) => r.content.trim().split('\n')[0]), [token], 'the command’s output reached the coder as the tool_result (before any reminder Claude Code appends)');
    await assertOneRun('/v1/messages', [{ calls: ['Bash'], result: new RegExp(token) }], answer);
  });

  it('Claude Code with its tool search: the coder’s ToolSearch loads the deferred NotebookEdit, which is offered from the next turn on and edits a notebook in one run', async () => {
    const notebook = join(ws, 'notes.ipynb');
    writeFileSync(notebook, JSON.stringify({ cells: [{ cell_type: 'code', id: 'c1', metadata: {}, source: ['print(1)'], outputs: [], execution_count: null }], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    const source = `print("${token}")`;
    // Turn 1: load NotebookEdit, and read the notebook (Claude Code edits only what was read); turn 2:
    // edit the cell; then answer with what the edit said.
    fakes.openai.setDefault((req) => {
      const offered = req.tools.map((t) => t.name);
      if (req.toolResults.length === 0) {
        return reply.toolCalls([
          { name: 'ToolSearch', arguments: { query: 'select:NotebookEdit', max_results: 5 } },
          { name: 'Read', arguments: { file_path: notebook } },
        ]);
      }
      if (req.toolResults.length === 2 && offered.includes('NotebookEdit')) {
        return reply.toolCalls([{ name: 'NotebookEdit', arguments: { notebook_path: notebook, cell_id: 'c1', new_source: source, edit_mode: 'replace' } }]);
      }
      return reply.text(`The notebook tool said: ${req.toolResults.at(-1)!.content.trim()}`, { tokenDelayMs: 1 });
    });
    const args = ['-p', 'Put the token into the notebook’s first cell.', '--allowedTools', 'NotebookEdit', '--output-format', 'json'];
    const ran = await runClient(CLAUDE, args, ws, claudeEnv());
    assert.equal(ran.code, 0, `claude exited ${ran.code ?? ran.signal}: ${ran.stdout.slice(-2000)} ${ran.stderr.slice(-2000)}`);

    const result = JSON.parse(ran.stdout) as { is_error: boolean; result: string };
    assert.equal(result.is_error, false);
    assert.match(result.result, new RegExp(`^The notebook tool said: .*${token}`), 'Claude Code printed the final answer');
    const cells = JSON.parse(readFileSync(notebook, 'utf8')).cells as { source: string | string[] }[];
    assert.equal([cells[0].source].flat().join(''), source, 'NotebookEdit ran: the cell holds the token');

    const requests = fakes.openai.requests;
    assert.equal(requests.length, 3, 'the coder was asked three times: the search, the edit, the answer');
    const offered = requests.map((r) => r.tools.map((t) => t.name));
    assert.ok(offered[0].includes('ToolSearch') && !offered[0].includes('NotebookEdit'), `before the search NotebookEdit is held back: ${offered[0].join(', ')}`);
    assert.ok(offered[1].includes('NotebookEdit') && offered[2].includes('NotebookEdit'), 'once loaded it is offered on every later turn');
    for (const o of offered) assert.ok(!o.includes('WebFetch') && !o.includes('DeferredToolPlaceholder'), 'deferred tools nobody loaded stay out');
    const schema = requests[1].tools.find((t) => t.name === 'NotebookEdit')?.parameters as { required?: string[] } | undefined;
    assert.deepEqual(schema?.required, ['notebook_path', 'new_source'], 'with its schema, translated to the coder’s provider');
    assert.deepEqual(requests[1].toolResults.map((r) => r.content.split('\n')[0]), ['Loaded tools: NotebookEdit', '<cell id="c1">print(1)</cell id="c1">'], 'the tool_reference reached the coder as words');
    await assertOneRun('/v1/messages', [
      { calls: ['ToolSearch', 'Read'], result: /Loaded tools: NotebookEdit/ },
      { calls: ['NotebookEdit'], result: new RegExp(token) },
    ], result.result);
  });
});
