// `fugu solve` as a user runs it: the built CLI in a child process against the fake providers.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { echoReply, reply } from '../../fakes';
import { useFakes } from '../../support/suiteFakes';
import { poolFor } from '../../support/pool';
import { tempDir } from '../../support/tempDir';
import { CLI_TEST_KEYS, ensureCliBuilt, runCli } from '../../support/cli';

const KEYS = CLI_TEST_KEYS;
const solve = (args: string[], env: Record<string, string> = KEYS, stdin?: string) => runCli(['solve', ...args], { env, stdin });

describe('fugu solve (CLI end to end)', function () {
  this.timeout(30_000);
  before(() => ensureCliBuilt());
  const fakes = useFakes();
  let dir: string;
  let configPath: string;
  const writeConfig = (extra: object = {}) => {
    writeFileSync(configPath, JSON.stringify({ policy: { backend: 'builtin' }, workers: poolFor(fakes), maxRetries: 0, timeoutMs: 30_000, ...extra }));
  };

  beforeEach(() => {
    // The workspace and, beside it, the config (outside the workspace) share one temp folder.
    const root = tempDir('fugu-cli-');
    dir = join(root, 'workspace');
    mkdirSync(dir);
    writeFileSync(join(dir, 'app.ts'), 'export const version = 1;\n');
    configPath = join(root, 'fugu.json');
    writeConfig();
  });

  const codeAnswer = 'app.ts\n```ts\n<<<<<<< SEARCH\nexport const version = 1;\n=======\nexport const version = 2;\n>>>>>>> REPLACE\n```\n';

  it('prints the answer on stdout, progress on stderr, writes the trace, exits 0', async () => {
    fakes.openai.enqueue(reply.text(codeAnswer));
    const tracePath = join(dir, 'trace.json');
    const r = await solve(['--config', configPath, '--workspace', dir, '--trace', tracePath, 'Bump the version constant in app.ts']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes('export const version = 2;'));
    assert.match(r.stderr, /step 1\/3 gemini \(google gemini-2\.5-pro\) started/);
    assert.match(r.stderr, /step 3\/3 gpt succeeded/);
    assert.match(r.stderr, /edit proposed: app\.ts/);
    const trace = JSON.parse(readFileSync(tracePath, 'utf8'));
    assert.equal(trace.version, 1);
    assert.equal(trace.status, 'succeeded');
    assert.equal(trace.final.edits[0].status, 'proposed');
    assert.equal(readFileSync(join(dir, 'app.ts'), 'utf8'), 'export const version = 1;\n', 'nothing written without --apply');
    const all = readFileSync(tracePath, 'utf8') + r.stderr + r.stdout;
    for (const k of Object.values(KEYS)) assert.ok(!all.includes(k), 'no key anywhere in the output');
  });

  it('with --workspace, sends the file defining the function the task names, and the trace says why', async () => {
    writeFileSync(join(dir, 'price.ts'), 'export function parsePrice(text: string): number {\n  return Number(text);\n}\n');
    writeFileSync(join(dir, '.gitignore'), 'private.ts\n');
    writeFileSync(join(dir, 'private.ts'), 'export function parsePrice() { return "hidden"; }\n');
    fakes.openai.enqueue(reply.text('No change needed.'));
    const tracePath = join(dir, 'trace.json');
    const r = await solve(['--config', configPath, '--workspace', dir, '--trace', tracePath, 'Make parsePrice accept commas']);
    assert.equal(r.code, 0, r.stderr);
    const trace = JSON.parse(readFileSync(tracePath, 'utf8'));
    assert.ok(trace.context[0].startsWith('price.ts (defines `parsePrice`'), trace.context[0]);
    assert.ok(trace.context.some((c: string) => c.startsWith('(repository map) (map;')), trace.context.join('\n'));
    assert.match(r.stderr, /fugu: context: price\.ts \(defines `parsePrice`/);
    const planner = fakes.gemini.lastRequest!.messages.map((m) => m.text).join('\n');
    assert.ok(planner.includes('File: price.ts (defines `parsePrice`') && planner.includes('return Number(text);'), planner);
    assert.ok(!planner.includes('hidden'), 'a .gitignored file was sent');
  });

  it('with embeddings on and a provider that refuses them, ranks without them and the trace says why, with no key in it', async () => {
    // The OpenAI worker's endpoint (the chat fake) has no /v1/embeddings: the provider's error is the fallback's reason.
    writeConfig({ context: { embeddings: 'openai' } });
    writeFileSync(join(dir, 'price.ts'), 'export function parsePrice(text: string): number {\n  return Number(text);\n}\n');
    fakes.openai.enqueue(reply.text('No change needed.'));
    const tracePath = join(dir, 'trace.json');
    const r = await solve(['--config', configPath, '--workspace', dir, '--trace', tracePath, 'Make parsePrice accept commas'], { ...KEYS, FUGU_CACHE_DIR: tempDir('fugu-cli-cache-') });
    assert.equal(r.code, 0, r.stderr);
    const trace = JSON.parse(readFileSync(tracePath, 'utf8'));
    assert.ok(trace.context[0].startsWith('price.ts (defines `parsePrice`'), trace.context[0]);
    const notes = trace.context.filter((c: string) => c.startsWith('embeddings'));
    assert.equal(notes.length, 1, trace.context.join('\n'));
    assert.match(notes[0], /^embeddings not used: (embedding the workspace failed \(404|no file is embedded yet)/);
    const all = readFileSync(tracePath, 'utf8') + r.stderr + r.stdout;
    for (const k of Object.values(KEYS)) assert.ok(!all.includes(k), 'no key anywhere in the output');
  });

  it('--diff prints a unified diff and --apply writes it', async () => {
    fakes.openai.enqueue(reply.text(codeAnswer));
    const r = await solve(['--config', configPath, '--workspace', dir, '--diff', '--apply', 'Bump the version constant in app.ts']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^--- a\/app\.ts\n\+\+\+ b\/app\.ts/m);
    assert.match(r.stdout, /^-export const version = 1;$/m);
    assert.match(r.stdout, /^\+export const version = 2;$/m);
    assert.equal(readFileSync(join(dir, 'app.ts'), 'utf8'), 'export const version = 2;\n');
    assert.match(r.stderr, /edit applied: app\.ts/);
  });

  it('reads the task from stdin', async () => {
    const r = await solve(['--config', configPath, '--workspace', dir], KEYS, 'What is a monad?\n');
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes('What is a monad?'));
  });

  it('exits 3 when the run succeeded but an edit failed, listing it on stderr', async () => {
    const wrong = codeAnswer.replace('export const version = 1;\n=', 'export const nothing = 0;\n=');
    fakes.openai.enqueue(reply.text(wrong), reply.text(wrong));
    const r = await solve(['--config', configPath, '--workspace', dir, '--apply', 'Bump the version constant in app.ts']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /edit failed: app\.ts: /);
    assert.equal(readFileSync(join(dir, 'app.ts'), 'utf8'), 'export const version = 1;\n');
  });

  it('exits 3 for an edit outside the workspace, and writes nothing there', async () => {
    fakes.openai.enqueue(reply.text('../escape.ts\n```ts\n<<<<<<< SEARCH\n=======\npwned\n>>>>>>> REPLACE\n```\n'));
    const r = await solve(['--config', configPath, '--workspace', dir, '--apply', 'Create a file in the parent of app.ts']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /edit refused: \.\.\/escape\.ts/);
    assert.ok(!existsSync(join(dir, '..', 'escape.ts')));
  });

  it('--apply makes any wording a coding task: "Make the change." runs the planners and the coder and writes', async () => {
    fakes.openai.enqueue(reply.text(codeAnswer));
    const tracePath = join(dir, 'trace.json');
    const r = await solve(['--config', configPath, '--workspace', dir, '--trace', tracePath, '--apply', 'Make the change.']);
    assert.equal(r.code, 0, r.stderr);
    const trace = JSON.parse(readFileSync(tracePath, 'utf8'));
    assert.deepEqual(trace.rounds[0].steps.map((s: { worker: string }) => s.worker), ['gemini', 'claude', 'gpt']);
    assert.equal(readFileSync(join(dir, 'app.ts'), 'utf8'), 'export const version = 2;\n');
  });

  it('exits 3 and says so when --apply or --diff asked for edits and the answer holds none', async () => {
    for (const flag of ['--apply', '--diff']) {
      fakes.openai.enqueue(reply.text('The version constant looks fine as it is.'));
      const r = await solve(['--config', configPath, '--workspace', dir, flag, 'Make the change.']);
      assert.equal(r.code, 3, r.stderr);
      const last = r.stderr.trim().split('\n').pop()!;
      assert.equal(last, `fugu: ${flag} asked for edits, but the answer holds none${flag === '--apply' ? '; nothing was written' : ''}.`);
      assert.equal(readFileSync(join(dir, 'app.ts'), 'utf8'), 'export const version = 1;\n');
    }
  });

  it('without --apply or --diff, a short question is answered in one step and exits 0', async () => {
    const tracePath = join(dir, 'trace.json');
    const r = await solve(['--config', configPath, '--workspace', dir, '--trace', tracePath, 'What is a monad?']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(readFileSync(tracePath, 'utf8')).rounds[0].steps.length, 1);
  });

  it('exits 1 with a one-line reason when a provider rejects the key', async () => {
    fakes.anthropic.enqueue(reply.status(401));
    const r = await solve(['--config', configPath, '--workspace', dir, 'Bump the version constant in app.ts']);
    assert.equal(r.code, 1);
    const last = r.stderr.trim().split('\n').pop()!;
    assert.match(last, /^fugu: run failed: Step 1 failed: Worker 'claude' \(anthropic\).*401/);
    assert.ok(!r.stderr.includes(KEYS.ANTHROPIC_API_KEY));
  });

  it('exits 2 for a missing key before any call', async () => {
    const { GEMINI_API_KEY: _, ...rest } = KEYS;
    const r = await solve(['--config', configPath, '--workspace', dir, 'Bump the version'], rest);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /missing key: set GEMINI_API_KEY for worker 'gemini'/);
    assert.equal(fakes.openai.requests.length + fakes.anthropic.requests.length + fakes.gemini.requests.length, 0);
  });

  it('exits 2 for a bad config (duplicate id, unknown provider, invalid JSON) before any call', async () => {
    const pool = poolFor(fakes);
    for (const [workers, re] of [
      [[...pool, pool[0]], /two workers have the id 'gemini'/],
      [[{ ...pool[0], provider: 'gemini' }, pool[2]], /workers\[0\]\.provider is "gemini"/],
    ] as const) {
      writeFileSync(configPath, JSON.stringify({ workers }));
      const r = await solve(['--config', configPath, '--workspace', dir, 'x']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, re);
    }
    writeFileSync(configPath, '{ "workers": [');
    const r = await solve(['--config', configPath, '--workspace', dir, 'x']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not valid JSON/);
    assert.equal(fakes.openai.requests.length, 0);
  });

  it('exits 2 before any call for a vscode-lm worker, in one sentence saying it needs VS Code', async () => {
    const pool = poolFor(fakes);
    writeFileSync(configPath, JSON.stringify({ workers: [{ id: 'copilot-claude', provider: 'vscode-lm', vendor: 'copilot', model: 'claude-sonnet-4', role: 'planner' }, pool[2]] }));
    const r = await solve(['--config', configPath, '--workspace', dir, 'x']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /Worker 'copilot-claude' uses provider 'vscode-lm', which needs VS Code/);
    assert.equal(fakes.openai.requests.length, 0);
  });

  it('exits 1 when the run goes over budget', async () => {
    writeConfig({ budget: { maxCalls: 2 } });
    const r = await solve(['--config', configPath, '--workspace', dir, 'Bump the version constant in app.ts']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /run budget_exceeded: .*call budget/);
  });

  it('SIGINT cancels the run: exit 130, status cancelled in the trace', async () => {
    fakes.gemini.enqueue(reply.text('slow '.repeat(50), { tokenDelayMs: 50 }));
    fakes.anthropic.enqueue(reply.text('slow '.repeat(50), { tokenDelayMs: 50 }));
    const tracePath = join(dir, 'trace.json');
    let sent = false;
    const { code, stderr } = await runCli(['solve', '--config', configPath, '--workspace', dir, '--trace', tracePath, 'Bump the version constant in app.ts'], {
      env: KEYS,
      // One Ctrl-C cancels; a second one would end the process at once, as users expect. It is sent
      // once a step has streamed (the progress line for its first tokens), not after a guessed delay.
      onStderr: (soFar, interrupt) => {
        if (!sent && /tokens so far/.test(soFar)) {
          sent = true;
          interrupt();
        }
      },
    });
    assert.equal(code, 130);
    assert.match(stderr, /run cancelled by SIGINT/);
    const trace = JSON.parse(readFileSync(tracePath, 'utf8'));
    assert.equal(trace.status, 'cancelled');
    assert.ok(trace.rounds[0].steps.some((st: { output: string }) => st.output.startsWith('slow')), 'what streamed stays in the trace');
  });

  const noCalls = () => fakes.openai.requests.length + fakes.anthropic.requests.length + fakes.gemini.requests.length;

  it('exits 2 before any call when --workspace is missing or is a file', async () => {
    for (const [ws, re] of [
      [join(dir, 'nope'), /--workspace .*nope.* does not exist/],
      [join(dir, 'app.ts'), /--workspace .*app\.ts.* is not a directory/],
    ] as const) {
      const r = await solve(['--config', configPath, '--workspace', ws, 'Bump the version constant in app.ts']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, re);
    }
    assert.equal(noCalls(), 0);
  });

  it('exits 2 before any call when the --trace file cannot be written there', async () => {
    const r = await solve(['--config', configPath, '--workspace', dir, '--trace', join(dir, 'missing', 'trace.json'), 'Bump the version constant in app.ts']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--trace .*missing.* directory does not exist/);
    assert.equal(noCalls(), 0);
  });

  it('exits 2 for an empty task on stdin', async () => {
    const r = await solve(['--config', configPath, '--workspace', dir], KEYS, '  \n');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no task/);
    assert.equal(noCalls(), 0);
  });

  it('never prints or saves a key, whatever way every provider and the conductor fail', async () => {
    const secrets = {
      OPENAI_API_KEY: 'sk-SECRET-openai-0123456789',
      ANTHROPIC_API_KEY: 'SECRETanthropic-0123456789',
      GEMINI_API_KEY: 'SECRETgemini-0123456789',
      COND_KEY: 'SECRETconductor-0123456789',
    };
    writeConfig({ policy: { backend: 'conductor', baseUrl: fakes.openai.url, model: 'conductor-7b', apiKeyEnv: 'COND_KEY', timeoutMs: 2000 } });
    const echo = (status: number) => (req: { apiKey?: string }) => reply.status(status, { message: `bad key ${req.apiKey} (key=${req.apiKey})` });
    try {
      for (const status of [401, 500, 400]) {
        fakes.reset();
        for (const f of fakes.all) f.setDefault(echo(status));
        const tracePath = join(dir, `trace-${status}.json`);
        const r = await solve(['--config', configPath, '--workspace', dir, '--trace', tracePath, 'Bump the version constant in app.ts'], secrets);
        assert.equal(r.code, 1, r.stderr);
        assert.ok(fakes.openai.requests.some((q) => q.apiKey === secrets.COND_KEY), 'the conductor was asked');
        const everything = `${r.stdout}\n${r.stderr}\n${readFileSync(tracePath, 'utf8')}`;
        for (const key of Object.values(secrets)) assert.ok(!everything.includes(key), `HTTP ${status}: a key leaked`);
      }
    } finally {
      for (const f of fakes.all) f.setDefault(echoReply);
    }
  });
});
