/**
 * The audit log's records and their hash chain. One JSON object per line, serialised canonically
 * (fixed key order, no spaces), each carrying the hash of the record before it (`prev`) and its own
 * (`hash`, plain SHA-256 over its canonical form without `hash` and `mac`). Changing, removing or
 * moving any line breaks the chain at that line. The hash is unkeyed, so whoever can write the file
 * can also rewrite it and recompute every hash; a record written with a key therefore also carries
 * `mac`, HMAC-SHA256(key, hash), which only the key's holder can make. Without the key a rewrite is
 * only caught against a head hash kept elsewhere (an anchor); dropping whole records from the end
 * is only caught that way even with it.
 *
 * Exit codes come later than decisions, so they are records of their own (`kind: 'exit'`, naming
 * the gate request's id) rather than edits of the decision: the log is append-only. So is a pause: a
 * request that waits for a person is written when it pauses (`kind: 'pause'`), so that a window that
 * dies before the decision leaves a trace; the next start finds each pause with no decision after it
 * and writes that the window stopped while it waited (`kind: 'stopped'`).
 *
 * Pure: the caller passes the sha256 and MAC functions. No record ever holds plan JSON or an unredacted line.
 */
import { REQUEST_SOURCES, type CancelReason, type Decision, type GateRequest, type LateDecision, type RequestSource } from '../gate/types';
import type { ActionCounts, PlanAnalysis } from '../terraform/types';
import { SEVERITIES, Severity, Verdict } from '../verdict';
import { isRecord } from '../json';
import { err, ok, type Result } from '../result';
import { redactCommand, redactText } from './redact';

export const AUDIT_FORMAT_VERSION = 1;
/** The `prev` of the first record in a file. */
export const GENESIS_HASH = '0'.repeat(64);

/** Hex SHA-256 of the UTF-8 text. */
export type Sha256 = (text: string) => string;
/** Hex HMAC-SHA256 of a record's hash (its 64 hex digits as text) with the log's key. */
export type Mac = (hash: string) => string;

/** Who or what settled the request: the engine (allowed at once), the person, or a cancellation. */
export type DecidedBy =
  | 'engine'
  | 'click'
  | 'typed-phrase'
  /** An earlier approval's one-time grant (the record's `grantedBy` names that request). */
  | 'grant'
  | 'deny'
  | 'interrupt'
  | 'kill-switch'
  | 'timeout'
  | 'dry-run'
  | 'superseded'
  | 'requester-gone';

const CANCELLED_BY = {
  denied: 'deny',
  interrupted: 'interrupt',
  killed: 'kill-switch',
  timeout: 'timeout',
  'dry-run': 'dry-run',
  superseded: 'superseded',
  abandoned: 'requester-gone',
} as const satisfies Readonly<Record<CancelReason, DecidedBy>>;

/**
 * Who settled a request, from the gate's verdict and decision and, for an approve, how the person
 * approved (a click when nothing says otherwise).
 */
export function decidedByOf<A extends 'click' | 'typed-phrase' = 'click'>(
  verdict: Verdict,
  decision: Decision,
  approvedWith?: A,
): 'engine' | 'grant' | (typeof CANCELLED_BY)[CancelReason] | A {
  if (decision.kind === 'cancel') return CANCELLED_BY[decision.reason];
  if (verdict.verdict === 'allow') return 'engine';
  return decision.grantedBy !== undefined ? 'grant' : (approvedWith ?? ('click' as A));
}

export interface AuditFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly title: string;
  /** Redacted. */
  readonly detail?: string;
}

/** The plan preview's blast radius as the person saw it: numbers and the headline, never plan values. */
export interface BlastRadiusSummary {
  /** Redacted. */
  readonly headline: string;
  readonly total: number;
  readonly counts: ActionCounts;
  /** How many critical resources (databases, buckets, …) it deletes, replaces or forgets. */
  readonly critical: number;
  /** How many backups die with their resource. */
  readonly backupsLost: number;
  /** Production markers seen in the plan (workspace, tags, names). */
  readonly production: readonly string[];
}

/** What the pause record and the decision record both say of a request, as the door submitted it. */
interface RequestFields {
  /** The gate's request id: exit records and the live panel refer to it. */
  readonly id: string;
  /** When the door submitted it (ISO). */
  readonly requestedAt: string;
  readonly source: RequestSource;
  readonly agent?: string;
  readonly terminal?: string;
  readonly cwd?: string;
  /** Redacted. */
  readonly command: string;
  /** How many secrets were masked in `command`. */
  readonly redactions: number;
  readonly severity?: Severity;
  readonly findings: readonly AuditFinding[];
}

/** A request decided (the record's `time` is when). */
export interface DecisionEntry extends RequestFields {
  readonly kind: 'decision';
  readonly verdict: Verdict['verdict'];
  readonly decision: Decision['kind'];
  readonly decidedBy: DecidedBy;
  /** The approved request whose grant let this one run without a card of its own. */
  readonly grantedBy?: string;
  /** SHA-256 of the `show -json` the person was shown. */
  readonly planHash?: string;
  /**
   * SHA-256 of the saved plan file that runs in the command's place: on the approved request, the
   * plan its approval is for; on the exec that ran it, the plan that ran.
   */
  readonly savedPlan?: string;
  readonly blastRadius?: BlastRadiusSummary;
  /** Redacted. What a denied request would have touched; the window raises later requests that touch them. */
  readonly targets?: readonly string[];
}

/**
 * A request that paused for a person's review, written when it paused: what the decision record will
 * repeat, without the decision. Its id is the decision's.
 */
export interface PauseEntry extends RequestFields {
  readonly kind: 'pause';
  /** The window's process (its extension host) that waits for the decision. */
  readonly host?: number;
}

/**
 * Written at the next start for a pause with no decision after it: the window (the extension host)
 * stopped while the request waited, so nobody decided and its door did not run it.
 */
export interface StoppedEntry {
  readonly kind: 'stopped';
  /** The pause record's `id`. */
  readonly id: string;
}

/** How a command that was let through ended. */
export interface ExitEntry {
  readonly kind: 'exit';
  /** The decision record's `id`. */
  readonly id: string;
  readonly exitCode: number;
  readonly signal?: string;
}

/** A person's decision on a card whose requester had already gone (its decision record says 'requester-gone'). */
export interface LateEntry {
  readonly kind: 'late';
  /** The decision record's `id`. */
  readonly id: string;
  readonly outcome: LateDecision['outcome'];
  readonly decidedBy: 'click' | 'typed-phrase' | 'deny' | 'dry-run';
  /** Until when the same line may run once (ISO), for a grant. */
  readonly grantUntil?: string;
  /** Redacted. What it would have touched, for a denial. */
  readonly targets?: readonly string[];
}

/** What the state-file guard saw and what became of it. */
export const STATE_EVENTS = ['swap-found', 'restored', 'accepted', 'approved-write', 'backend-conflict', 'backend-unchecked'] as const;

/** One state file's lineage, serial and size, as the guard compared it. */
export interface StateSide {
  readonly lineage: string;
  readonly serial: number;
  readonly resources: number;
}

/**
 * A state-guard event: a swap found (both sides and why), restored (where the swapped-in file was
 * kept), accepted (by the typed phrase), a change taken as an approved command's own write, or a
 * paused command's folder whose local state disagrees with its backend's (`old` the backend's, `new`
 * the local file's) or whose backend could not be read.
 */
export interface StateEntry {
  readonly kind: 'state';
  /** The swap card's id; for an approved write, the request whose command wrote it; for a backend check, the paused request. */
  readonly id: string;
  readonly event: (typeof STATE_EVENTS)[number];
  /** The state file. */
  readonly path: string;
  readonly old?: StateSide;
  readonly new?: StateSide;
  readonly reasons?: readonly string[];
  readonly decidedBy?: 'click' | 'typed-phrase';
  readonly keptAside?: string;
}

/** What Back up first and Restore did: each resource's backup as the card showed it, and each restore. */
export const BACKUP_EVENTS = ['backed-up', 'not-backed-up', 'cannot-back-up-here', 'restored', 'restore-failed'] as const;

/**
 * One data resource's backup for a paused request (its id), or a restore of one (the id of the request
 * it was made for). Never a password: the resource is described, and reasons are redacted.
 */
export interface BackupEntry {
  readonly kind: 'backup';
  readonly id: string;
  readonly event: (typeof BACKUP_EVENTS)[number];
  /** "postgresql admin@127.0.0.1:5432/shop", "rds-instance prod-db". */
  readonly resource: string;
  /** The backup file, or the snapshot's id. */
  readonly where?: string;
  readonly bytes?: number;
  /** How it was verified: "restored into a scratch database: 3 tables, 120 rows". */
  readonly verified?: string;
  readonly reason?: string;
  /** A restore is asked for by a typed phrase. */
  readonly decidedBy?: 'typed-phrase';
}

export type AuditEntry = DecisionEntry | PauseEntry | StoppedEntry | ExitEntry | LateEntry | StateEntry | BackupEntry;

interface Chained {
  readonly v: number;
  readonly seq: number;
  /** When the record was written (ISO 8601, UTC). */
  readonly time: string;
  readonly prev: string;
  readonly hash: string;
  /** HMAC-SHA256(key, hash), on a record written with a key. */
  readonly mac?: string;
}

export type AuditRecord = Chained & AuditEntry;

/** The last record of a chain; `{ seq: 0, hash: GENESIS_HASH }` before the first. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

export const GENESIS_HEAD: ChainHead = { seq: 0, hash: GENESIS_HASH };

// ── building records ─────────────────────────────────────────────────────────────────────────────

/** What the gate and the review know about a settled request. */
export interface DecisionInput {
  readonly id: string;
  readonly request: Pick<GateRequest, 'command' | 'cwd' | 'source' | 'terminal' | 'agent'>;
  readonly verdict: Verdict;
  /** ms since the epoch. */
  readonly createdAt: number;
  readonly decision: Decision;
  /** How the person approved; a paused request that ran without a note counts as a click. */
  readonly approvedWith?: 'click' | 'typed-phrase';
  readonly planHash?: string;
  /** The saved plan the approval is for (the decision itself names the one a shim ran). */
  readonly savedPlan?: string;
  readonly plan?: Pick<PlanAnalysis, 'headline' | 'total' | 'counts' | 'critical' | 'backupsLost' | 'production'>;
  /** What a denied request would have touched (the gate's denial). */
  readonly deniedTargets?: readonly string[];
}

function savedPlanField(sha256: string | undefined): { savedPlan?: string } {
  return sha256 !== undefined ? { savedPlan: sha256 } : {};
}

/** What a pause and its decision both record of the request: the line and the findings' details redacted. */
function requestFields(input: Pick<DecisionInput, 'id' | 'request' | 'verdict' | 'createdAt'>): Omit<PauseEntry, 'kind'> {
  const { request, verdict } = input;
  const command = redactCommand(request.command);
  return {
    id: input.id,
    requestedAt: new Date(input.createdAt).toISOString(),
    source: request.source,
    ...(request.agent !== undefined ? { agent: request.agent } : {}),
    ...(request.terminal !== undefined ? { terminal: request.terminal } : {}),
    ...(request.cwd !== undefined ? { cwd: request.cwd } : {}),
    command: command.text,
    redactions: command.redactions,
    ...(verdict.severity !== undefined ? { severity: verdict.severity } : {}),
    findings: verdict.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      // A gate finding's title may name what was denied, ids and URLs included.
      title: redactText(f.title).text,
      ...(f.detail !== undefined ? { detail: redactText(f.detail).text } : {}),
    })),
  };
}

/** A paused request as it is logged when it pauses, before anyone decides. */
export function pauseEntry(input: Pick<DecisionInput, 'id' | 'request' | 'verdict' | 'createdAt'>, host?: number): PauseEntry {
  return { kind: 'pause', ...requestFields(input), ...(host !== undefined ? { host } : {}) };
}

/** The decision as it is logged: the line and the findings' details redacted, the plan reduced to its blast radius. */
export function decisionEntry(input: DecisionInput): DecisionEntry {
  const { verdict, decision, plan } = input;
  const { severity, findings, ...request } = requestFields(input);
  const decidedBy: DecidedBy = decidedByOf(verdict, decision, input.approvedWith);
  return {
    kind: 'decision',
    ...request,
    verdict: verdict.verdict,
    ...(severity !== undefined ? { severity } : {}),
    findings,
    decision: decision.kind,
    decidedBy,
    ...(decision.kind === 'run' && decision.grantedBy !== undefined ? { grantedBy: decision.grantedBy } : {}),
    ...(input.planHash !== undefined ? { planHash: input.planHash } : {}),
    ...savedPlanField(decision.kind === 'run' ? (decision.savedPlan?.sha256 ?? input.savedPlan) : undefined),
    ...(plan
      ? {
          blastRadius: {
            headline: redactText(plan.headline).text,
            total: plan.total,
            counts: plan.counts,
            critical: plan.critical.length,
            backupsLost: plan.backupsLost.length,
            production: plan.production.map((p) => redactText(p).text),
          },
        }
      : {}),
    ...targetsField(input.deniedTargets),
  };
}

/** A denial's targets as logged: redacted, and no field when there are none. */
export function targetsField(targets: readonly string[] | undefined): { targets?: string[] } {
  return targets && targets.length > 0 ? { targets: targets.map((t) => redactText(t).text) } : {};
}

/** The next record after `head`, and the exact line (without its newline) to append; with `mac`, a keyed record. */
export function chainRecord(head: ChainHead, entry: AuditEntry, time: string, sha256: Sha256, mac?: Mac): { record: AuditRecord; line: string } {
  const unsigned = { ...entry, v: AUDIT_FORMAT_VERSION, seq: head.seq + 1, time, prev: head.hash };
  const hash = sha256(canonicalJson(unsigned));
  const record = { ...unsigned, hash, ...(mac ? { mac: mac(hash) } : {}) } as AuditRecord;
  return { record, line: canonicalJson(record) };
}

// ── canonical form ───────────────────────────────────────────────────────────────────────────────

/** Top-level keys that lead and trail, so a line reads `{"v":1,"seq":…,"time":…,"kind":…, …,"prev":…,"hash":…,"mac":…}`. */
const LEADING_KEYS = ['v', 'seq', 'time', 'kind'];
const TRAILING_KEYS = ['prev', 'hash', 'mac'];

function keyRank(key: string): number {
  const lead = LEADING_KEYS.indexOf(key);
  if (lead !== -1) return lead;
  const trail = TRAILING_KEYS.indexOf(key);
  return trail === -1 ? LEADING_KEYS.length : LEADING_KEYS.length + 1 + trail;
}

/** Code-unit order, the same in every locale. */
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** JSON with a fixed key order (top level as above, nested objects sorted), no spaces, no undefined members. */
export function canonicalJson(value: unknown, top = true): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, false)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object)
      .filter((k) => object[k] !== undefined)
      .sort(top ? (a, b) => keyRank(a) - keyRank(b) || byCodeUnit(a, b) : byCodeUnit);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(object[k], false)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

// ── reading and verifying ────────────────────────────────────────────────────────────────────────

export type ChainProblem =
  | 'edited'
  | 'deleted'
  | 'reordered'
  | 'truncated'
  | 'malformed'
  | 'unknown-version'
  /** A MAC that does not match the key, or a record without one after keyed records. */
  | 'forged'
  /** The first MAC checked does not match: another key, or a forgery from there on. */
  | 'wrong-key'
  /** A copy whose line ends or first bytes were converted (CRLF, a byte order mark). */
  | 'converted';

export interface ChainBreak {
  readonly problem: ChainProblem;
  /** In words, for the person: what is wrong and what it means. */
  readonly reason: string;
}

const HASH = /^[0-9a-f]{64}$/;
const LATE_OUTCOMES: readonly LateDecision['outcome'][] = ['granted', 'denied', 'dry-run'];

/** The records among `lines` that parse, in order; the others are skipped. */
export function* readableRecords(lines: Iterable<string>): Generator<AuditRecord> {
  for (const line of lines) {
    const parsed = parseRecordLine(line);
    if (parsed.ok) yield parsed.value;
  }
}

/** One line of a log as a record, or why it is not one (its chain is not checked here). */
export function parseRecordLine(line: string): Result<AuditRecord, ChainBreak> {
  const malformed = (reason: string) => err<ChainBreak>({ problem: 'malformed', reason });
  if (line.trim() === '') return malformed('the line is empty');
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return malformed(`the line is not JSON (${(error as Error).message})`);
  }
  const r = isRecord(value) ? value : undefined;
  if (!r) return malformed('the line is not a JSON object');
  if (r.v !== AUDIT_FORMAT_VERSION) {
    return typeof r.v === 'number'
      ? err({ problem: 'unknown-version', reason: `the record is format version ${r.v}; this countersign reads version ${AUDIT_FORMAT_VERSION}` })
      : malformed('the record has no format version');
  }
  const wrong = shapeProblem(r);
  return wrong ? malformed(wrong) : ok(value as AuditRecord);
}

/** What is missing or mistyped in a version-1 record, if anything. */
function shapeProblem(r: Record<string, unknown>): string | undefined {
  if (!Number.isSafeInteger(r.seq) || (r.seq as number) < 1) return 'its seq is not a positive whole number';
  if (typeof r.time !== 'string') return 'it has no time';
  if (typeof r.prev !== 'string' || !HASH.test(r.prev)) return 'its prev is not a sha256 hash';
  if (typeof r.hash !== 'string' || !HASH.test(r.hash)) return 'its hash is not a sha256 hash';
  if (r.mac !== undefined && (typeof r.mac !== 'string' || !HASH.test(r.mac))) return 'its mac is not an HMAC-SHA256';
  if (typeof r.id !== 'string') return 'it names no request id';
  if (r.kind === 'exit') return Number.isSafeInteger(r.exitCode) ? undefined : 'its exitCode is not a whole number';
  if (r.targets !== undefined && !(Array.isArray(r.targets) && r.targets.every((t) => typeof t === 'string'))) return 'its targets are not a list of strings';
  if (r.kind === 'late') return LATE_OUTCOMES.includes(r.outcome as LateDecision['outcome']) ? undefined : 'its outcome is not granted, denied or dry-run';
  if (r.kind === 'state') {
    if (!(STATE_EVENTS as readonly unknown[]).includes(r.event)) return `its state event ${JSON.stringify(r.event)} is unknown`;
    return typeof r.path === 'string' ? undefined : 'it names no state file';
  }
  if (r.kind === 'backup') {
    if (!(BACKUP_EVENTS as readonly unknown[]).includes(r.event)) return `its backup event ${JSON.stringify(r.event)} is unknown`;
    return typeof r.resource === 'string' ? undefined : 'it names no resource';
  }
  if (r.kind === 'stopped') return undefined;
  if (r.kind !== 'decision' && r.kind !== 'pause') return `its kind ${JSON.stringify(r.kind)} is not decision, pause, stopped, exit, late, state or backup`;
  if (typeof r.command !== 'string') return 'it has no command';
  if (!REQUEST_SOURCES.includes(r.source as RequestSource)) return `its source ${JSON.stringify(r.source)} is unknown`;
  if (!Array.isArray(r.findings) || !r.findings.every((f) => typeof f?.ruleId === 'string' && SEVERITIES.includes(f.severity))) return 'its findings are not a list of findings';
  if (r.kind === 'pause') return undefined;
  if (r.verdict !== 'allow' && r.verdict !== 'pause') return 'its verdict is not allow or pause';
  if (r.decision !== 'run' && r.decision !== 'cancel') return 'its decision is not run or cancel';
  if (typeof r.decidedBy !== 'string') return 'it does not say who decided';
  return undefined;
}

export type VerifyResult =
  | {
      readonly ok: true;
      readonly records: number;
      readonly head: ChainHead;
      /** Present when a key was given or a record carries a MAC: how many do, and whether they were checked. */
      readonly keyed?: KeyedRecords;
    }
  | ({
      readonly ok: false;
      /** Records before the break that chain correctly. */
      readonly records: number;
      /** The last intact record. */
      readonly head: ChainHead;
      /** 1-based line of the first broken record. */
      readonly line: number;
      readonly seq?: number;
    } & ChainBreak);

export interface KeyedRecords {
  /** Intact records that carry a MAC. */
  readonly records: number;
  /** Whether their MACs were checked against a key. */
  readonly checked: boolean;
}

export interface VerifyOptions {
  /**
   * The lines are a tail cut from a longer log: the first one is taken as it is (its own hash is
   * still checked) and the chain is followed from there.
   */
  readonly segment?: boolean;
  /** The key's MAC: every MAC is checked against it. Without it MACs are not checked, only that none goes missing. */
  readonly mac?: Mac;
  /** Called with each record that chains, in order (the caller counts or looks for what it needs). */
  readonly onRecord?: (record: AuditRecord) => void;
}

/**
 * How far past a gap the verifier looks for the missing records, to tell "moved" from "deleted"
 * without holding the log: lines are parsed and dropped, so this bounds time, not memory.
 */
export const LOOKAHEAD_LINES = 10_000;
/** How many recent hashes are kept to tell a copied record from a moved one. */
const RECENT_HASHES = 10_000;

/** A gap found at a record: records `from`…`to - 1` are missing there, unless they turn up a little later. */
interface Gap {
  readonly index: number;
  readonly seq: number;
  readonly from: number;
  readonly to: number;
  readonly head: ChainHead | undefined;
  left: number;
}

type Broken = Extract<VerifyResult, { ok: false }>;

/**
 * Follows the chain one line at a time, in bounded memory, and keeps the first record that breaks
 * it. Give it the file's text split on '\n' (`add` each piece in order, then `result`): an intact
 * file ends with one empty piece; a last piece with text is a write cut short.
 */
export class ChainVerifier {
  /** The newest piece: processed when the next arrives, since only the last one may lack its newline. */
  private held: string | undefined;
  private index = 0;
  private head: ChainHead | undefined;
  private intact = 0;
  private keyed = 0;
  private broken: Broken | undefined;
  private gap: Gap | undefined;
  private readonly recent = new Map<number, string>();

  constructor(
    private readonly sha256: Sha256,
    private readonly options: VerifyOptions = {},
  ) {
    this.head = options.segment ? undefined : GENESIS_HEAD;
  }

  /** Whether the outcome is settled: nothing more needs to be read. */
  get done(): boolean {
    return this.broken !== undefined && this.gap === undefined;
  }

  add(piece: string): void {
    if (this.held !== undefined) this.line(this.held);
    this.held = piece;
  }

  /** The line after those added could not be read (the reader names why); nothing after it counts. */
  unreadable(reason: string): VerifyResult {
    if (this.held !== undefined) this.line(this.held);
    this.held = undefined;
    if (this.gap) this.closeGap(false);
    if (!this.broken) this.fail(this.index, { problem: 'malformed', reason: `line ${this.index + 1}: ${reason}` });
    return this.result();
  }

  result(): VerifyResult {
    const last = this.held;
    if (this.gap && last) this.lookAhead(last);
    if (this.gap) this.closeGap(false);
    if (!this.broken && last) {
      this.fail(this.index, { problem: 'truncated', reason: 'the last line has no line end: a write was interrupted or the file was cut short' });
    }
    if (this.broken) return this.broken;
    const keyed = this.options.mac || this.keyed > 0 ? { keyed: { records: this.keyed, checked: this.options.mac !== undefined } } : {};
    return { ok: true, records: this.intact, head: this.head ?? GENESIS_HEAD, ...keyed };
  }

  private line(text: string): void {
    const index = this.index++;
    if (this.gap) return this.lookAhead(text);
    if (this.broken) return;
    const converted = index === 0 ? conversion(text, !this.options.segment) : undefined;
    if (converted) return this.fail(index, { problem: 'converted', reason: `this copy ${converted}: it was converted after it was written; verify the original` });
    const p = parseRecordLine(text);
    if (!p.ok) return this.fail(index, { problem: p.error.problem, reason: `line ${index + 1}: ${p.error.reason}` });
    const record = p.value;
    const problem = this.sealProblem(record, text) ?? this.linkProblem(record, index);
    if (problem) return this.fail(index, problem, record.seq);
    if (this.gap) return;
    this.head = { seq: record.seq, hash: record.hash };
    this.intact++;
    if (record.mac !== undefined) this.keyed++;
    this.recent.set(record.seq, record.hash);
    if (this.recent.size > RECENT_HASHES) this.recent.delete(this.recent.keys().next().value as number);
    this.options.onRecord?.(record);
  }

  private fail(index: number, found: ChainBreak, seq?: number, head = this.head): void {
    this.broken = { ok: false, records: this.intact, head: head ?? GENESIS_HEAD, line: index + 1, ...(seq !== undefined ? { seq } : {}), ...found };
  }

  /** Why the record does not stand on its own: its form, its hash, its MAC. */
  private sealProblem(record: AuditRecord, line: string): ChainBreak | undefined {
    const n = `record #${record.seq}`;
    if (canonicalJson(record) !== line) return { problem: 'edited', reason: `${n} is not in the exact form countersign writes: it was changed by hand or re-serialised` };
    // `hash` and `mac` are the last keys of a canonical line, so the hashed text is the line without them.
    if (this.sha256(`${line.slice(0, line.lastIndexOf(',"hash":'))}}`) !== record.hash) return { problem: 'edited', reason: `${n} was edited: its content does not match its hash` };
    if (record.mac === undefined) {
      return this.keyed > 0 ? { problem: 'forged', reason: `${n} has no MAC though the records before it do: it was added or rewritten without the key` } : undefined;
    }
    if (!this.options.mac || this.options.mac(record.hash) === record.mac) return undefined;
    return this.keyed === 0
      ? { problem: 'wrong-key', reason: `${n} is the first keyed record and its MAC does not match the key: the log was written with another key, or it was forged from here on` }
      : { problem: 'forged', reason: `${n} was edited or forged: its MAC does not match the key` };
  }

  /** Why `record` does not follow the head, in words; a gap is settled by `lookAhead`. */
  private linkProblem(record: AuditRecord, index: number): ChainBreak | undefined {
    const head = this.head;
    if (!head) return undefined;
    const n = `record #${record.seq}`;
    const expected = head.seq + 1;
    if (record.seq === expected) {
      if (record.prev === head.hash) return undefined;
      return head.seq === 0
        ? { problem: 'edited', reason: `${n} should start the chain but points at another record: the log's beginning was replaced` }
        : { problem: 'edited', reason: `${n} does not follow record #${head.seq}: one of them was altered and re-hashed, or replaced` };
    }
    if (record.seq > expected) {
      this.gap = { index, seq: record.seq, from: expected, to: record.seq, head, left: LOOKAHEAD_LINES };
      return undefined;
    }
    const copy = this.recent.get(record.seq) === record.hash;
    return {
      problem: 'reordered',
      reason: copy ? `${n} appears a second time after record #${head.seq}: a record was copied` : `${n} comes after record #${head.seq}: records were moved out of order`,
    };
  }

  /** A line after a gap: one of the missing records turning up here means they were moved, not deleted. */
  private lookAhead(text: string): void {
    const gap = this.gap as Gap;
    const p = parseRecordLine(text);
    if (p.ok && p.value.seq >= gap.from && p.value.seq < gap.to) {
      this.gap = undefined;
      this.fail(gap.index, { problem: 'reordered', reason: `record #${gap.seq} comes before record #${p.value.seq}: records were moved out of order` }, gap.seq, gap.head);
    } else if (--gap.left === 0) this.closeGap(true);
  }

  private closeGap(windowFull: boolean): void {
    const gap = this.gap as Gap;
    this.gap = undefined;
    const missing = gap.from === gap.to - 1 ? `record #${gap.from} is` : `records #${gap.from}–#${gap.to - 1} are`;
    const how = gap.head?.seq === 0 ? 'the start of the log was cut' : 'records were deleted';
    const further = windowFull ? ` (or moved more than ${LOOKAHEAD_LINES} lines further on)` : '';
    this.fail(gap.index, { problem: 'deleted', reason: `${missing} missing before record #${gap.seq}: ${how}${further}` }, gap.seq, gap.head);
  }
}

/** How the first line shows a converted copy, if it does: a byte order mark (only at the file's start), or CRLF. */
function conversion(first: string, fileStart: boolean): string | undefined {
  if (fileStart && first.startsWith('\uFEFF')) return 'starts with a byte order mark (BOM)';
  return first.endsWith('\r') ? 'has Windows line endings (CRLF)' : undefined;
}

/** Follows the chain of `lines` (a file's text split on '\n') and reports the first record that breaks it. */
export function verifyChain(lines: Iterable<string>, sha256: Sha256, options: VerifyOptions = {}): VerifyResult {
  const verifier = new ChainVerifier(sha256, options);
  for (const line of lines) {
    verifier.add(line);
    if (verifier.done) break;
  }
  return verifier.result();
}
