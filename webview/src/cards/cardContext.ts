import type { Send } from '../ipc';
import type { HostClock } from '../model/hostClock';

/** What every card needs from the page: the way to the host, and the host's clock. */
export interface CardContext {
  readonly send: Send;
  readonly clock: HostClock;
}
