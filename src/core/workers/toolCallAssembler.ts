// Tool calls arrive in pieces (an id and a name, then the arguments' JSON text a few characters at a
// time), keyed by a position the provider chooses. This joins them back into whole calls, in order.
import type { ToolCall } from './types';

export class ToolCallAssembler {
  private calls = new Map<number, ToolCall>();

  /** Adds one piece; a piece naming a new position starts a call. */
  add(position: number, id: string | undefined | null, name: string | undefined | null, argumentsText: string | undefined | null): void {
    let call = this.calls.get(position);
    if (!call) {
      call = { id: '', name: '', arguments: '' };
      this.calls.set(position, call);
    }
    if (id) call.id = id;
    if (name && !call.name) call.name = name;
    if (argumentsText) call.arguments += argumentsText;
  }

  has(position: number): boolean {
    return this.calls.has(position);
  }

  /** The whole calls, in position order; a call without id gets one, empty arguments become "{}". */
  done(): ToolCall[] {
    return [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, c]) => ({ id: c.id || newCallId(), name: c.name, arguments: c.arguments.trim() ? c.arguments : '{}' }));
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
