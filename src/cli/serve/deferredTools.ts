// Anthropic's tool search on /v1/messages: a tool marked `defer_loading` is held back from the model
// until a `tool_reference` block in a tool_result (what Claude Code's ToolSearch returns) names it;
// from then on it is offered like any other. A tool_choice naming a deferred tool loads it too: the
// client asks for that tool to be called, so it must be there to call.
import type { ToolSpec } from '../../core/workers/types';

export class ToolShelf {
  private readonly tools: { spec: ToolSpec; deferred: boolean }[] = [];
  /** Deferred tools loaded so far, with the index of the conversation turn that loaded them (-1: the request itself). */
  private readonly loaded = new Map<string, number>();

  add(spec: ToolSpec, deferred: boolean): void {
    this.tools.push({ spec, deferred });
  }

  /** Loads a deferred tool (the first load counts); false when the request has no tool of that name. */
  load(name: string, turn: number): boolean {
    const tool = this.tools.find((t) => t.spec.name === name);
    if (!tool) return false;
    if (tool.deferred && !this.loaded.has(name)) this.loaded.set(name, turn);
    return true;
  }

  /**
   * Loads the tools that a tool_result's references name, at the conversation turn of that result, and
   * says so in words for the worker, whose provider has no such block. A name the request has no tool
   * for loads nothing; the worker reads that it is unknown.
   */
  reference(names: string[], turn: number): string {
    const named = [...new Set(names)];
    const known = named.filter((n) => this.load(n, turn));
    const unknown = named.filter((n) => !known.includes(n));
    return [
      ...(known.length ? [`Loaded tools: ${known.join(', ')}`] : []),
      ...(unknown.length ? [`Not loaded, no such tool in this request: ${unknown.join(', ')}`] : []),
    ].join('\n');
  }

  /** The tools the final worker is offered, in the request's order: every tool not deferred, and the deferred ones loaded. */
  offered(): ToolSpec[] {
    return this.tools.filter((t) => !t.deferred || this.loaded.has(t.spec.name)).map((t) => t.spec);
  }

  /** The deferred tools first loaded at or after conversation turn `turn`. */
  loadedSince(turn: number): string[] {
    return [...this.loaded].filter(([, at]) => at >= turn).map(([name]) => name);
  }
}
