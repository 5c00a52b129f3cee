import assert from 'node:assert/strict';
import { codeTokens, pathTokens, queryTerms, splitIdentifier, stem } from '../../../../src/core/context/codeTokens';
import { LexicalIndex } from '../../../../src/core/context/lexicalIndex';

describe('code-aware tokens', () => {
  it('splits camelCase, PascalCase with acronyms, snake_case, kebab-case and digits', () => {
    assert.deepEqual(splitIdentifier('parseHTTPResponse2'), ['parse', 'http', 'response', '2']);
    assert.deepEqual(splitIdentifier('zsh_completions'), ['zsh', 'completions']);
    assert.deepEqual(splitIdentifier('MAX_ITEMS'), ['max', 'items']);
    assert.deepEqual(splitIdentifier('x-forwarded-for'), ['x', 'forwarded', 'for']);
  });

  it('splits runs of capitals before their last one, a digit after a letter (not a letter after a digit), and at any other character', () => {
    assert.deepEqual(splitIdentifier('ABCDefGHIjk'), ['abc', 'def', 'gh', 'ijk']);
    assert.deepEqual(splitIdentifier('getURLs'), ['get', 'ur', 'ls']);
    assert.deepEqual(splitIdentifier('md5sum'), ['md', '5sum']);
    assert.deepEqual(splitIdentifier('a1B2'), ['a', '1', 'b', '2']);
    assert.deepEqual(splitIdentifier('$scope'), ['scope']);
    assert.deepEqual(splitIdentifier('ÄbcDef'), ['bc', 'def']);
    assert.deepEqual(splitIdentifier(`${'x'.repeat(70)}Y`), ['x'.repeat(64)]);
  });

  it('stems plurals, -ing, -ed, -tion and a final e or y so that a word\'s forms meet', () => {
    for (const forms of [['completions', 'completion', 'complete', 'completed'], ['quoting', 'quoted', 'quote'], ['entries', 'entry'], ['cookies', 'cookie'], ['deprecation', 'deprecated', 'deprecate'], ['normalization', 'normalize', 'normalized']]) {
      assert.equal(new Set(forms.map(stem)).size, 1, forms.join(', '));
    }
    assert.equal(stem('class'), 'class');
    assert.equal(stem('status'), 'status');
    assert.notEqual(stem('option'), stem('opt'));
  });

  it('keeps a compound identifier whole beside its parts, and drops stop words and short parts', () => {
    assert.deepEqual(codeTokens('parsePrice(a)'), ['pars', 'pric', 'parseprice']);
    assert.deepEqual(codeTokens('fix the bug in it'), ['bug']);
  });

  it('lets "zsh completion" meet zsh_completions.go through the path', () => {
    const path = pathTokens('src/shell/zsh_completions.go');
    for (const t of queryTerms('quote the arguments in the zsh completion')) if (t === 'zsh' || t === 'completion') assert.ok(path.includes(t), t);
    assert.ok(path.includes('shell'));
    assert.ok(!path.includes('go'), 'the extension is too short to count');
  });
});

describe('lexical index (BM25F)', () => {
  it('ranks a path or symbol-name match above the same word in another file\'s contents', () => {
    const lex = new LexicalIndex();
    lex.set('src/zsh_completions.go', 'package cmd\nfunc genZsh() {}\n');
    lex.set('src/bash.go', 'package cmd\n// unlike the zsh completion script, this one...\nfunc genBash() {}\n');
    lex.set('src/other.go', 'package cmd\nfunc other() {}\n');
    lex.set('src/more.go', 'package cmd\nfunc more() {}\n');
    const hits = lex.search(queryTerms('quote args in zsh completion'));
    assert.deepEqual(hits.map((h) => h.path), ['src/zsh_completions.go', 'src/bash.go']);
    assert.ok(hits[0].matched.some((m) => m.term === 'zsh' && m.fields.includes('path')));
  });

  it('updates one file at a time: replaced text, a symbols field filled in later, a removal', () => {
    const lex = new LexicalIndex();
    lex.set('a.ts', 'export function alpha() {}');
    lex.set('b.ts', 'export function beta() {}');
    lex.set('c.ts', 'export function gamma() {}');
    assert.deepEqual(lex.search(['alpha']).map((h) => h.path), ['a.ts']);
    lex.set('a.ts', 'export function delta() {}');
    assert.deepEqual(lex.search(['alpha']), []);
    assert.deepEqual(lex.search(['delta']).map((h) => h.path), ['a.ts']);
    lex.setSymbols('b.ts', ['renderWidget']);
    assert.deepEqual(lex.search(['widget']).map((h) => [h.path, h.matched[0].fields]), [['b.ts', ['symbols']]]);
    lex.remove('b.ts');
    assert.deepEqual(lex.search(['beta']), []);
    assert.equal(lex.size, 2);
    assert.deepEqual(lex.filesWithTerm('gamma'), ['c.ts']);
  });

  it('counts a file once per term however often it is replaced or its symbols are set again', () => {
    const lex = new LexicalIndex();
    for (const n of ['a', 'b', 'c', 'd', 'e']) lex.set(`${n}.ts`, `const ${n}Value = 1;`);
    const before = lex.search(['widget']);
    assert.deepEqual(before, []);
    lex.setSymbols('a.ts', ['renderWidget']);
    lex.setSymbols('a.ts', []);
    lex.setSymbols('a.ts', ['renderWidget']);
    lex.set('b.ts', 'widget');
    lex.set('b.ts', 'widget widget');
    const idf = lex.idf('widget');
    assert.equal(idf, Math.log(1 + (5 - 2 + 0.5) / (2 + 0.5)), 'two files hold it');
    const hits = lex.search(['widget']);
    assert.deepEqual(hits.map((h) => h.path).sort(), ['a.ts', 'b.ts']);
    lex.remove('b.ts');
    assert.equal(lex.idf('widget'), Math.log(1 + (4 - 1 + 0.5) / (1 + 0.5)));
  });

  it('ignores a query term found in most files', () => {
    const lex = new LexicalIndex();
    for (const n of ['a', 'b', 'c', 'd']) lex.set(`src/${n}.ts`, `export const ${n}Value = 1;`);
    assert.deepEqual(lex.search(['src']), []);
  });
});
