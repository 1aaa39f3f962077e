import type { IDisposable } from '../lifecycle';
import type { Severity, Verdict } from '../verdict';
import type { ShellNames } from '../shell/shellNames';

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
  /** The process that will exec the command (a PATH shim's launcher), when the door knows it. */
  readonly pid?: number;
  /** The shell that runs the line (a guarded terminal's): the exec grants its approval issues are for its descendants only. */
  readonly shellPid?: number;
  /** The line that started this exec (a guarded terminal's running line), for the person reviewing. */
  readonly launchedBy?: string;
  /**
   * The environment the command would run with, fetched on demand from the door; rejects when the
   * door cannot tell.
   */
  readonly env?: () => Promise<Readonly<Record<string, string>>>;
  /**
   * An agent's tool call that is not a shell command (an MCP server's tool, through a hook): judged by
   * its name and arguments; `command` is then its one-line rendering for the card and the audit.
   */
  readonly tool?: ToolCall;
  /** The aliases and functions the line may call, as a guarded terminal's shell reported them with it. */
  readonly shellNames?: ShellNames;
  /** The SHA-256 of an approved saved plan that terraform refused as stale when this exec ran it (see socketProtocol.ts). */
  readonly stalePlan?: string;
}

/** A tool an agent calls through a hook: its name as the agent reports it (`mcp__railway__volume_delete`) and its JSON arguments. */
export interface ToolCall {
  readonly name: string;
  readonly input: unknown;
}

/** `abandoned`: the requester stopped waiting (an agent's tool timeout); its card stays for a late decision. */
export const CANCEL_REASONS = ['denied', 'interrupted', 'killed', 'timeout', 'dry-run', 'superseded', 'abandoned'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

/**
 * What the door does with the line: run it exactly as submitted, or drop it and say why. A run may
 * come from a grant of an earlier approval (`grantedBy`, that request's id) instead of a new card.
 */
export type Decision = { readonly kind: 'run'; readonly grantedBy?: string; readonly savedPlan?: SavedPlanRun } | { readonly kind: 'cancel'; readonly reason: CancelReason };

/**
 * The plan a person reviewed, saved to a private file when it was previewed: what an approved
 * terraform/tofu apply or destroy runs in place of the command as written, which would plan again.
 */
export interface SavedPlan {
  /** The exec it stands in for, as the card's finding read it: argv (argv[0] as written) and folder. */
  readonly argv: readonly string[];
  readonly cwd: string;
  /** The tool's arguments after argv[0] that apply exactly this plan: `[-chdir=…] apply -input=false … <file>`. */
  readonly args: readonly string[];
  readonly file: string;
  /** SHA-256 of the file's bytes when it was reviewed: a file altered or gone since is refused. */
  readonly sha256: string;
  /**
   * The local state files the plan was made against (and the workspace selection), each path's SHA-256
   * (`absent` for none) just before the plan ran: any change since makes the plan stale.
   */
  readonly state: Readonly<Record<string, string>>;
}

/** A saved plan checked just before it runs: still what was reviewed, its file altered or gone, or made against a state that has changed since. */
export type SavedPlanCheck = 'intact' | 'altered' | 'stale';

/** What a shim execs instead of the command it asked about: the tool with these arguments. */
export interface SavedPlanRun {
  readonly args: readonly string[];
  readonly sha256: string;
}

/** A person's decision on a card whose requester had stopped waiting: nothing runs; a grant lets the same line run once when asked again. */
export interface LateDecision {
  readonly id: string;
  readonly outcome: 'granted' | 'denied' | 'dry-run';
  /** ms since the epoch: until when the same line may run once. */
  readonly grantUntil?: number;
}

/** A request a person denied, and what it would have touched: kept for the window so another way to the same targets is raised. */
export interface Denial {
  readonly id: string;
  readonly command: string;
  readonly source: RequestSource;
  readonly agent?: string;
  readonly terminal?: string;
  /** ms since the epoch, from the gate's clock. */
  readonly at: number;
  /** Resource addresses, ids, names and paths its argv (and its plan preview) named. */
  readonly targets: readonly string[];
}

export interface PendingRequest {
  readonly id: string;
  readonly request: GateRequest;
  readonly verdict: Verdict;
  /** ms since the epoch, from the gate's clock. */
  readonly createdAt: number;
  /** When its requester stopped waiting: an approval now gives a retry grant, it runs nothing. */
  readonly requesterGoneAt?: number;
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
export interface Gate extends IDisposable {
  submit(request: GateRequest): Submission;
  /**
   * Runs a paused request (in dry-run mode it is cancelled with reason 'dry-run' instead) and issues
   * exec grants for what its card showed. With the plan its card showed saved, that plan is what runs
   * for the exec it stands in for (through the shim door, now or by its grant). For a request whose requester has gone, it runs nothing and
   * issues a retry grant instead.
   */
  approve(id: string, savedPlan?: SavedPlan): boolean;
  deny(id: string): boolean;
  cancel(id: string, reason: CancelReason): boolean;
  /**
   * The requester stopped waiting (a shim or hook timed out or went away): the request is settled
   * 'abandoned' for its door, and its card stays for the person, whose approval can only give a retry grant.
   */
  abandon(id: string): boolean;
  /** The approved line's shell is back at its prompt: the exec grants it did not use are revoked. */
  lineEnded(id: string): void;
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
  onDidChange(listener: () => void): IDisposable;
  /** Called for every submission, allowed ones included, before the pending set's change is announced. */
  onDidSubmit(listener: (event: SubmitEvent) => void): IDisposable;
  /** Called when a person decides a card whose requester had gone. */
  onDidDecideLate(listener: (decision: LateDecision) => void): IDisposable;
  /** Called when a person denies a request, before its door hears: what the window now remembers of it. */
  onDidDeny(listener: (denial: Denial) => void): IDisposable;
  /** Called by lineEnded with the approved line's request id: what that line started in the foreground is over. */
  onDidEndLine(listener: (id: string) => void): IDisposable;
}
