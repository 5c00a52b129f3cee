// The layer rule, checked: src/core and src/protocol never reach the editor, and the core never
// reaches up into the editor, CLI or webview layers.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

describe('layers', () => {
  for (const layer of ['src/core', 'src/protocol']) {
    it(`${layer} never imports vscode`, () => {
      const bad = tsFiles(join(ROOT, layer)).filter((f) => imports(f).includes('vscode'));
      assert.deepEqual(bad.map((f) => relative(ROOT, f)), []);
    });
  }

  it('src/core never imports from src/vscode, src/cli or media', () => {
    const bad: string[] = [];
    for (const f of tsFiles(join(ROOT, 'src/core'))) {
      for (const spec of imports(f)) {
        if (!spec.startsWith('.')) continue;
        const target = relative(ROOT, resolve(join(f, '..'), spec));
        if (/^(src\/(vscode|cli)|media)\b/.test(target)) bad.push(`${relative(ROOT, f)} -> ${target}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('no provider SDK is imported statically anywhere (they load on first use)', () => {
    const bad: string[] = [];
    for (const f of [...tsFiles(join(ROOT, 'src')), ...tsFiles(join(ROOT, 'media'))]) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/^import\s+(?!type\b)[^;]*from\s+['"](openai|@anthropic-ai\/sdk|@google\/genai)['"]/gm)) bad.push(`${relative(ROOT, f)}: ${m[0]}`);
    }
    assert.deepEqual(bad, []);
  });
});
