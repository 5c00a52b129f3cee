// tree-sitter through WebAssembly, loaded on first use: the runtime bundle (dist/tree-sitter.js) and
// each grammar's .wasm are read only when a file of that language is first parsed, never at activation.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import type * as WebTreeSitter from 'web-tree-sitter';
import { grammarFile } from './languages';
import type { LanguageId } from './types';

const loadRuntime = () => import('web-tree-sitter');
type Runtime = Awaited<ReturnType<typeof loadRuntime>>;
export type SyntaxNode = WebTreeSitter.Node;

let runtime: Promise<Runtime> | undefined;
const parsers = new Map<LanguageId, Promise<WebTreeSitter.Parser>>();

/**
 * A .wasm file's bytes: `tree-sitter/<file>.br` beside the bundle (the extension and the CLI ship
 * them brotli-compressed, which keeps the .vsix small), else the npm packages' own file (tests and
 * tools running from the sources).
 */
function wasmBytes(file: string): Uint8Array {
  const shipped = path.join(__dirname, 'tree-sitter', `${file}.br`);
  if (existsSync(shipped)) return brotliDecompressSync(readFileSync(shipped));
  if (file === 'web-tree-sitter.wasm') return readFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'));
  return readFileSync(path.join(path.dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm', file));
}

function init(): Promise<Runtime> {
  runtime ??= loadRuntime().then(async (ts) => {
    await ts.Parser.init({ wasmBinary: wasmBytes('web-tree-sitter.wasm') });
    return ts;
  });
  return runtime;
}

/** A parser for the language, created once per process. */
export function parserFor(lang: LanguageId): Promise<WebTreeSitter.Parser> {
  let p = parsers.get(lang);
  if (!p) {
    p = init().then(async (ts) => {
      const language = await ts.Language.load(wasmBytes(grammarFile(lang)));
      const parser = new ts.Parser();
      parser.setLanguage(language);
      return parser;
    });
    // A grammar that fails to load is tried again next time rather than cached as broken.
    p.catch(() => parsers.delete(lang));
    parsers.set(lang, p);
  }
  return p;
}

/** Whether the runtime has been loaded in this process (activation must leave it unloaded). */
export function treeSitterLoaded(): boolean {
  return runtime !== undefined;
}
