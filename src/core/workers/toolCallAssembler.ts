// Tool calls arrive in pieces (an id and a name, then the arguments' JSON text a few characters at a
// time), keyed by a position the provider chooses. This joins them back into whole calls, in order,
// and passes each piece on as it comes, so the caller can show a call while the model writes it.
import type { ToolCall, ToolCallDelta } from './types';

export class ToolCallAssembler {
  private calls = new Map<number, ToolCall>();

  constructor(private readonly onDelta: (d: ToolCallDelta) => void = () => {}) {}

  /** Adds one piece; a piece naming a new position starts a call (and ends the one before). */
  add(position: number, id: string | undefined | null, name: string | undefined | null, argumentsText: string | undefined | null): void {
    let call = this.calls.get(position);
    const index = call ? this.indexOf(position) : this.calls.size;
    if (!call) {
      this.close();
      // The id is fixed at the first piece: it has already been passed on.
      call = { id: id || newCallId(), name: name || '', arguments: '' };
      this.calls.set(position, call);
      this.onDelta({ index, id: call.id, ...(call.name ? { name: call.name } : {}), arguments: argumentsText || '' });
    } else {
      const named = !!name && !call.name;
      if (named) call.name = name;
      if (named || argumentsText) this.onDelta({ index, ...(named ? { name: name! } : {}), arguments: argumentsText || '' });
    }
    if (argumentsText) call.arguments += argumentsText;
  }

  has(position: number): boolean {
    return this.calls.has(position);
  }

  /** The whole calls, in the order they began; empty arguments become "{}" (passed on as a last piece). */
  done(): ToolCall[] {
    this.close();
    return [...this.calls.values()].map((c) => ({ ...c }));
  }

  /** The latest call is complete: empty arguments become "{}", so what was passed on is the final text. */
  private close(): void {
    const last = [...this.calls.values()].pop();
    if (last && !last.arguments.trim()) {
      // Appended, not replaced: blank text before it stays valid JSON, and a prefix of what was sent.
      last.arguments += '{}';
      this.onDelta({ index: this.calls.size - 1, arguments: '{}' });
    }
  }

  private indexOf(position: number): number {
    return [...this.calls.keys()].indexOf(position);
  }
}

/** For providers that send no call id (Gemini may not): unique enough to pair a result with its call. */
export function newCallId(): string {
  return `call_${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36).slice(-4)}`;
}

/** Arguments text as an object, for providers that take arguments as JSON values; bad JSON becomes {}. */
export function argumentsObject(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}
