import type { Send, SendRequest } from '../ipc';
import type { HostClock } from '../model/hostClock';

/** What every card needs from the page: the way to the host, the host's clock, and the live region. */
export interface CardContext {
  readonly send: Send;
  readonly request: SendRequest;
  readonly clock: HostClock;
  /** Says `text` politely to a screen reader (the board's Announcer). */
  readonly announce: (text: string) => void;
}
