import assert from 'node:assert/strict';
import { languageOf } from '../../../../src/core/context/languages';
import { outlineOf } from '../../../../src/core/context/outline';

/** `kind container.name: signature` per symbol, and the imports, for compact comparisons. */
async function outline(file: string, text: string) {
  const o = await outlineOf(languageOf(file)!, text);
  return { symbols: o.symbols.map((s) => `${s.kind} ${s.container ? `${s.container}.` : ''}${s.name}@${s.line}: ${s.signature}`), imports: o.imports };
}

describe('outlines (tree-sitter through WebAssembly)', () => {
  it('TypeScript: functions, classes with methods, types, exported constants, imports', async () => {
    const o = await outline('cart.ts', [
      "import { parsePrice } from './price';",
      "export * from './money';",
      'export function total(lines: string[], tax = 0): number { return 0; }',
      'export class Cart<T> extends Base {',
      '  add(item: T): void {}',
      '}',
      'export const TAX_RATE = 0.2;',
      'const local = 1;',
      'export const fmt = (n: number): string => `${n}`;',
      'export interface Line { price: number }',
    ].join('\n'));
    assert.deepEqual(o.imports, ['./price', './money']);
    assert.deepEqual(o.symbols, [
      'function total@3: function total(lines: string[], tax = 0): number',
      'class Cart@4: class Cart<T> extends Base',
      'method Cart.add@5: add(item: T): void',
      'constant TAX_RATE@7: const TAX_RATE = 0.2',
      'function fmt@9: const fmt = (n: number): string',
      'type Line@10: interface Line { price: number }',
    ]);
  });

  it('TSX parses JSX', async () => {
    const o = await outline('App.tsx', 'export function App(props: { name: string }) {\n  return <div>{props.name}</div>;\n}\n');
    assert.deepEqual(o.symbols, ['function App@1: function App(props: { name: string })']);
  });

  it('JavaScript: functions, classes, require() and import', async () => {
    const o = await outline('cart.js', "const fs = require('fs');\nimport x from './x.js';\nfunction parsePrice(s) { return +s; }\nclass Cart { total() { return 0; } }\nmodule.exports = { parsePrice };\n");
    assert.deepEqual(o.imports, ['fs', './x.js']);
    assert.deepEqual(o.symbols, ['function parsePrice@3: function parsePrice(s)', 'class Cart@4: class Cart', 'method Cart.total@4: total()']);
  });

  it('Python: functions, classes and methods (decorated too), constants, imports', async () => {
    const o = await outline('cart.py', 'import os\nfrom .price import parse_price\nfrom . import tax\nMAX_ITEMS = 10\n@dataclass\nclass Cart(Base):\n    @property\n    def total(self) -> float:\n        return 0\ndef parse(s: str) -> float:\n    return 1.0\n');
    assert.deepEqual(o.imports, ['os', '.price', '.', '.tax']);
    assert.deepEqual(o.symbols, [
      'constant MAX_ITEMS@4: MAX_ITEMS = 10',
      'class Cart@6: class Cart(Base)',
      'method Cart.total@8: def total(self) -> float',
      'function parse@10: def parse(s: str) -> float',
    ]);
  });

  it('Go: functions, methods with their receiver type, types, exported constants, imports', async () => {
    const o = await outline('cart.go', 'package cart\n\nimport (\n\t"fmt"\n\t"example.com/shop/price"\n)\n\nconst MaxItems = 10\nconst local = 1\n\ntype Cart struct{ items []int }\n\nfunc (c *Cart) Total(tax float64) float64 { return 0 }\n\nfunc ParsePrice(s string) (float64, error) { return 0, nil }\n');
    assert.deepEqual(o.imports, ['fmt', 'example.com/shop/price']);
    assert.deepEqual(o.symbols, [
      'constant MaxItems@8: const MaxItems = 10',
      'class Cart@11: type Cart struct',
      'method Cart.Total@13: func (c *Cart) Total(tax float64) float64',
      'function ParsePrice@15: func ParsePrice(s string) (float64, error)',
    ]);
  });

  it('Rust: functions, structs, traits, impl methods, constants, use and mod', async () => {
    const o = await outline('cart.rs', 'use crate::price::{parse, format};\nmod tax;\npub const MAX: u32 = 10;\npub struct Cart { items: Vec<u32> }\npub trait Total { fn total(&self) -> f64; }\nimpl Cart {\n    pub fn new() -> Self { Cart { items: vec![] } }\n}\npub fn parse_price(s: &str) -> Result<f64, String> { Ok(0.0) }\n');
    assert.deepEqual(o.imports, ['crate::price', 'mod:tax']);
    assert.deepEqual(o.symbols, [
      'constant MAX@3: pub const MAX: u32 = 10',
      'class Cart@4: pub struct Cart',
      'type Total@5: pub trait Total',
      'method Cart.new@7: pub fn new() -> Self',
      'function parse_price@9: pub fn parse_price(s: &str) -> Result<f64, String>',
    ]);
  });

  it('Java: classes, methods, constructors, static final constants, imports', async () => {
    const o = await outline('Cart.java', 'package shop;\nimport shop.price.Parser;\nimport java.util.*;\npublic class Cart {\n  public static final int MAX_ITEMS = 10;\n  private int n;\n  public Cart(int n) { this.n = n; }\n  public double total(double tax) { return 0; }\n}\ninterface Totaler { double total(double tax); }\n');
    assert.deepEqual(o.imports, ['shop.price.Parser', 'java.util.*']);
    assert.deepEqual(o.symbols, [
      'class Cart@4: public class Cart',
      'constant Cart.MAX_ITEMS@5: public static final int MAX_ITEMS = 10',
      'method Cart.Cart@7: public Cart(int n)',
      'method Cart.total@8: public double total(double tax)',
      'type Totaler@10: interface Totaler',
      'method Totaler.total@10: double total(double tax)',
    ]);
  });

  it('a file that does not parse cleanly still yields the definitions it can', async () => {
    const o = await outline('broken.ts', 'export function good(): number { return 1; }\nfunction (((( broken\nexport class Later {}\n');
    assert.ok(o.symbols.some((s) => s.startsWith('function good@1')), o.symbols.join('\n'));
  });
});
