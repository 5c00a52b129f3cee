// The layer rules live in eslint.config.mjs (`npm run lint`, a stage of `npm test`). These tests
// hold the config to them: each rule fires where it must, and stays quiet where the code is allowed.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { ESLint as ESLintType } from 'eslint';

const ROOT = resolve(__dirname, '../../..');

let eslint: ESLintType;

/** The restricted-import messages the project config gives `code` written at `file`. */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, file) });
  return result.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('layers (the lint config)', function () {
  // Loading ESLint and its config takes seconds; much longer on a machine under load.
  this.timeout(180_000);
  before(async () => {
    const { ESLint } = await import('eslint');
    eslint = new ESLint({ cwd: ROOT });
  });

  for (const file of ['src/core/runTask.ts', 'src/core/trace/reduce.ts', 'src/protocol/traceView.ts', 'media/webview/main.ts']) {
    it(`${file} may not import vscode`, async () => {
      const errors = await layerErrors(file, "import * as vscode from 'vscode';\nexport const v = vscode;\n");
      assert.equal(errors.length, 1);
      assert.match(errors[0], /outside the editor/);
    });
  }

  it('src/vscode and src/cli may import vscode and Node modules', async () => {
    assert.deepEqual(await layerErrors('src/vscode/solve.ts', "import * as vscode from 'vscode';\nimport { readFile } from 'node:fs/promises';\nexport { vscode, readFile };\n"), []);
    assert.deepEqual(await layerErrors('src/cli/main.ts', "import * as path from 'node:path';\nexport { path };\n"), []);
  });

  for (const file of ['src/core/trace/reduce.ts', 'src/protocol/traceViewSchemas.ts', 'media/webview/render/cards.ts']) {
    it(`${file}, bundled into the webview, may not import Node modules in any spelling`, async () => {
      const code = "import { a } from 'node:fs';\nimport { b } from 'path';\nimport { c } from 'fs/promises';\nexport { a, b, c };\n";
      const errors = await layerErrors(file, code);
      assert.equal(errors.length, 3, errors.join('\n'));
      for (const e of errors) assert.match(e, /bundled into the webview/);
    });
  }

  it('the rest of src/core may use Node modules', async () => {
    assert.deepEqual(await layerErrors('src/core/edits/applyToDisk.ts', "import { promises } from 'node:fs';\nexport { promises };\n"), []);
  });

  it('src/core never imports from src/vscode, src/cli or media', async () => {
    const code = "import { a } from '../../vscode/keys';\nimport { b } from '../cli/solve';\nimport { c } from '../../../media/webview/format';\nimport { d } from './budget';\nexport { a, b, c, d };\n";
    const errors = await layerErrors('src/core/edits/planEdits.ts', code);
    assert.equal(errors.length, 3, errors.join('\n'));
  });

  for (const sdk of ['openai', '@anthropic-ai/sdk', '@google/genai', '@anthropic-ai/sdk/resources']) {
    it(`no static import of ${sdk} anywhere; import type and import() are fine`, async () => {
      for (const file of ['src/core/workers/openaiWorker.ts', 'src/vscode/extension.ts', 'src/cli/serve.ts']) {
        const errors = await layerErrors(file, `import Sdk from '${sdk}';\nexport const s = Sdk;\n`);
        assert.equal(errors.length, 1, `${file}: ${errors.join('\n')}`);
        assert.match(errors[0], /load on first use/);
      }
      const allowed = `import type { X } from '${sdk}';\nexport async function load(): Promise<X> {\n  return (await import('${sdk}')) as unknown as X;\n}\n`;
      assert.deepEqual(await layerErrors('src/core/workers/openaiWorker.ts', allowed), []);
    });
  }
});
