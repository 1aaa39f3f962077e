/**
 * The webview's end of the review protocol (src/core/review/protocol.ts): commands go out through
 * VS Code's postMessage; notifications come in through `message` events and are dispatched only
 * after the envelope and the notification's own validator accept them.
 */
import { readEnvelope, type IpcCommand, type IpcNotification } from '../../src/core/review/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export type Send = <P>(command: IpcCommand<P>, params: P) => void;

export interface Ipc {
  readonly send: Send;
  on<P>(notification: IpcNotification<P>, handler: (params: P) => void): void;
}

/** Call once: VS Code hands out its API object a single time per page. */
export function connectToHost(): Ipc {
  const api = acquireVsCodeApi();
  const handlers = new Map<string, (params: unknown) => void>();
  let sequence = 0;

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = readEnvelope(event.data);
    const handler = message && handlers.get(message.method);
    if (!message || !handler) return console.warn('Countersign panel: dropped a message that is not a known notification');
    handler(message.params);
  });

  return {
    send: (command, params) => api.postMessage({ id: `w${++sequence}`, method: command.method, params }),
    on(notification, handler) {
      handlers.set(notification.method, (params) => {
        const checked = notification.validate(params);
        if (checked.ok) handler(checked.value);
        else console.warn(`Countersign panel: dropped ${notification.method}: ${checked.error}`);
      });
    },
  };
}
