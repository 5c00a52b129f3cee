// Activation must not pay for the SDKs: importing createWorker loads none; the first call loads its own.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const createWorkerJs = path.resolve(__dirname, '../../../../src/core/workers/createWorker.js');

// Runs in a fresh Node: a loader hook logs every SDK resolution (ESM import() and CJS require alike).
const CHILD = `
const { register } = require('node:module');
const { readFileSync, writeFileSync, mkdtempSync } = require('node:fs');
const os = require('node:os'), path = require('node:path');
const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'fugu-sdk-')), 'loaded.txt');
writeFileSync(log, '');
const hook = \`
import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.log; }
export async function resolve(spec, ctx, next) {
  if (/^(openai|@anthropic-ai\\\\/sdk|@google\\\\/genai)$/.test(spec)) appendFileSync(file, spec + '\\\\n');
  return next(spec, ctx);
}\`;
register('data:text/javascript,' + encodeURIComponent(hook), { data: { log } });
const Module = require('node:module');
const origLoad = Module._load;
Module._load = function (req, ...rest) {
  if (/^(openai|@anthropic-ai\\/sdk|@google\\/genai)$/.test(req)) require('node:fs').appendFileSync(log, req + '\\n');
  return origLoad.call(this, req, ...rest);
};
const seen = () => readFileSync(log, 'utf8').split('\\n').filter(Boolean).sort();
(async () => {
  const { createWorker } = require(${JSON.stringify(createWorkerJs)});
  const out = { afterImport: seen() };
  const opts = { apiKey: 'k', timeoutMs: 1000, maxRetries: 0 };
  const w = createWorker({ id: 'a', provider: 'anthropic', model: 'm', baseUrl: 'http://127.0.0.1:9', role: 'any' }, opts);
  out.afterCreate = seen();
  await w.call({ messages: [{ role: 'user', content: 'hi' }] }).catch(() => undefined);
  out.afterAnthropicCall = seen();
  require('node:fs').rmSync(path.dirname(log), { recursive: true, force: true });
  process.stdout.write(JSON.stringify(out));
})();
`;

describe('SDK loading', () => {
  it('importing createWorker loads no provider SDK; the first call loads only its own', () => {
    const out = JSON.parse(execFileSync(process.execPath, ['-e', CHILD], { encoding: 'utf8', timeout: 15000 }));
    assert.deepEqual(out.afterImport, []);
    assert.deepEqual(out.afterCreate, [], 'creating a worker is not a call');
    // The positive control: the hook does see the SDK once a call happens.
    assert.deepEqual(out.afterAnthropicCall, ['@anthropic-ai/sdk']);
  });
});
