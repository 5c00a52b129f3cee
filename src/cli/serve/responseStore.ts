// Responses kept for previous_response_id (the whole conversation each ended with) and their output
// items for item_reference: the last `capacity` in memory (oldest out first, with their items) and,
// with `server.traceDir`, one JSON file per response in a folder, so a follow-up after a restart, or
// sent to another instance sharing the folder, still finds them. A file that is unreadable or not a
// kept response is a miss. The files hold the client's conversation and nothing else.
import * as z from 'zod/mini';
import type { JsonFolder } from '../../core/jsonFolder';
import type { ChatMessage } from '../../core/workers/types';
import type { KeptResponses } from './responsesRequest';

interface Kept {
  turns: ChatMessage[];
  items: Record<string, ChatMessage>;
}

const chatMessage = z.object({
  role: z.enum(['user', 'assistant', 'tool']),
  content: z.string(),
  toolCalls: z.optional(z.array(z.object({ id: z.string(), name: z.string(), arguments: z.string() }))),
  toolCallId: z.optional(z.string()),
  images: z.optional(z.array(z.object({ url: z.string() }))),
});
const keptSchema = z.object({ turns: z.array(chatMessage), items: z.record(z.string(), chatMessage) });

export class ResponseStore implements KeptResponses {
  private kept = new Map<string, Kept>();
  private items = new Map<string, ChatMessage>();

  /** `responseOf` names the response an output item id belongs to (for item_reference after a restart). */
  constructor(
    private readonly capacity: number,
    private readonly responseOf: (itemId: string) => string | undefined,
    private readonly folder?: JsonFolder,
    private readonly onError: (message: string) => void = () => {},
  ) {}

  /** Keeps it in memory at once; resolves once it is on disk (never rejects: a full disk loses only the file). */
  async add(id: string, turns: ChatMessage[], items: Record<string, ChatMessage>): Promise<void> {
    if (this.capacity > 0) {
      this.kept.set(id, { turns, items });
      for (const [itemId, m] of Object.entries(items)) this.items.set(itemId, m);
      while (this.kept.size > this.capacity) {
        const oldest = this.kept.keys().next().value as string;
        for (const itemId of Object.keys(this.kept.get(oldest)!.items)) this.items.delete(itemId);
        this.kept.delete(oldest);
      }
    }
    await this.folder?.write(id, { turns, items } satisfies Kept).catch((err: Error) => this.onError(`could not keep response ${id} in ${this.folder!.dir}: ${err.message}`));
  }

  async turns(id: string): Promise<ChatMessage[] | undefined> {
    return (this.kept.get(id) ?? (await this.read(id)))?.turns;
  }

  async item(id: string): Promise<ChatMessage | undefined> {
    const kept = this.items.get(id);
    if (kept) return kept;
    const owner = this.responseOf(id);
    const items = owner ? (await this.read(owner))?.items : undefined;
    return items && Object.hasOwn(items, id) ? items[id] : undefined;
  }

  private async read(id: string): Promise<Kept | undefined> {
    if (!this.folder) return undefined;
    const parsed = keptSchema.safeParse(await this.folder.read(id));
    return parsed.success ? parsed.data : undefined;
  }
}
