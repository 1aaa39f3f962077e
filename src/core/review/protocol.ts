/**
 * The one message protocol between the review panel (webview/) and the extension host, after
 * GitLens's IPC (src/webviews/protocol.ts): each method is declared once here with its validator, as
 * a command (webview → host, not answered), a request (webview → host, answered once by a reply that
 * carries the request's id: its response or why there is none) or a notification (host → webview).
 * Both sides import these declarations and validate every message before use, its id too. Nothing in
 * a message from the panel is trusted beyond its shape, and an approve is re-checked against the
 * pending request, its nonce, its plan hash and its confirmation phrase (src/core/review/reviews.ts).
 */
import type { RequestSource } from '../gate/types';
import type { Finding, Severity } from '../verdict';
import { isRecord } from '../json';
import { err, ok, type Result } from '../result';
import type { BackupLine } from '../backup/dataResources';
import type { ActionCounts, BackupLoss, CriticalResource, DifferentObject, ResourceChange, ResourceDiff, StateSummary } from '../terraform/types';

/** For the webview, which may import only this module from src/. */
export { err, type Result };

/** A command, request or notification; its id names it in the logs, and a request's reply carries it back. */
export interface IpcMessage {
  readonly id: string;
  readonly method: string;
  readonly params: unknown;
}

/** The host's answer to the request with the same id: its response, or why there is none. */
export type IpcReply = { readonly id: string; readonly response: unknown } | { readonly id: string; readonly error: string };

/** Reads untrusted params: returns them typed, or a message saying what is wrong. */
type Validator<P> = (params: unknown) => Result<P>;

abstract class IpcType<P> {
  constructor(
    readonly method: string,
    readonly validate: Validator<P>,
  ) {}
  /**
   * Narrows a message to this type. Only for messages whose params already passed `validate`
   * (readPanelMessage in src/extension/review/panelMessages.ts).
   */
  is(message: IpcMessage): message is IpcMessage & { readonly params: P } {
    return message.method === this.method;
  }
}

/** Webview → host, not answered. */
export class IpcCommand<P> extends IpcType<P> {
  readonly direction = 'command';
}

/** Webview → host, answered once by an IpcReply with its id; the response `R` passes `validateResponse`. */
export class IpcRequest<P, R> extends IpcType<P> {
  readonly direction = 'request';
  constructor(
    method: string,
    validate: Validator<P>,
    readonly validateResponse: Validator<R>,
  ) {
    super(method, validate);
  }
}

/** Host → webview. */
export class IpcNotification<P> extends IpcType<P> {
  readonly direction = 'notification';
}

// ── the views the host sends ─────────────────────────────────────────────────────────────────────

/** A finding as the card shows it: without the span and the invocation (host-side detail). */
export type FindingView = Pick<Finding, 'ruleId' | 'severity' | 'title' | 'why' | 'saferAlternative' | 'command' | 'detail'>;

export type PreviewErrorCode = 'no-binary' | 'init-needed' | 'no-credentials' | 'timeout' | 'cancelled' | 'invalid-plan' | 'unknown-directory' | 'not-previewable' | 'failed';

export type PreviewView =
  | { readonly kind: 'none' }
  | { readonly kind: 'running'; readonly startedAt: number; readonly step: string }
  | { readonly kind: 'failed'; readonly code: PreviewErrorCode; readonly message: string; readonly detail?: string }
  | { readonly kind: 'ready'; readonly planHash: string; readonly plan: PlanView; readonly run: PlanRunView };

/**
 * What Approve runs: the saved plan shown on the card (terraform refuses it if the state moved on),
 * or the line as written, which plans again, and why.
 */
export type PlanRunView = { readonly kind: 'saved-plan'; readonly command: string } | { readonly kind: 'replans'; readonly why: string };

export interface PlanView {
  readonly headline: string;
  readonly total: number;
  readonly counts: ActionCounts;
  readonly critical: readonly CriticalResource[];
  readonly backupsLost: readonly BackupLoss[];
  readonly production: readonly string[];
  readonly driftCount: number;
  /** One page of `changes` (deletes and replaces first); the rest on request. */
  readonly page: ChangePage;
}

export interface ChangePage {
  readonly index: number;
  readonly size: number;
  /** How many changes in all (pages = ceil(total / size)). */
  readonly total: number;
  readonly items: readonly ResourceChange[];
}

/** When set, Approve stays disabled until this exact phrase is typed. */
export interface ConfirmationView {
  readonly phrase: string;
  /** Why the phrase is asked: "destroys a database", "production context: prod". */
  readonly reasons: readonly string[];
}

export interface RequestCard {
  readonly kind: 'request';
  readonly id: string;
  /** Issued by the host for this card; an approve or deny must carry it back. */
  readonly nonce: string;
  readonly command: string;
  readonly cwd?: string;
  readonly terminal?: string;
  readonly agent?: string;
  readonly source: RequestSource;
  /** The line that started this exec (a guarded terminal's running line), when the door could tell. */
  readonly launchedBy?: string;
  /** ms since the epoch; the panel shows how long it has waited. */
  readonly createdAt: number;
  /**
   * ms since the epoch when whoever asked stopped waiting (an agent's tool timeout): Approve then runs
   * nothing, it lets the same command run once when asked again within `retryMinutes`.
   */
  readonly requesterGoneAt?: number;
  readonly retryMinutes?: number;
  readonly severity?: Severity;
  readonly findings: readonly FindingView[];
  readonly preview: PreviewView;
  readonly confirmation?: ConfirmationView;
  /** Why Approve is off whatever is typed: an undecided state swap this command reads or writes. */
  readonly blockedBy?: string;
  /** For a command that may write state: the state in its folder against what its backend holds. */
  readonly backend?: BackendCheckView;
  /** The data in its blast radius, when it holds any: databases, volumes, cloud databases, and what became of their backups. */
  readonly backup?: BackupView;
  readonly dryRun: boolean;
}

/**
 * Back up first: one line per data resource (backed up: where, size, verified how / not backed up /
 * backing up / cannot be backed up from here, and why). Approve waits while a backup runs; a backup
 * never approves anything.
 */
export interface BackupView {
  /** Back up first can be clicked: something here is not backed up yet and can be tried, and nothing runs. */
  readonly offered: boolean;
  readonly running: boolean;
  readonly lines: readonly BackupLine[];
}

/** One side of a state comparison, as a card shows it (the address lists come separately, paged). */
export type StateSideView = Pick<StateSummary, 'lineage' | 'serial' | 'terraformVersion' | 'resourceCount'>;

/**
 * Local against remote: before a command that may write state runs, the state file in its folder, the
 * state its backend holds (`state pull`, read-only) and the last one recorded. `conflict` is critical;
 * `unchecked` says why the backend could not be read; both keep the command paused until a person decides.
 */
export type BackendCheckView =
  | { readonly kind: 'running'; readonly startedAt: number; readonly step: string }
  | {
      readonly kind: 'done';
      readonly status: 'consistent' | 'conflict' | 'unchecked';
      readonly reasons: readonly string[];
      /** Where terraform keeps this folder's state: "an http backend", "a local file at …". */
      readonly where: string;
      /** The local state file compared (workspace-relative when inside the workspace). */
      readonly localPath: string;
      readonly local?: StateSideView;
      readonly backend?: StateSideView;
      /** Addresses only in the local file / only in the backend's state (first page; counts complete). */
      readonly onlyLocal: readonly string[];
      readonly onlyBackend: readonly string[];
      readonly onlyLocalCount: number;
      readonly onlyBackendCount: number;
      /** The same address naming other objects: backend's id as `oldId`, the local file's as `newId`. */
      readonly differentObjects: readonly DifferentObject[];
      readonly differentObjectsCount: number;
    };

export interface SwapCard {
  readonly kind: 'swap';
  readonly id: string;
  readonly nonce: string;
  /** The state file, workspace-relative when inside the workspace. */
  readonly path: string;
  readonly detectedAt: number;
  /** Held as a large change to the same state (same lineage, serial up), not as a swap. */
  readonly largeChange: boolean;
  readonly reasons: readonly string[];
  readonly old: StateSummary;
  readonly new: StateSummary;
  /** Resource addresses (first page; counts below are complete). */
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly addedCount: number;
  readonly removedCount: number;
  /** Addresses in both states that name other objects (other ids): first page, then the count. */
  readonly differentObjects: readonly DifferentObject[];
  readonly differentObjectsCount: number;
  /** Whether a stored copy of the previous state can be restored. */
  readonly canRestore: boolean;
  readonly confirmation: ConfirmationView;
}

export type Card = RequestCard | SwapCard;

export interface PanelState {
  /** Newest first. */
  readonly cards: readonly Card[];
  /** The host's clock when sent, so waited times do not depend on the webview's clock. */
  readonly now: number;
  readonly killed: boolean;
}

// ── validators ──────────────────────────────────────────────────────────────────────────────────

type Shape = Record<string, 'string' | 'number' | 'object' | 'string?' | 'number?'>;

const MAX_STRING = 4096;
const MAX_ID = 64;

/** Checks an object has exactly the given fields with the given types, and nothing else. */
function shape<P>(fields: Shape): Validator<P> {
  return (params) => {
    if (!isRecord(params)) return err('params must be an object');
    for (const key of Object.keys(params)) if (!(key in fields)) return err(`unexpected field "${key}"`);
    for (const [key, type] of Object.entries(fields)) {
      const value = params[key];
      const optional = type.endsWith('?');
      if (value === undefined) {
        if (optional) continue;
        return err(`missing field "${key}"`);
      }
      const base = optional ? type.slice(0, -1) : type;
      if (typeof value !== base || value === null) return err(`field "${key}" must be a${base === 'object' ? 'n' : ''} ${base}`);
      if (base === 'string' && (value as string).length > MAX_STRING) return err(`field "${key}" is too long`);
      if (base === 'number' && (!Number.isInteger(value) || (value as number) < 0)) return err(`field "${key}" must be a whole number ≥ 0`);
    }
    return ok(params as P);
  };
}

/** Host-sent data is trusted by the webview except for its envelope. */
function any<P>(): Validator<P> {
  return (params) => (typeof params === 'object' && params !== null ? ok(params as P) : err('params must be an object'));
}


function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID;
}

// ── webview → host ──────────────────────────────────────────────────────────────────────────────

type ReadyParams = Record<string, never>;
export interface ApproveParams {
  readonly id: string;
  readonly nonce: string;
  /** The plan hash the person saw; '' when the card had no plan. */
  readonly planHash: string;
  /** What the person typed; '' when no phrase was asked. */
  readonly phrase: string;
}
export interface DenyParams {
  readonly id: string;
  readonly nonce: string;
}
/** Back up first: bound to the card shown, as a deny is. */
export type BackUpParams = DenyParams;
interface CardParams {
  readonly id: string;
}
interface PageParams {
  readonly id: string;
  readonly page: number;
}
interface DiffParams {
  readonly id: string;
  readonly address: string;
}
export interface SwapDecisionParams {
  readonly id: string;
  readonly nonce: string;
  readonly phrase: string;
}

/** A decision's response: it was carried out (the card leaves with the next state); a refusal is the reply's error. */
export type Done = Record<string, never>;
interface PageResponse {
  readonly planHash: string;
  readonly page: ChangePage;
}
interface DiffResponse {
  readonly planHash: string;
  readonly diff: ResourceDiff;
}

const done = shape<Done>({});

export const ReadyCommand = new IpcCommand<ReadyParams>('panel/ready', shape({}));
export const CancelPreviewCommand = new IpcCommand<CardParams>('preview/cancel', shape({ id: 'string' }));
export const RetryPreviewCommand = new IpcCommand<CardParams>('preview/retry', shape({ id: 'string' }));
export const ApproveRequest = new IpcRequest<ApproveParams, Done>('request/approve', shape({ id: 'string', nonce: 'string', planHash: 'string', phrase: 'string' }), done);
export const DenyRequest = new IpcRequest<DenyParams, Done>('request/deny', shape({ id: 'string', nonce: 'string' }), done);
export const PageRequest = new IpcRequest<PageParams, PageResponse>('plan/page', shape({ id: 'string', page: 'number' }), shape({ planHash: 'string', page: 'object' }));
export const DiffRequest = new IpcRequest<DiffParams, DiffResponse>('plan/diff', shape({ id: 'string', address: 'string' }), shape({ planHash: 'string', diff: 'object' }));
/** Back up the data in the card's blast radius; answered once the backups have started (the card shows them). */
export const BackUpFirstRequest = new IpcRequest<BackUpParams, Done>('backup/start', shape({ id: 'string', nonce: 'string' }), done);
export const CancelBackupCommand = new IpcCommand<CardParams>('backup/cancel', shape({ id: 'string' }));
/** Keep the new state file and lift the hold on terraform commands in its directory. */
export const AcceptSwapRequest = new IpcRequest<SwapDecisionParams, Done>('swap/accept', shape({ id: 'string', nonce: 'string', phrase: 'string' }), done);
/** Put the stored previous state back, keeping the current file aside. */
export const RestoreSwapRequest = new IpcRequest<SwapDecisionParams, Done>('swap/restore', shape({ id: 'string', nonce: 'string', phrase: 'string' }), done);

/** Everything the panel may send; anything else is dropped. */
export const FROM_PANEL = [ReadyCommand, CancelPreviewCommand, RetryPreviewCommand, ApproveRequest, DenyRequest, PageRequest, DiffRequest, AcceptSwapRequest, RestoreSwapRequest, BackUpFirstRequest, CancelBackupCommand] as const;

// ── host → webview ──────────────────────────────────────────────────────────────────────────────

export const StateNotification = new IpcNotification<PanelState>('panel/state', any());

/** The first check on a command, request or notification from the other side: its envelope or nothing. */
export function readEnvelope(data: unknown): IpcMessage | undefined {
  if (!isRecord(data)) return undefined;
  const { id, method, params } = data;
  if (!isId(id) || typeof method !== 'string' || method.length > MAX_ID) return undefined;
  return { id, method, params: params ?? {} };
}

/**
 * The first check on a reply from the host: exactly an id and either a response or an error
 * message. The response is read by the validator of the request the id names.
 */
export function readReply(data: unknown): IpcReply | undefined {
  if (!isRecord(data) || Object.keys(data).length !== 2 || !isId(data.id)) return undefined;
  const { id, response, error } = data;
  if (response !== undefined) return { id, response };
  return typeof error === 'string' ? { id, error } : undefined;
}
