// Tool-call ids as the client sees them: unique in each response and across its conversation, even
// when the upstream model repeats them (local servers number every turn's calls from 0). A repeated id
// gets a suffix; the suffix comes off when the client sends the results back, so the worker sees its
// own ids again. No state: the suffix is the mapping.
import { randomBytes } from 'node:crypto';
import type { ChatMessage, ToolCall } from '../workers/types';

const SUFFIX = /-fugu[0-9a-f]{8}$/;

/** The upstream's id of a call the client names by `clientId`. */
export function upstreamId(clientId: string): string {
  return clientId.replace(SUFFIX, '');
}

/** The client's turns with the ids the upstream wrote (what the answering worker is sent). */
export function toUpstreamIds(turns: ChatMessage[]): ChatMessage[] {
  return turns.map((t) => {
    if (!t.toolCalls?.length && t.toolCallId === undefined) return t;
    return {
      ...t,
      ...(t.toolCalls ? { toolCalls: t.toolCalls.map((c) => ({ ...c, id: upstreamId(c.id) })) } : {}),
      ...(t.toolCallId !== undefined ? { toolCallId: upstreamId(t.toolCallId) } : {}),
    };
  });
}

/** Every tool-call id the client's conversation already holds. */
export function callIdsIn(turns: ChatMessage[]): string[] {
  return turns.flatMap((t) => [...(t.toolCalls ?? []).map((c) => c.id), ...(t.toolCallId ? [t.toolCallId] : [])]);
}

/** Names the calls of one response for the client, by their place in it. */
export class ClientCallIds {
  private readonly taken: Set<string>;
  private readonly byIndex = new Map<number, string>();
  private readonly nonce = randomBytes(4).toString('hex');

  constructor(seen: Iterable<string>) {
    this.taken = new Set(seen);
  }

  /** The client's id for the response's call number `index`, first written by the upstream as `id`. */
  idFor(index: number, id: string): string {
    let named = this.byIndex.get(index);
    if (named !== undefined) return named;
    // An empty id is as bad as a repeated one: the client could not match its result.
    named = id && !this.taken.has(id) ? id : `${id || 'call'}-fugu${this.nonce.slice(0, 6)}${(index & 0xff).toString(16).padStart(2, '0')}`;
    this.byIndex.set(index, named);
    this.taken.add(named);
    return named;
  }

  rename(calls: ToolCall[]): ToolCall[] {
    return calls.map((c, i) => ({ ...c, id: this.idFor(i, c.id) }));
  }
}
