/**
 * One timer with one job, owned by the object whose job it is (the idea of VS Code's RunOnceScheduler):
 * a named field instead of a handle kept under a string key. schedule() starts it, or restarts it if it
 * is running; cancel() stops it; isScheduled says whether the job is still to come; flush() runs a
 * scheduled job now; dispose() stops it for good, so that a late schedule() is a no-op.
 */
export class OnceTimer {
  private handle: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(
    private readonly job: () => void,
    /** The delay schedule() uses when it is given none. */
    private readonly delayMs: number,
  ) {}

  /** True from schedule() until the job runs, or the timer is cancelled or disposed. */
  get isScheduled(): boolean {
    return this.handle !== undefined;
  }

  /** Runs the job once after `delayMs`; a timer already scheduled starts over. */
  schedule(delayMs = this.delayMs): void {
    this.cancel();
    if (this.disposed) return;
    this.handle = setTimeout(() => {
      this.handle = undefined;
      this.job();
    }, delayMs);
  }

  cancel(): void {
    if (this.handle === undefined) return;
    clearTimeout(this.handle);
    this.handle = undefined;
  }

  /** If the job is scheduled, runs it now instead of later; otherwise does nothing. */
  flush(): void {
    if (!this.isScheduled) return;
    this.cancel();
    this.job();
  }

  dispose(): void {
    this.cancel();
    this.disposed = true;
  }
}
