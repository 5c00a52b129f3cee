// The webview's side of the protocol: commands, requests with ids and a map of pending promises
// settled by the host's replies, and validated notifications.
import type { CommandMethod, CommandParams, NotificationMethod, NotificationParams, RequestMethod, RequestParams, RequestResult } from '../../src/protocol/traceView';
import { parseHostMessage, parseRequestResult } from '../../src/protocol/traceViewSchemas';

export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

type Handlers = { [M in NotificationMethod]: (params: NotificationParams[M]) => void };

interface Pending {
  method: RequestMethod;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class HostClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly api: VsCodeApi, private readonly handlers: Handlers, private readonly log: (msg: string) => void) {}

  command<M extends CommandMethod>(method: M, params: CommandParams[M]): void {
    this.api.postMessage({ type: 'command', method, params });
  }

  request<M extends RequestMethod>(method: M, params: RequestParams<M>): Promise<RequestResult<M>> {
    const id = this.nextId++;
    return new Promise<RequestResult<M>>((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
      this.api.postMessage({ type: 'request', id, method, params });
    });
  }

  /** Feed every `message` event's data here; anything malformed is logged and dropped. */
  receive(raw: unknown): void {
    const parsed = parseHostMessage(raw);
    if (!parsed.ok) {
      this.log(`ignored a message from the host: ${parsed.reason}`);
      return;
    }
    const m = parsed.message;
    if (m.type === 'reply') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (!m.ok) return p.reject(new Error(m.error));
      const r = parseRequestResult(p.method, m.result);
      if (r.ok) p.resolve(r.result);
      else p.reject(new Error(r.reason));
      return;
    }
    (this.handlers[m.method] as (p: unknown) => void)(m.params);
  }
}
