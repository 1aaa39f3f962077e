/**
 * Which changes to a state file the state guard takes as an approved command's own writes: only
 * those seen while that command runs. A guarded terminal's line runs from its approval until its
 * shell is back at the prompt; a shim's exec while its process (the launcher that became the tool)
 * lives; any approval also runs while an exec that passed on its grant lives. An approval whose
 * process is unknown (a hook, a prompt answer) runs only through such execs. Nothing runs longer
 * than the grants' hour. A change seen at any other time is nobody's write.
 */
import { TERMINAL_GRANT_MS } from '../../core/gate/grants';
import type { Decision, PendingRequest, SubmitEvent } from '../../core/gate/types';
import { isRunning as processIsRunning } from '../processTree';

/**
 * A write made just before the command ended reaches us through the file watcher a little later:
 * it still counts for this long after the end.
 */
export const WATCHER_DELAY_MS = 1_500;
/** How often live processes of approved commands are looked at, to know when they ended. */
const POLL_MS = 250;

export interface ApprovedWritesOptions {
  /** ms since the epoch. */
  readonly now?: () => number;
  readonly isRunning?: (pid: number) => boolean;
  readonly pollMs?: number;
}

/** One approved command and the times it was running. */
interface Writer {
  /** The directories it runs terraform in and the state files it names. */
  readonly paths: readonly string[];
  readonly approvedAt: number;
  /** A guarded terminal's line, from its run until its shell shows the prompt again. */
  lineOpen: boolean;
  /** Its own process (a shim's) and those of execs that passed on its grants, while alive. */
  readonly pids: Set<number>;
  /** When it started running this time, while it runs. */
  since?: number;
  /** Earlier times it ran, closed. */
  readonly ran: { readonly from: number; readonly to: number }[];
}

export class ApprovedWrites {
  /** By request id: the approved one, and the requests that ran on its grants (the same writer). */
  private readonly writers = new Map<string, Writer>();
  private readonly now: () => number;
  private readonly isRunning: (pid: number) => boolean;
  private readonly pollMs: number;
  private poll: NodeJS.Timeout | undefined;

  constructor(options: ApprovedWritesOptions = {}) {
    this.now = options.now ?? Date.now;
    this.isRunning = options.isRunning ?? processIsRunning;
    this.pollMs = options.pollMs ?? POLL_MS;
  }

  /** A person approved `pending`, which may write state files under `paths`: it counts once the gate lets it run. */
  approved(pending: PendingRequest, paths: Iterable<string>): void {
    this.writers.set(pending.id, { paths: [...paths], approvedAt: this.now(), lineOpen: false, pids: new Set(), ran: [] });
  }

  /** Every submission to the gate: its decision says whether an approved command runs, or an exec on its grant. */
  submitted(event: SubmitEvent): void {
    void event.decision.then((decision) => this.decided(event, decision));
  }

  /** A guarded terminal's approved line has ended (the gate's onDidEndLine). */
  lineEnded(id: string): void {
    const writer = this.writers.get(id);
    if (!writer) return;
    writer.lineOpen = false;
    this.refresh();
  }

  /**
   * Whether a change to `path` seen at `seenAt` is an approved command's write: one that may write
   * there was running then, or had ended at most WATCHER_DELAY_MS before.
   */
  covers(path: string, seenAt: number): boolean {
    this.refresh();
    return [...new Set(this.writers.values())].some((w) => mayWrite(w, path) && wasRunning(w, seenAt));
  }

  dispose(): void {
    clearInterval(this.poll);
    this.poll = undefined;
    this.writers.clear();
  }

  private decided({ id, request }: SubmitEvent, decision: Decision): void {
    if (decision.kind === 'cancel') {
      // A dry run, a denial that raced the approval, Ctrl-C: nothing of it runs.
      this.writers.delete(id);
      return;
    }
    const own = this.writers.get(id);
    const grantor = decision.grantedBy === undefined ? undefined : this.writers.get(decision.grantedBy);
    const writer = own ?? grantor;
    if (!writer) return;
    // What runs on a grant may itself issue grants (a hook's command, then its execs): they count for the same writer.
    if (!own) this.writers.set(id, writer);
    if (own && request.source === 'guarded-terminal') writer.lineOpen = true;
    if (request.pid !== undefined) writer.pids.add(request.pid);
    this.refresh();
  }

  /** Notes which writers run now and which stopped, and keeps polling while a live process is all that tells. */
  private refresh(): void {
    const now = this.now();
    for (const [id, writer] of this.writers) {
      const until = writer.approvedAt + TERMINAL_GRANT_MS;
      for (const pid of writer.pids) if (!this.isRunning(pid)) writer.pids.delete(pid);
      const running = now < until && (writer.lineOpen || writer.pids.size > 0);
      if (running && writer.since === undefined) writer.since = now;
      if (!running && writer.since !== undefined) {
        writer.ran.push({ from: writer.since, to: Math.min(now, until) });
        writer.since = undefined;
      }
      if (now > until + WATCHER_DELAY_MS) this.writers.delete(id);
    }
    const watching = [...this.writers.values()].some((w) => w.pids.size > 0);
    if (watching && !this.poll) {
      this.poll = setInterval(() => this.refresh(), this.pollMs);
      this.poll.unref();
    } else if (!watching && this.poll) {
      clearInterval(this.poll);
      this.poll = undefined;
    }
  }
}

function mayWrite(writer: Writer, path: string): boolean {
  return writer.paths.some((p) => path === p || path.startsWith(`${p}/`));
}

function wasRunning(writer: Writer, at: number): boolean {
  if (writer.since !== undefined && writer.since <= at) return true;
  return writer.ran.some((span) => span.from <= at && at <= span.to + WATCHER_DELAY_MS);
}
