// What a task names: paths and base names of files, and identifiers (functions, classes, constants).
// Only code-looking words count as identifiers, so "the bug in the cart total" names no symbol.

export interface TaskTerms {
  /** Words that look like paths or file names (`src/cart.ts`, `cart.ts`). */
  paths: string[];
  /** Identifiers, in the order the task names them (`parsePrice`, `Cart`, `MAX_ITEMS`). */
  identifiers: string[];
}

const STOP = new Set(['e.g', 'i.e', 'etc', 'vs']);
const FILE_EXTENSIONS = new Set(
  'ts tsx mts cts js jsx mjs cjs py pyi go rs java kt swift c h cc cpp hpp cs rb php md json txt yml yaml toml xml html css scss sh sql ini cfg lock'.split(' '),
);

export function taskTerms(task: string): TaskTerms {
  const paths = new Set<string>();
  const ids = new Set<string>();
  for (const m of task.matchAll(/(?:^|[\s`'"([])((?:\.{0,2}\/)?[\w@.-]+(?:\/[\w@.-]+)*\.[A-Za-z0-9]{1,8}|[\w@.-]+(?:\/[\w@.-]+)+)(?=$|[\s`'"),:;!?\]]|\.(?:\s|$))/g)) {
    const p = m[1].replace(/^\.\//, '');
    if (!STOP.has(p.toLowerCase()) && !/^\d+(\.\d+)*$/.test(p)) paths.add(p);
  }
  const addId = (w: string) => {
    for (const part of w.split(/\.|::|#/)) if (/^[A-Za-z_$][\w$]*$/.test(part) && part.length >= 2) ids.add(part);
  };
  // Anything in backticks is code.
  for (const m of task.matchAll(/`([^`\n]{1,80})`/g)) {
    const code = m[1].replace(/\(.*$/, '').trim();
    if (/^[A-Za-z_$][\w$]*(?:(?:\.|::|#)[A-Za-z_$][\w$]*)*$/.test(code)) addId(code);
  }
  for (const m of task.matchAll(/[A-Za-z_$][\w$]*(?:(?:\.|::)[A-Za-z_$][\w$]*)*(\()?/g)) {
    const w = m[0].replace(/\($/, '');
    if (paths.has(w) && FILE_EXTENSIONS.has(w.slice(w.lastIndexOf('.') + 1).toLowerCase())) continue; // cart.py, not Cart.add
    const last = w.split(/\.|::/).pop()!;
    const codeLike =
      m[1] !== undefined || // called: total(
      /[a-z0-9][A-Z]/.test(last) || // camelCase, PascalCase with an inner capital
      /[A-Za-z0-9]_[A-Za-z0-9]/.test(last) || // snake_case, UPPER_SNAKE
      /^_/.test(last) ||
      (/(\.|::)/.test(w) && /[A-Z]/.test(w)); // Cart.total, crate::Cart
    if (codeLike) addId(w);
  }
  return { paths: [...paths], identifiers: [...ids] };
}
