/**
 * What the panel sends the host and the replies that come back, with no DOM (unit-tested in Node).
 * Each message gets a fresh id, unique across loads of the panel too (so a reply meant for a closed
 * panel's request cannot settle a new one's). A request waits for the reply with its id and settles
 * once: with the response its declaration's validator accepts, or with why there is none (the host's
 * refusal, no answer in time, too many already waiting). A reply no request waits for is dropped and
 * logged.
 */
import { err, type IpcCommand, type IpcMessage, type IpcReply, type IpcRequest, type Result } from '../../src/core/review/protocol';

export interface RequestLimits {
  readonly timeoutMs: number;
  /** Requests waiting for their reply at once; one more is refused at once rather than queued. */
  readonly maxOutstanding: number;
}

/** The host answers within moments (an approval copies state files first): after 30 s no answer is coming. */
const REQUEST_LIMITS: RequestLimits = { timeoutMs: 30_000, maxOutstanding: 32 };

export class HostLink {
  private sequence = 0;
  private readonly waiting = new Map<string, (reply: IpcReply | undefined) => void>();

  constructor(
    private readonly post: (message: IpcMessage) => void,
    private readonly warn: (message: string) => void,
    /** Different for each load of the panel. */
    private readonly idPrefix: string,
    private readonly limits: RequestLimits = REQUEST_LIMITS,
  ) {}

  command<P>(command: IpcCommand<P>, params: P): void {
    this.post({ id: this.nextId(), method: command.method, params });
  }

  /** Resolves with the response, or with an error to show; never rejects. */
  request<P, R>(request: IpcRequest<P, R>, params: P): Promise<Result<R>> {
    if (this.waiting.size >= this.limits.maxOutstanding) {
      return Promise.resolve(err(`${this.waiting.size} requests are already waiting for the extension; try again in a moment.`));
    }
    const id = this.nextId();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(id, undefined), this.limits.timeoutMs);
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        if (!reply) return resolve(err(`The extension did not answer within ${Math.round(this.limits.timeoutMs / 1000)} s.`));
        if ('error' in reply) return resolve(err(reply.error));
        const response = request.validateResponse(reply.response);
        if (!response.ok) this.warn(`dropped the reply to ${request.method} ${id}: ${response.error}`);
        resolve(response.ok ? response : err('The extension’s answer could not be read.'));
      });
      this.post({ id, method: request.method, params });
    });
  }

  /** A reply read from a message (readReply): settles the request with its id, if one waits for it. */
  reply(reply: IpcReply): void {
    if (!this.waiting.has(reply.id)) return this.warn(`dropped a reply to ${JSON.stringify(reply.id)}, which no request waits for`);
    this.settle(reply.id, reply);
  }

  private settle(id: string, reply: IpcReply | undefined): void {
    const waiter = this.waiting.get(id);
    this.waiting.delete(id);
    waiter?.(reply);
  }

  private nextId(): string {
    return `${this.idPrefix}${++this.sequence}`;
  }
}
