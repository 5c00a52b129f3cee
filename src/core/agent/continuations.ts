// Runs stopped for the client's tools, kept so the follow-up with the results continues them without
// planning again. Keyed by the conversation up to its last user message: the same prefix, the same
// plan. A cache only: a miss (a restart, another instance) plans again, and the answer is still right.
import { createHash } from 'node:crypto';
import type { ResumePoint } from '../runTypes';
import type { ChatMessage } from '../workers/types';
import type { AnswerOptions } from './conversation';

export interface ContinuationStore {
  get(key: string): ResumePoint | undefined;
  set(key: string, point: ResumePoint): void;
}

/** The key of a conversation prefix under one profile, with the tools and format offered. */
export function continuationKey(profile: string, instructions: string[], prefix: ChatMessage[], options: AnswerOptions): string {
  const turns = prefix.map((t) => [t.role, t.content, t.toolCalls ?? [], t.toolCallId ?? '', (t.images ?? []).map((i) => i.url)]);
  const offered = [(options.tools ?? []).map((t) => t.name), options.responseFormat?.type ?? ''];
  return createHash('sha256').update(JSON.stringify([profile, instructions, turns, offered])).digest('hex');
}

/** The most recently used `capacity` continuations, in memory. */
export class MemoryContinuations implements ContinuationStore {
  private points = new Map<string, ResumePoint>();

  constructor(private readonly capacity = 256) {}

  get(key: string): ResumePoint | undefined {
    const p = this.points.get(key);
    if (p) {
      this.points.delete(key);
      this.points.set(key, p);
    }
    return p;
  }

  set(key: string, point: ResumePoint): void {
    if (this.capacity <= 0) return;
    this.points.delete(key);
    this.points.set(key, point);
    while (this.points.size > this.capacity) this.points.delete(this.points.keys().next().value as string);
  }

  get size(): number {
    return this.points.size;
  }
}
