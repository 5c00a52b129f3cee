// What the workspace index knows about a file; shared by the index, the ranking and the map.

export type LanguageId = 'typescript' | 'tsx' | 'javascript' | 'python' | 'go' | 'rust' | 'java';

export type SymbolKind = 'function' | 'class' | 'method' | 'type' | 'constant';

/** A top-level definition (or a method of a top-level class/impl). */
export interface CodeSymbol {
  name: string;
  kind: SymbolKind;
  /** 1-based line of the definition. */
  line: number;
  /** The definition's head, up to its body, on one line (`function parsePrice(s: string): number`). */
  signature: string;
  /** The class, impl or type a method belongs to. */
  container?: string;
}

/** What one parse of a file yields. */
export interface FileOutline {
  symbols: CodeSymbol[];
  /** Import specifiers as written (`./price`, `pkg.mod`, `crate::a::b`, `mod:util`, `com.x.Y`). */
  imports: string[];
}

export interface IndexedFile {
  /** Workspace-relative, forward slashes. */
  path: string;
  size: number;
  mtimeMs: number;
  /** Set for files whose symbols can be parsed. */
  language?: LanguageId;
}

/** Why a file is not in the index. */
export type SkipReason = 'binary' | 'not UTF-8' | 'over the size cap' | 'unreadable' | 'symlink loop' | 'symlink outside the workspace';
