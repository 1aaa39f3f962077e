import { Emitter } from '../emitter';
import type { Decision, GateRequest, RequestSource } from '../gate/types';
import type { DecidedBy as AuditDecidedBy } from '../audit/record';
import type { Verdict } from '../verdict';
import { headOf, tailOf } from './bounded';

/** How a command reached the gate, as the session view groups it. */
export type Door = 'terminal' | 'shim' | 'hook';

/**
 * Who or what settled a command, in the audit log's words (a subset: the gate's events do not say
 * whether a phrase was typed before the click). The gate knows run or cancel and the reason; an
 * approve of a paused line is always the person's click in the panel.
 */
export type DecidedBy = Exclude<AuditDecidedBy, 'typed-phrase'>;
/** Who settled a command, read from the gate's verdict and decision (the audit log's reading). */
export { decidedByOf } from '../audit/record';

export interface SessionInfo {
  readonly key: string;
  readonly door: Door;
  /** The terminal's name, the agent's, or what the shims ran from. */
  readonly name: string;
  /** How many commands the log holds for it (older ones beyond the bound are dropped). */
  readonly count: number;
  /** ms since the epoch of its first and latest command. */
  readonly startedAt: number;
  readonly lastAt: number;
}

/** Output around a command, plain text (escape sequences stripped). */
export interface CapturedOutput {
  /** The terminal's last output before the command was sent. */
  readonly before: string;
  /** Its output from then on, up to the capture's bound. */
  readonly after: string;
  /** The output went on past what was kept of the after part. */
  readonly truncated: boolean;
}

/** The request without its environment callback, which belongs to the door and may hold it alive. */
export type RecordedRequest = Omit<GateRequest, 'env'>;

export interface CommandEntry {
  readonly id: string;
  readonly sessionKey: string;
  readonly request: RecordedRequest;
  readonly verdict: Verdict;
  readonly createdAt: number;
  /** Absent while the command waits for review. */
  readonly decision?: Decision;
  readonly decidedBy?: DecidedBy;
  readonly exitCode?: number;
  readonly output?: CapturedOutput;
}

/** A command that ended in a terminal, as shell integration reports it, to be matched to its request. */
export interface ExitMatch {
  /** The terminal's name, as its requests carry it. */
  readonly terminal: string;
  readonly commandLine: string;
}

export interface SessionLogLimits {
  readonly maxSessions: number;
  readonly maxCommandsPerSession: number;
  /** Per command, before and after together. */
  readonly maxOutputChars: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLogLimits = { maxSessions: 50, maxCommandsPerSession: 500, maxOutputChars: 16 * 1024 };

interface Session {
  readonly key: string;
  readonly door: Door;
  readonly name: string;
  readonly startedAt: number;
  lastAt: number;
  /** Ids in submission order. */
  readonly ids: string[];
  /** Index in `ids` of the newest command whose exit was matched (-1: none); exits of commands before it were missed. */
  exitedUpTo: number;
}

const TERMINAL_SOURCES: ReadonlySet<RequestSource> = new Set(['guarded-terminal', 'terminal-fallback', 'prompt-answer']);

/** Which session a request belongs to: one per guarded terminal, per agent for hooks, per terminal or agent for shims. */
export function sessionOf(request: Pick<GateRequest, 'source' | 'terminal' | 'agent'>): { key: string; door: Door; name: string } {
  if (TERMINAL_SOURCES.has(request.source)) return named('terminal', request.terminal ?? 'guarded terminal');
  if (request.source === 'hook') return named('hook', request.agent ?? 'agent hook');
  return named('shim', request.terminal ?? request.agent ?? 'PATH shims');
}

function named(door: Door, name: string): { key: string; door: Door; name: string } {
  return { key: `${door}:${name}`, door, name };
}



/**
 * The session view's model: every gated command, grouped by where it came from, with its verdict,
 * decision, exit code and output. In memory and bounded: the least recently active session and a
 * session's oldest commands go first. Entries are replaced, never mutated, so a reader's snapshot
 * stays consistent.
 */
export class SessionLog {
  private readonly sessionsByKey = new Map<string, Session>();
  private readonly entries = new Map<string, CommandEntry>();
  private readonly changes = new Emitter<void>();
  /** Fires after every change; a listener that throws does not stop the others. */
  readonly onDidChange = this.changes.event;
  private readonly limits: SessionLogLimits;

  constructor(limits: Partial<SessionLogLimits> = {}) {
    this.limits = { ...DEFAULT_SESSION_LIMITS, ...limits };
  }

  record(request: GateRequest, id: string, verdict: Verdict, createdAt: number): CommandEntry {
    const { key, door, name } = sessionOf(request);
    let session = this.sessionsByKey.get(key);
    if (!session) {
      this.evictSessions(this.limits.maxSessions - 1);
      session = { key, door, name, startedAt: createdAt, lastAt: createdAt, ids: [], exitedUpTo: -1 };
      this.sessionsByKey.set(key, session);
    }
    const entry: CommandEntry = { id, sessionKey: key, request: withoutEnv(request), verdict, createdAt };
    this.entries.set(id, entry);
    session.ids.push(id);
    session.lastAt = Math.max(session.lastAt, createdAt);
    const excess = session.ids.length - this.limits.maxCommandsPerSession;
    if (excess > 0) {
      for (const dropped of session.ids.splice(0, excess)) this.entries.delete(dropped);
      session.exitedUpTo = Math.max(-1, session.exitedUpTo - excess);
    }
    this.changed();
    return entry;
  }

  decide(id: string, decision: Decision, decidedBy: DecidedBy): boolean {
    return this.update(id, (entry) => (entry.decision ? undefined : { ...entry, decision, decidedBy }));
  }

  /**
   * Sets a command's exit code, by id or by matching what a terminal reports. Commands in one
   * terminal run one after another, so a reported command is the oldest one that ran since the last
   * matched exit and has the same text (whitespace aside); one whose end was never reported is
   * passed over once a later one is matched.
   */
  exited(target: string | ExitMatch, exitCode: number): CommandEntry | undefined {
    const id = typeof target === 'string' ? target : this.match(target);
    if (id === undefined || !this.update(id, (entry) => (entry.exitCode === undefined ? { ...entry, exitCode } : undefined))) return undefined;
    const session = this.sessionsByKey.get(this.entries.get(id)?.sessionKey ?? '');
    if (session) session.exitedUpTo = Math.max(session.exitedUpTo, session.ids.indexOf(id));
    return this.entries.get(id);
  }

  attachOutput(id: string, output: CapturedOutput): boolean {
    return this.update(id, (entry) => ({ ...entry, output: this.bound(output) }));
  }

  get(id: string): CommandEntry | undefined {
    return this.entries.get(id);
  }

  /** Most recently active first. */
  sessions(): SessionInfo[] {
    return [...this.sessionsByKey.values()]
      .sort((a, b) => b.lastAt - a.lastAt)
      .map(({ key, door, name, startedAt, lastAt, ids }) => ({ key, door, name, startedAt, lastAt, count: ids.length }));
  }

  /** Newest first. */
  commands(sessionKey: string): CommandEntry[] {
    const ids = this.sessionsByKey.get(sessionKey)?.ids ?? [];
    return ids.map((id) => this.entries.get(id)).filter((entry): entry is CommandEntry => entry !== undefined).reverse();
  }

  private match({ terminal, commandLine }: ExitMatch): string | undefined {
    const session = this.sessionsByKey.get(sessionOf({ source: 'guarded-terminal', terminal }).key);
    if (!session) return undefined;
    const reported = normalize(commandLine);
    for (const id of session.ids.slice(session.exitedUpTo + 1)) {
      const entry = this.entries.get(id);
      if (entry?.decision?.kind === 'run' && entry.exitCode === undefined && isReportedAs(normalize(entry.request.command), reported)) return id;
    }
    return undefined;
  }

  private update(id: string, change: (entry: CommandEntry) => CommandEntry | undefined): boolean {
    const entry = this.entries.get(id);
    const next = entry && change(entry);
    if (!next) return false;
    this.entries.set(id, next);
    this.changed();
    return true;
  }

  private bound(output: CapturedOutput): CapturedOutput {
    const after = headOf(output.after, this.limits.maxOutputChars);
    const before = tailOf(output.before, this.limits.maxOutputChars - after.length);
    return { before, after, truncated: output.truncated || after.length < output.after.length };
  }

  /** Drops the least recently active sessions until at most `keep` are left. */
  private evictSessions(keep: number): void {
    while (this.sessionsByKey.size > keep) {
      let oldest: Session | undefined;
      for (const session of this.sessionsByKey.values()) if (!oldest || session.lastAt < oldest.lastAt) oldest = session;
      if (!oldest) return;
      this.sessionsByKey.delete(oldest.key);
      for (const id of oldest.ids) this.entries.delete(id);
    }
  }

  private changed(): void {
    this.changes.fire();
  }
}

function withoutEnv({ command, cwd, source, terminal, agent }: GateRequest): RecordedRequest {
  return { command, cwd, source, terminal, agent };
}

function normalize(command: string): string {
  return command.trim().replace(/\s+/g, ' ');
}

/**
 * Whether shell integration reported `typed` as the command that ended. For a line that paused, VS
 * Code reads the command line off the screen (our shell's integration has no nonce of VS Code's), so
 * the banner and the prompt printed again come before it: the line then ends the report, after a
 * space or the prompt's last character.
 */
function isReportedAs(typed: string, reported: string): boolean {
  if (reported === typed) return true;
  return typed !== '' && reported.endsWith(typed) && /[\s#$%>]/.test(reported.charAt(reported.length - typed.length - 1));
}
