// Responses tool namespaces (Codex's `multi_agent_v1`, an MCP server's tools): a provider knows one flat
// list of tools named ^[a-zA-Z0-9_-]{1,64}$, so each tool of a namespace goes to the workers under one
// flat name, and its calls go back to the client as the tool's own name with its `namespace`. The name
// is a function of the two alone, so a history item or a kept response maps back to it without state.
import { createHash } from 'node:crypto';

/** The names every provider takes (OpenAI's rule, the strictest of them). */
const PROVIDER_TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const HASH_CHARS = 10;

/** `<namespace>__<name>`; when that is too long or holds a '.', a safe prefix of it and a hash of both. */
export function flatToolName(namespace: string, name: string): string {
  const flat = `${namespace}__${name}`;
  if (PROVIDER_TOOL_NAME.test(flat)) return flat;
  const hash = createHash('sha256').update(`${namespace}\0${name}`).digest('hex').slice(0, HASH_CHARS);
  return `${flat.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64 - HASH_CHARS - 1)}_${hash}`;
}

/** A namespaced tool as the client knows it. */
export interface NamespacedName {
  namespace: string;
  name: string;
}
