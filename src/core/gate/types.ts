import type { Unsubscribe } from '../emitter';
import type { Severity, Verdict } from '../verdict';

export type { Unsubscribe };

/** The lowest severity that pauses a line (the `countersign.severityThreshold` setting). */
export type SeverityThreshold = Exclude<Severity, 'critical'>;

/** The doors a command can come through. */
export const REQUEST_SOURCES = ['guarded-terminal', 'terminal-fallback', 'prompt-answer', 'shim', 'hook'] as const;
/** The door a command came through. */
export type RequestSource = (typeof REQUEST_SOURCES)[number];

/** A command line some door wants to run, with where it would run. */
export interface GateRequest {
  readonly command: string;
  readonly cwd?: string;
  readonly source: RequestSource;
  /** The terminal's name, for the person reviewing. */
  readonly terminal?: string;
  readonly agent?: string;
  /**
   * The environment the command would run with, fetched on demand from the door; rejects when the
   * door cannot tell.
   */
  readonly env?: () => Promise<Readonly<Record<string, string>>>;
}

export const CANCEL_REASONS = ['denied', 'interrupted', 'killed', 'timeout', 'dry-run', 'superseded'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

/** What the door does with the line: run it exactly as submitted, or drop it and say why. */
export type Decision = { readonly kind: 'run' } | { readonly kind: 'cancel'; readonly reason: CancelReason };

export interface PendingRequest {
  readonly id: string;
  readonly request: GateRequest;
  readonly verdict: Verdict;
  /** ms since the epoch, from the gate's clock. */
  readonly createdAt: number;
}

export interface Submission {
  readonly id: string;
  readonly verdict: Verdict;
  /** Settles once: at once for an allowed line; after approve/deny/cancel for a paused one. */
  readonly decision: Promise<Decision>;
}


/** Every submission, allowed or paused, as the gate answered it (the session view and audit build on this). */
export interface SubmitEvent {
  readonly id: string;
  readonly request: GateRequest;
  readonly verdict: Verdict;
  /** ms since the epoch, from the gate's clock. */
  readonly createdAt: number;
  /** The same promise the door got. */
  readonly decision: Promise<Decision>;
}

/**
 * The one place a decision is made. Doors submit; only approve/deny (called from the person's UI)
 * and cancel (Ctrl-C, kill switch, the door going away) settle a paused request.
 */
export interface Gate {
  submit(request: GateRequest): Submission;
  /** Runs a paused request (in dry-run mode it is cancelled with reason 'dry-run' instead). */
  approve(id: string): boolean;
  deny(id: string): boolean;
  cancel(id: string, reason: CancelReason): boolean;
  pending(): readonly PendingRequest[];
  /**
   * The kill switch: every pending request is cancelled with 'killed', and until rearm() every
   * submission is answered at once with a pause verdict and a 'killed' cancel, even one the engine
   * would allow. Nothing runs through any door.
   */
  kill(): void;
  /** Only the person's deliberate action calls this (the kill switch's confirmed re-arm). */
  rearm(): void;
  readonly killed: boolean;
  /** Called whenever the pending set or the kill state changes. */
  onDidChange(listener: () => void): Unsubscribe;
  /** Called for every submission, allowed ones included, before the pending set's change is announced. */
  onDidSubmit(listener: (event: SubmitEvent) => void): Unsubscribe;
}
