// Edits travel: coder text -> EditBlock[] -> FileEditPlan[] (matched, nothing written) -> applied.

export interface EditBlock {
  /** Workspace-relative path as the coder wrote it (normalised to forward slashes). */
  path: string;
  /** Old text; empty means create the file or append to it. */
  search: string;
  replace: string;
  /** 'delete' = delete the whole file (stated explicitly by the coder). */
  kind: 'replace' | 'delete';
  /** 0-based order of the block in the coder's answer, for messages. */
  ordinal: number;
  /**
   * Other ways to split SEARCH from REPLACE when the block held several `=======` lines (one of them
   * is code); the planner uses the split whose SEARCH is longest and still matches.
   */
  altSplits?: Array<{ search: string; replace: string }>;
}

export interface BlockFailure {
  ordinal: number;
  path: string;
  reason: string;
  /** Closest candidate in the file, if any, with its 1-based line. */
  closest?: { line: number; text: string; similarity: number };
}

export interface FileEditPlan {
  path: string;
  action: 'create' | 'modify' | 'delete';
  /** Text the blocks were matched against (null for a new file). */
  original: string | null;
  /** Resulting text (null for a deletion or when the plan failed). */
  proposed: string | null;
  status: 'proposed' | 'failed' | 'refused';
  reason: string | null;
  blocks: EditBlock[];
  failures: BlockFailure[];
}

/** What the edit planner needs from a workspace; the CLI reads disk, the extension reads open documents. */
export interface WorkspaceFiles {
  /** Absolute root. */
  readonly root: string;
  /** Current text of a workspace-relative path, or null when it does not exist. */
  read(relPath: string): Promise<string | null>;
  /** Real (symlink-resolved) absolute path of an existing path or its nearest existing parent. */
  realpath(absPath: string): Promise<string>;
}
