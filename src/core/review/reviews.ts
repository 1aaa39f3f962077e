/**
 * What the review panel shows and what it may do, decided on the host side: one entry per paused
 * request (its nonce, its plan preview) and per unreviewed state swap. It builds the cards the panel
 * renders and re-checks every approve, deny and swap decision the panel sends. Pure: the controller
 * feeds it the gate's pending requests and preview outcomes, and acts on what it allows.
 */
import { redactCommand, redactText } from '../audit/redact';
import { isBuiltin } from '../builtinFindings';
import { err, ok, type Result } from '../result';
import { toolName } from '../engine/invocation';
import { RETRY_GRANT_MS } from '../gate/grants';
import type { PendingRequest, SavedPlan } from '../gate/types';
import type { Finding } from '../verdict';
import type { PlanAnalysis, StateComparison, StateSummary } from '../terraform/types';
import type { StateLocation } from '../terraform/backendConfig';
import type { RemoteCheck } from '../terraform/remoteCheck';
import { backUpOffered, backupLines, EMPTY_BOARD, type BackupBoard } from '../backup/dataResources';
import type {
  ApproveParams,
  BackUpParams,
  BackendCheckView,
  Card,
  ChangePage,
  ConfirmationView,
  DenyParams,
  PlanRunView,
  PreviewView,
  RequestCard,
  SwapCard,
  StateSideView,
  SwapDecisionParams,
} from './protocol';

export interface ReviewSettings {
  /** More deletes (and replaces) than this in one plan asks for the typed phrase. */
  readonly deleteThreshold: number;
  /** Changes per page in the panel. */
  readonly pageSize: number;
  /** The person's home folder: folders under it are shown from `~`, as a shell prompt shows them. */
  readonly home?: string;
}

export const DEFAULT_REVIEW_SETTINGS: ReviewSettings = { deleteThreshold: 10, pageSize: 50 };

/** `/home/ana/infra` → `~/infra` when `home` is /home/ana; other folders as they are. */
export function fromHome(folder: string, home: string | undefined): string {
  if (!home || home === '/') return folder;
  const base = home.replace(/\/+$/, '');
  return folder === base ? '~' : folder.startsWith(`${base}/`) ? `~${folder.slice(base.length)}` : folder;
}

/** A preview as the host knows it: the card's view, except that `ready` keeps the whole analysis for paging. */
export type PreviewState =
  | Exclude<PreviewView, { kind: 'ready' }>
  | { readonly kind: 'ready'; readonly planHash: string; readonly analysis: PlanAnalysis; readonly run: PlanRunView; readonly savedPlan?: SavedPlan };

export interface SwapReview {
  readonly id: string;
  /** The state file's absolute path. */
  readonly path: string;
  /** How the panel names it (workspace-relative when inside the workspace). */
  readonly label: string;
  readonly detectedAt: number;
  readonly comparison: StateComparison;
  readonly canRestore: boolean;
}

/** Whether a paused command reads or writes the state file at `path` (the state guard knows). */
export type TouchesState = (pending: PendingRequest, path: string) => boolean;

/** The check of a state-writing command's folder against its backend, as the host knows it. */
export type BackendState =
  | { readonly kind: 'none' }
  | { readonly kind: 'running'; readonly startedAt: number; readonly step: string }
  | { readonly kind: 'done'; readonly check: RemoteCheck; readonly localLabel: string }
  /** The check itself failed: the card says the backend was not checked, and why. */
  | { readonly kind: 'failed'; readonly message: string };

interface RequestEntry {
  /** The gate's latest view of it (a request whose requester left is marked so). */
  pending: PendingRequest;
  readonly nonce: string;
  preview: PreviewState;
  backend: BackendState;
  backup: BackupBoard;
}

interface SwapEntry {
  readonly swap: SwapReview;
  readonly nonce: string;
}

/** Longest list a card carries; the panel pages or counts the rest. */
const LIST_LIMIT = 200;

export class Reviews {
  private readonly requests = new Map<string, RequestEntry>();
  private readonly swaps = new Map<string, SwapEntry>();

  constructor(
    private readonly newNonce: () => string,
    private readonly settings: () => ReviewSettings = () => DEFAULT_REVIEW_SETTINGS,
    private readonly touchesState: TouchesState = () => false,
  ) {}

  /** Follows the gate's pending set: new requests get an entry (and a nonce), settled ones go. Returns the new ones. */
  sync(pending: readonly PendingRequest[]): PendingRequest[] {
    const ids = new Set(pending.map((p) => p.id));
    for (const id of this.requests.keys()) if (!ids.has(id)) this.requests.delete(id);
    const added: PendingRequest[] = [];
    for (const p of pending) {
      const known = this.requests.get(p.id);
      if (known) {
        known.pending = p;
        continue;
      }
      this.requests.set(p.id, { pending: p, nonce: this.newNonce(), preview: { kind: 'none' }, backend: { kind: 'none' }, backup: EMPTY_BOARD });
      added.push(p);
    }
    return added;
  }

  /** Returns false when the request is no longer pending (its preview result is dropped). */
  setPreview(id: string, preview: PreviewState): boolean {
    const entry = this.requests.get(id);
    if (!entry) return false;
    entry.preview = preview;
    return true;
  }

  /** Returns false when the request is no longer pending. */
  setBackendCheck(id: string, backend: BackendState): boolean {
    const entry = this.requests.get(id);
    if (!entry) return false;
    entry.backend = backend;
    return true;
  }

  /** Returns false when the request is no longer pending. */
  setBackup(id: string, backup: BackupBoard): boolean {
    const entry = this.requests.get(id);
    if (!entry) return false;
    entry.backup = backup;
    return true;
  }

  /** The data in the request's blast radius and its backups; undefined once it is no longer pending. */
  backupBoard(id: string): BackupBoard | undefined {
    return this.requests.get(id)?.backup;
  }

  /** The analysis its card shows, once its plan preview is ready. */
  plan(id: string): { readonly planHash: string; readonly analysis: PlanAnalysis } | undefined {
    const preview = this.requests.get(id)?.preview;
    return preview?.kind === 'ready' ? preview : undefined;
  }

  pendingRequest(id: string): PendingRequest | undefined {
    return this.requests.get(id)?.pending;
  }

  /** What the request's plan preview is at (none for a command without one, or an unknown id). */
  previewKind(id: string): PreviewState['kind'] {
    return this.requests.get(id)?.preview.kind ?? 'none';
  }

  /** The saved plan its card shows, which its approval runs; undefined when the line plans again (or has no plan). */
  savedPlan(id: string): SavedPlan | undefined {
    const preview = this.requests.get(id)?.preview;
    return preview?.kind === 'ready' ? preview.savedPlan : undefined;
  }

  /** The resource addresses the request's plan preview deletes, replaces or forgets; none until a plan is ready. */
  plannedDeletes(id: string): string[] {
    const preview = this.requests.get(id)?.preview;
    if (preview?.kind !== 'ready') return [];
    return preview.analysis.changes.filter((c) => c.action === 'delete' || c.action === 'replace' || c.action === 'forget').map((c) => c.address);
  }

  addSwap(swap: SwapReview): void {
    this.swaps.set(swap.id, { swap, nonce: this.newNonce() });
  }

  removeSwap(id: string): void {
    this.swaps.delete(id);
  }

  /** Every card, newest first. */
  cards(dryRun: (p: PendingRequest) => boolean): Card[] {
    const requests = [...this.requests.values()].map((e) => this.requestCard(e, dryRun(e.pending)));
    const swaps = [...this.swaps.values()].map((e) => swapCard(e));
    return [...requests, ...swaps].sort((a, b) => createdAt(b) - createdAt(a));
  }

  page(id: string, index: number): Result<{ planHash: string; page: ChangePage }> {
    const preview = this.requests.get(id)?.preview;
    if (preview?.kind !== 'ready') return err('This request has no plan to page through.');
    return ok({ planHash: preview.planHash, page: pageOf(preview.analysis, index, this.settings().pageSize) });
  }

  /**
   * An approve counts only for a pending request, with the nonce issued for its card, the plan hash
   * the person was shown (the plan now on record), and the phrase when one is asked.
   */
  checkApprove(params: ApproveParams): Result<PendingRequest> {
    const entry = this.requests.get(params.id);
    if (!entry) return err('This request is no longer waiting.');
    if (params.nonce !== entry.nonce) return err('This approval did not come from the card that was shown; nothing was approved.');
    const swap = this.blockingSwap(entry.pending);
    if (swap) return err(blockedBySwap(swap));
    const preview = entry.preview;
    if (preview.kind === 'running') return err('The plan preview is still running: wait for it, or cancel it and approve without it.');
    if (entry.backend.kind === 'running') return err('The state is still being compared with its backend: wait for it.');
    if (entry.backup.running) return err('Back up first is still running: wait for it to finish, or cancel it.');
    const planHash = preview.kind === 'ready' ? preview.planHash : '';
    if (params.planHash !== planHash) return err('The plan changed since it was shown; review it again.');
    const confirmation = this.confirmation(entry);
    if (confirmation && params.phrase !== confirmation.phrase) return err(`Type ${confirmation.phrase} to approve.`);
    return ok(entry.pending);
  }

  checkDeny(params: DenyParams): Result<PendingRequest> {
    return this.checkCard(params, 'This denial did not come from the card that was shown.');
  }

  /** Back up first counts for a pending request's card, when it offers it. */
  checkBackUp(params: BackUpParams): Result<PendingRequest> {
    const check = this.checkCard(params, 'This backup was not asked for from the card that was shown.');
    if (!check.ok) return check;
    return backUpOffered(this.requests.get(params.id)!.backup) ? check : err('Nothing here is waiting to be backed up.');
  }

  private checkCard(params: DenyParams, wrongNonce: string): Result<PendingRequest> {
    const entry = this.requests.get(params.id);
    if (!entry) return err('This request is no longer waiting.');
    if (params.nonce !== entry.nonce) return err(wrongNonce);
    return ok(entry.pending);
  }

  /** Accepting a swapped state takes the phrase; restoring the previous one (the safe way back) does not. */
  checkSwap(params: SwapDecisionParams, decision: 'accept' | 'restore'): Result<SwapReview> {
    const entry = this.swaps.get(params.id);
    if (!entry) return err('This state swap is no longer waiting for review.');
    if (params.nonce !== entry.nonce) return err('This decision did not come from the card that was shown.');
    if (decision === 'restore' && !entry.swap.canRestore) return err('No stored copy of the previous state to restore.');
    if (decision === 'accept' && params.phrase !== swapConfirmation(entry.swap).phrase) {
      return err(`Type ${swapConfirmation(entry.swap).phrase} to accept the new state.`);
    }
    return ok(entry.swap);
  }

  /** An undecided swap of a state this command reads or writes: nothing there may be approved until the person decides it. */
  private blockingSwap(pending: PendingRequest): SwapReview | undefined {
    return [...this.swaps.values()].find(({ swap }) => this.touchesState(pending, swap.path))?.swap;
  }

  private requestCard(entry: RequestEntry, dryRun: boolean): RequestCard {
    const { pending, nonce, preview } = entry;
    const { request, verdict } = pending;
    const confirmation = this.confirmation(entry);
    const swap = this.blockingSwap(pending);
    const backend = backendView(entry.backend, this.settings().home);
    const severity = backend?.kind === 'done' && backend.status === 'conflict' ? 'critical' : verdict.severity;
    return {
      kind: 'request',
      id: pending.id,
      nonce,
      // Shown, never echoed back: a token on the line stays off the screen (the approval is bound to the request, not to this text).
      command: redactCommand(request.command).text,
      ...(request.cwd !== undefined ? { cwd: fromHome(request.cwd, this.settings().home) } : {}),
      ...(request.terminal !== undefined ? { terminal: request.terminal } : {}),
      ...(request.agent !== undefined ? { agent: request.agent } : {}),
      source: request.source,
      ...(request.launchedBy !== undefined ? { launchedBy: redactCommand(request.launchedBy).text } : {}),
      createdAt: pending.createdAt,
      ...(pending.requesterGoneAt !== undefined ? { requesterGoneAt: pending.requesterGoneAt, retryMinutes: RETRY_GRANT_MS / 60_000 } : {}),
      ...(severity !== undefined ? { severity } : {}),
      findings: verdict.findings.map(findingView),
      preview: this.previewView(preview),
      ...(confirmation ? { confirmation } : {}),
      ...(swap ? { blockedBy: blockedBySwap(swap) } : {}),
      ...(backend ? { backend } : {}),
      ...(entry.backup.resources.length > 0 ? { backup: { offered: backUpOffered(entry.backup), running: entry.backup.running, lines: backupLines(entry.backup) } } : {}),
      dryRun,
    };
  }

  private previewView(preview: PreviewState): PreviewView {
    if (preview.kind !== 'ready') return preview;
    const { analysis, planHash, run } = preview;
    return {
      kind: 'ready',
      planHash,
      run,
      plan: {
        headline: analysis.headline,
        total: analysis.total,
        counts: analysis.counts,
        // The lists can be as long as the plan; the headline and counts carry the totals.
        critical: analysis.critical.slice(0, LIST_LIMIT),
        backupsLost: analysis.backupsLost.slice(0, LIST_LIMIT),
        production: analysis.production,
        driftCount: analysis.drift.length,
        page: pageOf(analysis, 0, this.settings().pageSize),
      },
    };
  }

  /** When a request is critical, the phrase to type and why; undefined when a click is enough. */
  private confirmation(entry: RequestEntry): ConfirmationView | undefined {
    const { verdict } = entry.pending;
    const preview = entry.preview;
    const reasons: string[] = [];
    let destroyed: number | undefined;
    if (preview.kind === 'ready') {
      const { analysis } = preview;
      destroyed = analysis.counts.delete + analysis.counts.replace;
      if (analysis.critical.length > 0) reasons.push(`destroys critical resources: ${describeCritical(analysis)}`);
      if (analysis.backupsLost.length > 0) reasons.push(`loses ${analysis.backupsLost.length} backup${plural(analysis.backupsLost.length)}`);
      if (destroyed > this.settings().deleteThreshold) reasons.push(`destroys ${destroyed} resources (more than ${this.settings().deleteThreshold})`);
      if (analysis.production.length > 0) reasons.push(`production in the plan: ${analysis.production.join(', ')}`);
      // What runs is a new plan, not this one: the line runs only after the phrase, whatever this preview shows.
      if (preview.run.kind === 'replans') reasons.push('the line plans again when it runs, so what it does may differ from this preview');
    } else if (preview.kind === 'failed') {
      reasons.push('the plan preview failed, so what this destroys is unknown');
    }
    const production = verdict.findings.find((f) => f.production !== undefined)?.production;
    if (production !== undefined) reasons.push(`production context: ${production}`);
    if (verdict.findings.some((f) => isBuiltin(f, 'state.swap-unreviewed'))) reasons.push('a state file here was swapped');
    const backend = backendView(entry.backend, this.settings().home);
    if (backend?.kind === 'done' && backend.status !== 'consistent') {
      const [first] = backend.reasons;
      reasons.push(backend.status === 'conflict' ? `the state here and its backend's disagree: ${first}` : `the backend's state was not checked: ${first}`);
    }
    if (verdict.severity === 'critical') reasons.push('critical severity');
    if (reasons.length === 0) return undefined;
    return { phrase: phraseFor(destroyed, production, verdict.findings), reasons: [...new Set(reasons)] };
  }
}

/**
 * The phrase makes the person read something from this request: the number of resources it
 * destroys when the plan is known, otherwise the production name, otherwise the command's verb.
 */
function phraseFor(destroyed: number | undefined, production: string | undefined, findings: readonly Finding[]): string {
  if (destroyed !== undefined && destroyed > 0) return String(destroyed);
  if (production !== undefined && production.length <= 32 && !/\s/.test(production)) return production;
  const invocation = findings.find((f) => f.invocation)?.invocation;
  return invocation ? [toolName(invocation.argv[0]), invocation.verb].filter(Boolean).join(' ') : 'approve';
}

function swapConfirmation(swap: SwapReview): ConfirmationView {
  // The new lineage's first block: it names the state being accepted.
  return { phrase: swap.comparison.new.lineage.split('-')[0] || 'accept', reasons: swap.comparison.reasons };
}

function swapCard({ swap, nonce }: SwapEntry): SwapCard {
  const c = swap.comparison;
  return {
    kind: 'swap',
    id: swap.id,
    nonce,
    path: swap.label,
    detectedAt: swap.detectedAt,
    largeChange: c.largeChange ?? false,
    reasons: c.reasons,
    old: c.old,
    new: c.new,
    added: c.added.slice(0, LIST_LIMIT),
    removed: c.removed.slice(0, LIST_LIMIT),
    addedCount: c.added.length,
    removedCount: c.removed.length,
    differentObjects: (c.differentObjects ?? []).slice(0, LIST_LIMIT),
    differentObjectsCount: c.differentObjects?.length ?? 0,
    canRestore: swap.canRestore,
    confirmation: swapConfirmation(swap),
  };
}

function pageOf(analysis: PlanAnalysis, index: number, size: number): ChangePage {
  const last = Math.max(0, Math.ceil(analysis.changes.length / size) - 1);
  const i = Math.min(Math.max(0, index), last);
  return { index: i, size, total: analysis.changes.length, items: analysis.changes.slice(i * size, (i + 1) * size) };
}

function describeCritical(analysis: PlanAnalysis): string {
  const byCategory = new Map<string, number>();
  for (const c of analysis.critical) byCategory.set(c.category, (byCategory.get(c.category) ?? 0) + 1);
  return [...byCategory].map(([category, n]) => `${category} ×${n}`).join(', ');
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}

function createdAt(card: Card): number {
  return card.kind === 'request' ? card.createdAt : card.detectedAt;
}

function findingView(f: Finding): RequestCard['findings'][number] {
  // A finding may quote the line or an earlier denied one: secrets masked as on the command itself.
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    title: redactText(f.title).text,
    why: redactText(f.why).text,
    saferAlternative: f.saferAlternative,
    command: redactCommand(f.command).text,
    ...(f.detail !== undefined ? { detail: redactText(f.detail).text } : {}),
  };
}

/** `home`: the local state file is shown as its label, from `~` when it lies under it, in the reasons too. */
function backendView(state: BackendState, home: string | undefined): BackendCheckView | undefined {
  if (state.kind === 'none') return undefined;
  if (state.kind === 'running') return state;
  if (state.kind === 'failed') {
    const none = { onlyLocal: [], onlyBackend: [], onlyLocalCount: 0, onlyBackendCount: 0, differentObjects: [], differentObjectsCount: 0 };
    return { kind: 'done', status: 'unchecked', reasons: [state.message], where: 'unknown', localPath: '', ...none };
  }
  const { check } = state;
  const compared = check.localAgainstBackend;
  const localPath = fromHome(state.localLabel, home);
  return {
    kind: 'done',
    status: check.status,
    reasons: check.reasons.map((reason) => reason.replaceAll(check.localFile.path, localPath)),
    where: describeLocation(check.location),
    localPath,
    ...(check.localFile.read.kind === 'state' ? { local: sideView(check.localFile.read.state) } : {}),
    ...(check.backend.kind === 'state' ? { backend: sideView(check.backend.state) } : {}),
    onlyLocal: (compared?.added ?? []).slice(0, LIST_LIMIT),
    onlyBackend: (compared?.removed ?? []).slice(0, LIST_LIMIT),
    onlyLocalCount: compared?.added.length ?? 0,
    onlyBackendCount: compared?.removed.length ?? 0,
    differentObjects: (compared?.differentObjects ?? []).slice(0, LIST_LIMIT),
    differentObjectsCount: compared?.differentObjects?.length ?? 0,
  };
}

function sideView(summary: StateSummary): StateSideView {
  return { lineage: summary.lineage, serial: summary.serial, resourceCount: summary.resourceCount, ...(summary.terraformVersion !== undefined ? { terraformVersion: summary.terraformVersion } : {}) };
}

function describeLocation(location: StateLocation): string {
  switch (location.kind) {
    case 'local-here':
      return 'the local file in this folder';
    case 'local-elsewhere':
      return `a local file at ${location.statePath}`;
    case 'remote':
      return `the ${location.backendType} backend`;
    case 'unknown':
      return `unknown (${location.reason})`;
  }
}

function blockedBySwap(swap: SwapReview): string {
  return `Decide the state swap of ${swap.label} first (its card is in this panel): this command reads or writes that state, and nothing that does can be approved while the swap is undecided.`;
}
