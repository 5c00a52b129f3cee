// Runs stopped for the client's tools, kept so the follow-up with the results continues them without
// planning again. Keyed by the conversation up to its last user message: the same prefix, the same
// plan. A cache only: a miss (evicted, a restart without a folder, another instance) plans again, and
// the answer is still right.
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { traceDocumentSchema } from '../../protocol/traceSchemas';
import type { WorkerConfig } from '../config';
import type { JsonFolder } from '../jsonFolder';
import type { ResumePoint } from '../runTypes';
import type { ChatMessage } from '../workers/types';
import type { AnswerOptions } from './conversation';

export interface ContinuationStore {
  get(key: string): Promise<ResumePoint | undefined>;
  /** Resolves once the point is kept (never rejects: a lost point only means planning again). */
  set(key: string, point: ResumePoint): Promise<void>;
}

/** The key of a conversation prefix under one profile and pool, with the tools and format offered. */
export function continuationKey(profile: string, pool: WorkerConfig[], instructions: string[], prefix: ChatMessage[], options: AnswerOptions): string {
  const turns = prefix.map((t) => [t.role, t.content, t.toolCalls ?? [], t.toolCallId ?? '', (t.images ?? []).map((i) => i.url)]);
  const offered = [(options.tools ?? []).map((t) => t.name), options.responseFormat?.type ?? ''];
  // A point kept before a restart with another pool would name other workers: a different key, a miss.
  const workers = pool.map((w) => [w.id, w.provider, w.model, w.baseUrl ?? '']);
  return createHash('sha256').update(JSON.stringify([profile, workers, instructions, turns, offered])).digest('hex');
}

/** The most recently used `capacity` continuations, in memory. */
export class MemoryContinuations implements ContinuationStore {
  private points = new Map<string, ResumePoint>();

  constructor(private readonly capacity = 256) {}

  async get(key: string): Promise<ResumePoint | undefined> {
    return this.recall(key);
  }

  async set(key: string, point: ResumePoint): Promise<void> {
    this.keep(key, point);
  }

  recall(key: string): ResumePoint | undefined {
    const p = this.points.get(key);
    if (p) {
      this.points.delete(key);
      this.points.set(key, p);
    }
    return p;
  }

  keep(key: string, point: ResumePoint): void {
    if (this.capacity <= 0) return;
    this.points.delete(key);
    this.points.set(key, point);
    while (this.points.size > this.capacity) this.points.delete(this.points.keys().next().value as string);
  }

  get size(): number {
    return this.points.size;
  }
}

// Checked loosely: what continuing needs, any other field kept as written.
const resumePointSchema = z.looseObject({
  traceId: z.string(),
  workflow: z.looseObject({
    model_id: z.array(z.number()),
    subtasks: z.array(z.string()),
    access_list: z.array(z.array(z.union([z.number(), z.literal('all')]))),
  }),
  outputs: z.array(z.string()),
  answerIndex: z.number().check(z.nonnegative()),
  round: z.number().check(z.nonnegative()),
  extraWorkers: z.optional(z.array(z.looseObject({ id: z.string(), provider: z.string(), model: z.string() }))),
  // The trace the continuation extends: checked whole, as a stored trace is.
  trace: traceDocumentSchema,
}).check(z.refine((p) => p.outputs.length === p.workflow.subtasks.length && p.answerIndex < p.outputs.length && p.trace.rounds[p.round]?.steps[p.answerIndex] !== undefined));

/**
 * In memory first, and one JSON file per key in a folder (`server.traceDir`), so a follow-up after a
 * restart, or sent to another instance sharing the folder, still continues the run. A file that is
 * unreadable or not a resume point is a miss.
 */
export class FolderContinuations implements ContinuationStore {
  constructor(
    private readonly memory: MemoryContinuations,
    private readonly folder: JsonFolder,
    private readonly onError: (message: string) => void = () => {},
  ) {}

  async get(key: string): Promise<ResumePoint | undefined> {
    const kept = this.memory.recall(key);
    if (kept) return kept;
    const parsed = resumePointSchema.safeParse(await this.folder.read(key));
    return parsed.success ? (parsed.data as unknown as ResumePoint) : undefined;
  }

  async set(key: string, point: ResumePoint): Promise<void> {
    this.memory.keep(key, point);
    await this.folder.write(key, point).catch((err: Error) => this.onError(`could not keep a continuation in ${this.folder.dir}: ${err.message}`));
  }
}
