/**
 * The webview's end of the review protocol (src/core/review/protocol.ts): commands and requests go
 * out through VS Code's postMessage (hostLink.ts); what comes in through `message` events is a reply,
 * handed to the request with its id, or a notification, dispatched only after the envelope and the
 * notification's own validator accept it.
 */
import { readEnvelope, readReply, type IpcCommand, type IpcNotification, type IpcRequest, type Result } from '../../src/core/review/protocol';
import { HostLink } from './hostLink';

interface VsCodeApi {
  postMessage(message: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export type Send = <P>(command: IpcCommand<P>, params: P) => void;
/** Resolves with the request's response, or with why there is none (shown on the card). */
export type SendRequest = <P, R>(request: IpcRequest<P, R>, params: P) => Promise<Result<R>>;

export interface Ipc {
  readonly send: Send;
  readonly request: SendRequest;
  on<P>(notification: IpcNotification<P>, handler: (params: P) => void): void;
}

const warn = (message: string): void => console.warn(`Countersign panel: ${message}`);

/** Call once: VS Code hands out its API object a single time per page. */
export function connectToHost(): Ipc {
  const api = acquireVsCodeApi();
  const link = new HostLink((message) => api.postMessage(message), warn, `w${crypto.getRandomValues(new Uint32Array(1))[0].toString(36)}-`);
  const handlers = new Map<string, (params: unknown) => void>();

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const reply = readReply(event.data);
    if (reply) return link.reply(reply);
    const message = readEnvelope(event.data);
    const handler = message && handlers.get(message.method);
    if (!message || !handler) return warn('dropped a message that is neither a reply nor a known notification');
    handler(message.params);
  });

  return {
    send: (command, params) => link.command(command, params),
    request: (request, params) => link.request(request, params),
    on(notification, handler) {
      handlers.set(notification.method, (params) => {
        const checked = notification.validate(params);
        if (checked.ok) handler(checked.value);
        else warn(`dropped ${notification.method}: ${checked.error}`);
      });
    },
  };
}
