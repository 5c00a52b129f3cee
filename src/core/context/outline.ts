// A file's outline: its top-level definitions (functions, classes and their methods, types, exported
// constants) with one-line signatures, and its import specifiers, read from a tree-sitter parse.
import { parserFor, type SyntaxNode } from './treeSitter';
import type { CodeSymbol, FileOutline, LanguageId, SymbolKind } from './types';

const MAX_SIGNATURE = 200;

/** Parses `text` and returns its outline; a file the grammar cannot make sense of yields what it can. */
export async function outlineOf(lang: LanguageId, text: string): Promise<FileOutline> {
  const parser = await parserFor(lang);
  const tree = parser.parse(text);
  if (!tree) return { symbols: [], imports: [] };
  try {
    const out: FileOutline = { symbols: [], imports: [] };
    const visit = VISITORS[lang];
    for (const node of tree.rootNode.namedChildren) if (node) visit(node, out, text);
    return out;
  } finally {
    tree.delete();
  }
}

type Visitor = (node: SyntaxNode, out: FileOutline, src: string) => void;

function field(node: SyntaxNode, name: string): SyntaxNode | null {
  return node.childForFieldName(name);
}

function kids(node: SyntaxNode | null): SyntaxNode[] {
  return node ? (node.namedChildren.filter(Boolean) as SyntaxNode[]) : [];
}

/** The node's text from its start up to its body (or `stopAt`), on one line. */
function head(node: SyntaxNode, src: string, stopAt: SyntaxNode | null = field(node, 'body')): string {
  const end = stopAt ? stopAt.startIndex : node.endIndex;
  let s = src.slice(node.startIndex, end).replace(/\s+/g, ' ').trim();
  s = s.replace(/\s*[{:=;]$/, '').trim();
  return s.length > MAX_SIGNATURE ? `${s.slice(0, MAX_SIGNATURE - 1)}…` : s;
}

function add(out: FileOutline, node: SyntaxNode, nameNode: SyntaxNode | null, kind: SymbolKind, signature: string, container?: string): void {
  if (!nameNode) return;
  out.symbols.push({ name: nameNode.text, kind, line: node.startPosition.row + 1, signature, ...(container ? { container } : {}) });
}

function unquote(s: string): string {
  return s.replace(/^['"`]|['"`]$/g, '');
}

const isConstName = (name: string) => /^[A-Z][A-Z0-9_]*$/.test(name) && /[A-Z]/.test(name);

// TypeScript, TSX and JavaScript share their node types.
const JS_DEFS: Record<string, SymbolKind> = {
  function_declaration: 'function',
  generator_function_declaration: 'function',
  function_signature: 'function',
  class_declaration: 'class',
  abstract_class_declaration: 'class',
  interface_declaration: 'type',
  type_alias_declaration: 'type',
  enum_declaration: 'type',
};
const JS_METHODS = new Set(['method_definition', 'abstract_method_signature', 'method_signature']);
const JS_FUNCTION_VALUES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);

function visitJs(node: SyntaxNode, out: FileOutline, src: string, exported = false): void {
  switch (node.type) {
    case 'import_statement': {
      const s = field(node, 'source');
      if (s) out.imports.push(unquote(s.text));
      return;
    }
    case 'export_statement': {
      const s = field(node, 'source');
      if (s) out.imports.push(unquote(s.text));
      const decl = field(node, 'declaration');
      if (decl) visitJs(decl, out, src, true);
      return;
    }
    case 'ambient_declaration':
      for (const k of kids(node)) visitJs(k, out, src, exported);
      return;
    case 'lexical_declaration':
    case 'variable_declaration':
      for (const d of kids(node)) {
        if (d.type !== 'variable_declarator') continue;
        const name = field(d, 'name');
        const value = field(d, 'value');
        if (value && value.type === 'call_expression' && field(value, 'function')?.text === 'require') {
          const arg = kids(field(value, 'arguments'))[0];
          if (arg?.type === 'string') out.imports.push(unquote(arg.text));
        }
        if (!name || name.type !== 'identifier') continue;
        if (value && JS_FUNCTION_VALUES.has(value.type)) {
          add(out, node, name, 'function', head(node, src, field(value, 'body')).replace(/\s*=>$/, ''));
        } else if (exported || isConstName(name.text)) {
          add(out, node, name, 'constant', oneLine(src, node));
        }
      }
      return;
  }
  const kind = JS_DEFS[node.type];
  if (!kind) return;
  const name = field(node, 'name');
  add(out, node, name, kind, head(node, src, kind === 'type' ? null : field(node, 'body')));
  if (kind !== 'class' || !name) return;
  for (const m of kids(field(node, 'body'))) {
    if (JS_METHODS.has(m.type)) add(out, m, field(m, 'name'), 'method', head(m, src), name.text);
  }
}

/** The first line of a node, capped (constants: `export const TAX_RATE = 0.2`). */
function oneLine(src: string, node: SyntaxNode): string {
  const text = src.slice(node.startIndex, node.endIndex);
  const line = text.split('\n')[0].trim().replace(/[;{]$/, '').trim();
  return line.length > MAX_SIGNATURE ? `${line.slice(0, MAX_SIGNATURE - 1)}…` : line;
}

function visitPython(node: SyntaxNode, out: FileOutline, src: string, container?: string): void {
  switch (node.type) {
    case 'import_statement':
      for (const k of kids(node)) {
        if (k.type === 'dotted_name') out.imports.push(k.text);
        else if (k.type === 'aliased_import') out.imports.push(field(k, 'name')?.text ?? '');
      }
      return;
    case 'import_from_statement': {
      const mod = field(node, 'module_name');
      if (!mod) return;
      out.imports.push(mod.text);
      // `from . import price` names modules, not just symbols.
      if (/^\.+$/.test(mod.text)) {
        for (const k of kids(node)) if (k !== mod && k.type === 'dotted_name') out.imports.push(`${mod.text}${k.text}`);
      }
      return;
    }
    case 'decorated_definition': {
      const def = field(node, 'definition');
      if (def) visitPython(def, out, src, container);
      return;
    }
    case 'function_definition':
      add(out, node, field(node, 'name'), container ? 'method' : 'function', head(node, src), container);
      return;
    case 'class_definition': {
      const name = field(node, 'name');
      if (container) return; // nested classes stay out of the map
      add(out, node, name, 'class', head(node, src));
      for (const k of kids(field(node, 'body'))) {
        if (name && (k.type === 'function_definition' || k.type === 'decorated_definition')) visitPython(k, out, src, name.text);
      }
      return;
    }
    case 'expression_statement': {
      const a = kids(node)[0];
      const left = a?.type === 'assignment' ? field(a, 'left') : null;
      if (!container && left?.type === 'identifier' && isConstName(left.text)) add(out, node, left, 'constant', oneLine(src, node));
      return;
    }
  }
}

function visitGo(node: SyntaxNode, out: FileOutline, src: string): void {
  switch (node.type) {
    case 'import_declaration':
      for (const spec of node.descendantsOfType('import_spec')) {
        const p = spec && field(spec, 'path');
        if (p) out.imports.push(unquote(p.text));
      }
      return;
    case 'function_declaration':
      add(out, node, field(node, 'name'), 'function', head(node, src));
      return;
    case 'method_declaration': {
      const recv = field(node, 'receiver');
      const type = recv?.descendantsOfType('type_identifier')[0]?.text;
      add(out, node, field(node, 'name'), 'method', head(node, src), type);
      return;
    }
    case 'type_declaration':
      for (const spec of kids(node)) {
        if (spec.type !== 'type_spec' && spec.type !== 'type_alias') continue;
        const t = field(spec, 'type')?.type;
        add(out, spec, field(spec, 'name'), t === 'struct_type' || t === 'interface_type' ? 'class' : 'type', `type ${head(spec, src, field(spec, 'type'))} ${t === 'struct_type' ? 'struct' : t === 'interface_type' ? 'interface' : ''}`.trim());
      }
      return;
    case 'const_declaration':
      for (const spec of kids(node)) {
        if (spec.type !== 'const_spec') continue;
        for (const n of kids(spec)) if (n.type === 'identifier' && /^[A-Z]/.test(n.text)) add(out, spec, n, 'constant', `const ${oneLine(src, spec)}`);
      }
      return;
  }
}

const RUST_DEFS: Record<string, SymbolKind> = {
  function_item: 'function',
  function_signature_item: 'function',
  struct_item: 'class',
  enum_item: 'class',
  union_item: 'class',
  trait_item: 'type',
  type_item: 'type',
  const_item: 'constant',
  static_item: 'constant',
  macro_definition: 'function',
};

function visitRust(node: SyntaxNode, out: FileOutline, src: string): void {
  switch (node.type) {
    case 'use_declaration': {
      const arg = field(node, 'argument');
      if (arg) out.imports.push(arg.text.replace(/::\{[\s\S]*$/, '').replace(/\s+as\s+\w+$/, ''));
      return;
    }
    case 'mod_item':
      if (!field(node, 'body')) {
        const name = field(node, 'name');
        if (name) out.imports.push(`mod:${name.text}`);
      }
      return;
    case 'impl_item': {
      const type = field(node, 'type');
      const typeName = type?.type === 'generic_type' ? field(type, 'type')?.text : type?.text;
      for (const k of kids(field(node, 'body'))) {
        if (k.type === 'function_item') add(out, k, field(k, 'name'), 'method', head(k, src), typeName);
      }
      return;
    }
  }
  const kind = RUST_DEFS[node.type];
  if (!kind) return;
  const sig = kind === 'constant' ? oneLine(src, node) : head(node, src, kind === 'function' ? field(node, 'body') : field(node, 'body'));
  add(out, node, field(node, 'name'), kind, sig);
}

const JAVA_TYPES = new Set(['class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration', 'annotation_type_declaration']);

function visitJava(node: SyntaxNode, out: FileOutline, src: string): void {
  if (node.type === 'import_declaration') {
    const name = kids(node).find((k) => k.type === 'scoped_identifier' || k.type === 'identifier');
    if (name) out.imports.push(kids(node).some((k) => k.type === 'asterisk') ? `${name.text}.*` : name.text);
    return;
  }
  if (!JAVA_TYPES.has(node.type)) return;
  const name = field(node, 'name');
  add(out, node, name, node.type === 'interface_declaration' ? 'type' : 'class', head(node, src));
  if (!name) return;
  for (const m of kids(field(node, 'body'))) {
    if (m.type === 'method_declaration' || m.type === 'constructor_declaration') {
      add(out, m, field(m, 'name'), 'method', head(m, src), name.text);
    } else if (m.type === 'field_declaration') {
      const mods = kids(m).find((k) => k.type === 'modifiers')?.text ?? '';
      if (!/\bstatic\b/.test(mods) || !/\bfinal\b/.test(mods)) continue;
      for (const d of kids(m)) if (d.type === 'variable_declarator') add(out, m, field(d, 'name'), 'constant', oneLine(src, m), name.text);
    }
  }
}

const VISITORS: Record<LanguageId, Visitor> = {
  typescript: (n, o, s) => visitJs(n, o, s),
  tsx: (n, o, s) => visitJs(n, o, s),
  javascript: (n, o, s) => visitJs(n, o, s),
  python: (n, o, s) => visitPython(n, o, s),
  go: visitGo,
  rust: visitRust,
  java: visitJava,
};

/** One line per symbol for the repository map: `  function parsePrice(s: string): number` (methods indented). */
export function describeSymbol(s: CodeSymbol): string {
  return `${s.container ? '    ' : '  '}${s.signature}`;
}
