/**
 * The host's clock as seen from the webview: waited times count from the host's `now` in each state
 * message plus the local time since, so a skewed webview clock cannot make a request look fresh.
 */
export class HostClock {
  private offset = 0;

  constructor(private readonly local: () => number = Date.now) {}

  /** Called with `PanelState.now` whenever a state arrives. */
  sync(hostNow: number): void {
    this.offset = hostNow - this.local();
  }

  now(): number {
    return this.local() + this.offset;
  }
}
