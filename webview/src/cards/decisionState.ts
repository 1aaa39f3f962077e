import { departureNews, type Decision } from '../model/announcements';

/**
 * A card's decision: whether one is in flight (sent, not yet answered by a state update or a refusal:
 * the request's error reply, or none in time), and the last one sent and not refused, which the live
 * region reports when the card leaves (a decision carried out leaves with the next state).
 */
export class DecisionState<D extends Decision> {
  private inFlight = false;
  private last: D | undefined;

  get sent(): boolean {
    return this.inFlight;
  }

  send(decision: D): void {
    this.inFlight = true;
    this.last = decision;
  }

  /** A state update answered: the card may be decided again (the last decision is kept for the news). */
  answered(): void {
    this.inFlight = false;
  }

  /** The host refused it: as if it had never been sent. */
  refused(): void {
    this.inFlight = false;
    this.last = undefined;
  }

  /** What the live region says when the card named `name` leaves the panel. */
  departure(name: string): string {
    return departureNews(name, this.last);
  }
}
