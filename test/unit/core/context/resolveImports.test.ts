import assert from 'node:assert/strict';
import { PathLookup, resolveImport } from '../../../../src/core/context/resolveImports';
import { taskTerms } from '../../../../src/core/context/taskTerms';

const files = new PathLookup([
  'web/src/cart.ts',
  'web/src/price/index.ts',
  'web/src/money.tsx',
  'py/shop/cart.py',
  'py/shop/price.py',
  'py/shop/tax/__init__.py',
  'go/internal/price/price.go',
  'go/internal/price/price_test.go',
  'rs/src/lib.rs',
  'rs/src/cart.rs',
  'rs/src/price/mod.rs',
  'rs/src/price/parse.rs',
  'java/src/main/java/com/shop/price/Parser.java',
  'java/src/main/java/com/shop/cart/Cart.java',
]);

describe('import resolution', () => {
  const cases: [string, string, Parameters<typeof resolveImport>[2], string[]][] = [
    ['./price', 'web/src/cart.ts', 'typescript', ['web/src/price/index.ts']],
    ['./money.js', 'web/src/cart.ts', 'typescript', ['web/src/money.tsx']],
    ['react', 'web/src/cart.ts', 'typescript', []],
    ['.price', 'py/shop/cart.py', 'python', ['py/shop/price.py']],
    ['.tax', 'py/shop/cart.py', 'python', ['py/shop/tax/__init__.py']],
    ['shop.price', 'py/shop/cart.py', 'python', ['py/shop/price.py']],
    ['os', 'py/shop/cart.py', 'python', []],
    ['example.com/shop/internal/price', 'go/main.go', 'go', ['go/internal/price/price.go']],
    ['fmt', 'go/main.go', 'go', []],
    ['mod:cart', 'rs/src/lib.rs', 'rust', ['rs/src/cart.rs']],
    ['crate::price::parse', 'rs/src/cart.rs', 'rust', ['rs/src/price/parse.rs']],
    ['crate::price', 'rs/src/cart.rs', 'rust', ['rs/src/price/mod.rs']],
    ['std::fmt', 'rs/src/cart.rs', 'rust', []],
    ['com.shop.price.Parser', 'java/src/main/java/com/shop/cart/Cart.java', 'java', ['java/src/main/java/com/shop/price/Parser.java']],
    ['java.util.List', 'java/src/main/java/com/shop/cart/Cart.java', 'java', []],
  ];
  for (const [spec, from, lang, want] of cases) {
    it(`${lang}: ${spec} from ${from} → ${want.join(', ') || 'nothing in the workspace'}`, () => {
      assert.deepEqual(resolveImport(spec, from, lang, files), want);
    });
  }
});

describe('what a task names', () => {
  it('paths, base names and code-looking identifiers, not plain words', () => {
    const t = taskTerms('Make `parsePrice` accept commas; the bug in the cart total is in src/cart.ts or price.py (see Cart.total, Cart.add, MAX_ITEMS and render()).');
    assert.deepEqual(t.paths, ['src/cart.ts', 'price.py', 'Cart.total', 'Cart.add']);
    assert.deepEqual(t.identifiers, ['parsePrice', 'Cart', 'total', 'add', 'MAX_ITEMS', 'render']);
  });

  it('names nothing in a plain sentence', () => {
    assert.deepEqual(taskTerms('Fix the bug in the cart total, please.'), { paths: [], identifiers: [] });
  });
});
