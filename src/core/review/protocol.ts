/**
 * The one message protocol between the review panel (webview/) and the extension host. Modelled on
 * GitLens's IPC: every message is `{ id, method, params }`; each method is declared once here as a
 * typed command (webview → host) or notification (host → webview) with a validator, and both sides
 * import these declarations. The host validates every command; nothing in a command is trusted
 * beyond its shape, and an approve is re-checked against the pending request, its nonce, its plan
 * hash and its confirmation phrase (src/core/review/reviews.ts).
 */
import type { RequestSource } from '../gate/types';
import type { Finding, Severity } from '../verdict';
import { err, ok, type Result } from '../result';
import type { ActionCounts, BackupLoss, CriticalResource, DifferentObject, ResourceChange, ResourceDiff, StateSummary } from '../terraform/types';

export interface IpcMessage {
  readonly id: string;
  readonly method: string;
  readonly params: unknown;
}

/** Reads untrusted params: returns them typed, or a message saying what is wrong. */
export type Validator<P> = (params: unknown) => Result<P>;

abstract class IpcType<P> {
  constructor(
    readonly method: string,
    readonly validate: Validator<P>,
  ) {}
  /** Narrows a message to this type. Only for messages whose params already passed `validate` (see readCommand). */
  is(message: IpcMessage): message is IpcMessage & { readonly params: P } {
    return message.method === this.method;
  }
}

/** Webview → host. */
export class IpcCommand<P> extends IpcType<P> {
  readonly direction = 'command';
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
  readonly dryRun: boolean;
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

type Shape = Record<string, 'string' | 'number' | 'string?' | 'number?'>;

const MAX_STRING = 4096;

/** Checks an object has exactly the given fields with the given primitive types, and nothing else. */
function shape<P>(fields: Shape): Validator<P> {
  return (params) => {
    if (typeof params !== 'object' || params === null || Array.isArray(params)) return err('params must be an object');
    const record = params as Record<string, unknown>;
    for (const key of Object.keys(record)) if (!(key in fields)) return err(`unexpected field "${key}"`);
    for (const [key, type] of Object.entries(fields)) {
      const value = record[key];
      const optional = type.endsWith('?');
      if (value === undefined) {
        if (optional) continue;
        return err(`missing field "${key}"`);
      }
      const base = optional ? type.slice(0, -1) : type;
      if (typeof value !== base) return err(`field "${key}" must be a ${base}`);
      if (base === 'string' && (value as string).length > MAX_STRING) return err(`field "${key}" is too long`);
      if (base === 'number' && (!Number.isInteger(value) || (value as number) < 0)) return err(`field "${key}" must be a whole number ≥ 0`);
    }
    return ok(record as P);
  };
}

/** Host-sent data is trusted by the webview except for its envelope. */
function any<P>(): Validator<P> {
  return (params) => (typeof params === 'object' && params !== null ? ok(params as P) : err('params must be an object'));
}

// ── webview → host ──────────────────────────────────────────────────────────────────────────────

export type ReadyParams = Record<string, never>;
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
export interface CardParams {
  readonly id: string;
}
export interface PageParams {
  readonly id: string;
  readonly page: number;
}
export interface DiffParams {
  readonly id: string;
  readonly address: string;
}
export interface SwapDecisionParams {
  readonly id: string;
  readonly nonce: string;
  readonly phrase: string;
}

export const ReadyCommand = new IpcCommand<ReadyParams>('panel/ready', shape({}));
export const ApproveCommand = new IpcCommand<ApproveParams>('request/approve', shape({ id: 'string', nonce: 'string', planHash: 'string', phrase: 'string' }));
export const DenyCommand = new IpcCommand<DenyParams>('request/deny', shape({ id: 'string', nonce: 'string' }));
export const CancelPreviewCommand = new IpcCommand<CardParams>('preview/cancel', shape({ id: 'string' }));
export const RetryPreviewCommand = new IpcCommand<CardParams>('preview/retry', shape({ id: 'string' }));
export const PageCommand = new IpcCommand<PageParams>('plan/page', shape({ id: 'string', page: 'number' }));
export const DiffCommand = new IpcCommand<DiffParams>('plan/diff', shape({ id: 'string', address: 'string' }));
/** Keep the new state file and lift the hold on terraform commands in its directory. */
export const AcceptSwapCommand = new IpcCommand<SwapDecisionParams>('swap/accept', shape({ id: 'string', nonce: 'string', phrase: 'string' }));
/** Put the stored previous state back, keeping the current file aside. */
export const RestoreSwapCommand = new IpcCommand<SwapDecisionParams>('swap/restore', shape({ id: 'string', nonce: 'string', phrase: 'string' }));

export const COMMANDS = [ReadyCommand, ApproveCommand, DenyCommand, CancelPreviewCommand, RetryPreviewCommand, PageCommand, DiffCommand, AcceptSwapCommand, RestoreSwapCommand] as const;

// ── host → webview ──────────────────────────────────────────────────────────────────────────────

export interface PageResultParams {
  readonly id: string;
  readonly planHash: string;
  readonly page: ChangePage;
}
export interface DiffResultParams {
  readonly id: string;
  readonly planHash: string;
  readonly diff: ResourceDiff;
}
/** A command the host refused or could not carry out, shown on its card. */
export interface RefusedParams {
  readonly id: string;
  readonly message: string;
}

export const StateNotification = new IpcNotification<PanelState>('panel/state', any());
export const PageResultNotification = new IpcNotification<PageResultParams>('plan/pageResult', any());
export const DiffResultNotification = new IpcNotification<DiffResultParams>('plan/diffResult', any());
export const RefusedNotification = new IpcNotification<RefusedParams>('panel/refused', any());

/** The first check on anything arriving from the other side: an IPC envelope or nothing. */
export function readEnvelope(data: unknown): IpcMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { id, method, params } = data as Record<string, unknown>;
  if (typeof id !== 'string' || typeof method !== 'string' || id.length > 64 || method.length > 64) return undefined;
  return { id, method, params: params ?? {} };
}
