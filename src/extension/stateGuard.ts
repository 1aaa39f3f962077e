import { randomBytes } from 'node:crypto';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import * as vscode from 'vscode';
import { statePack } from '../core/rules/packs/state';
import { TERRAFORM_TOOLS } from '../core/rules/packs/terraform';
import type { DirectoryHold } from '../core/engine/context';
import { toolName } from '../core/engine/invocation';
import type { Gate, PendingRequest } from '../core/gate/types';
import { Emitter } from '../core/emitter';
import { DisposableStore } from '../core/lifecycle';
import type { SwapReview } from '../core/review/reviews';
import { ApprovedWrites } from '../node/terraform/approvedWrites';
import type { Result } from '../core/result';
import { findStateFiles, StateStore, type CheckResult, type TrackError } from '../node/terraform/stateStore';
import { SHOW_REVIEW_COMMAND } from './ids';
import type { SwapActions } from './review/reviewController';
import type { StateEntry } from '../core/audit/record';
import type { StateSummary } from '../core/terraform/types';
import { comparedSides } from '../core/audit/stateSides';

/** A state-guard event for the audit trail (its `kind` is added by the auditor). */
export type StateGuardRecord = Omit<StateEntry, 'kind'>;

export interface StateGuardOptions {
  /** The extension's storage folder: the store keeps its copies there. */
  readonly storageDir: string;
  /** The workspace folder whose `*.tfstate` files are guarded. */
  readonly root: string;
  readonly log: (message: string) => void;
}

/** Terraform rewrites a state in place; a change is read once the writes have settled. */
const SETTLE_MS = 400;

/**
 * Baselines every state file in the workspace and watches them. A normal write moves the baseline;
 * a swap (another lineage, a lower serial) or a large change (a jump in resources) raises a card, a notification and
 * the status bar, and holds terraform commands in that directory until the person accepts the new
 * state or restores the previous one. Approved state writes are snapshotted first.
 */
export class StateGuard implements SwapActions, vscode.Disposable {
  private readonly store: StateStore;
  private readonly pendingSwaps = new Map<string, { review: SwapReview; hash: string }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Which changes are an approved command's own writes: those seen while it runs. */
  private readonly approvedWrites = new ApprovedWrites();
  /** When the watcher last saw each state file change: the time a write is judged at. */
  private readonly seenAt = new Map<string, number>();
  /** The state files each approved command was snapshotted for, by request id, until its line ends. */
  private readonly approvedPaths = new Map<string, readonly string[]>();
  private readonly disposables = new DisposableStore();
  private readonly swapFound = this.disposables.add(new Emitter<SwapReview>());
  private readonly stateChange = this.disposables.add(new Emitter<string>());
  private readonly recordMade = this.disposables.add(new Emitter<StateGuardRecord>());

  constructor(private readonly options: StateGuardOptions) {
    this.store = new StateStore(options.storageDir);
  }

  /** Baselines what is there now and reports swaps made while VS Code was closed. */
  async start(): Promise<void> {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.tfstate');
    const changed = (uri: vscode.Uri): void => this.changed(uri.fsPath);
    for (const d of [watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed)]) this.disposables.add(d);
    const { files, truncated } = await findStateFiles(this.options.root);
    if (truncated) this.options.log(`state guard: only the first ${files.length} state files in the workspace are tracked`);
    const results = await this.store.trackAll(files);
    for (const [i, result] of results.entries()) await this.handle(files[i], result);
  }

  readonly onSwap = this.swapFound.event;

  /**
   * Any change to a tracked state's content, seen by the watcher or made by a restore or an accept:
   * a plan previewed before it no longer shows what would run.
   */
  readonly onDidChangeState = this.stateChange.event;

  /** What the guard saw that belongs in the audit trail: swaps found, and changes taken as an approved command's writes. */
  readonly onDidRecord = this.recordMade.event;

  /** Whether a paused command reads or writes the state file at `path` (it names it, or runs terraform in its folder). */
  affects(pending: PendingRequest, path: string): boolean {
    const { named, dirs } = this.statePaths(pending);
    return named.has(path) || dirs.has(dirname(path));
  }

  /** The state last recorded for a state file, when the guard tracks it. */
  async recorded(path: string): Promise<StateSummary | undefined> {
    return (await this.store.describe(path))?.baseline.summary;
  }

  /** Directories whose terraform commands wait: the engine adds a critical finding for them. */
  holds(): DirectoryHold[] {
    return [...this.pendingSwaps.values()].map(({ review }) => ({ dir: dirname(review.path), reason: `${review.label}: ${review.comparison.reasons[0] ?? 'swapped'}` }));
  }

  /** Swaps waiting for the person, oldest first. */
  swaps(): SwapReview[] {
    return [...this.pendingSwaps.values()].map((s) => s.review);
  }

  /** Baselines (if new) and checks one state file now. */
  async track(path: string): Promise<void> {
    await this.handle(path, await this.store.track(path));
  }

  async accept(swap: SwapReview): Promise<void> {
    const entry = this.pendingSwaps.get(swap.path);
    const result = await this.store.accept(swap.path, entry?.hash);
    if (!result.ok) throw new Error(result.error.message);
    this.pendingSwaps.delete(swap.path);
    this.stateChanged(swap.path);
  }

  async restore(swap: SwapReview): Promise<string> {
    const result = await this.store.restore(swap.path);
    if (!result.ok) throw new Error(result.error.message);
    this.pendingSwaps.delete(swap.path);
    this.stateChanged(swap.path);
    return result.value.keptAside ?? '(nothing was there to keep)';
  }

  /** A paused command that names state files (`-state=prod.tfstate`): those are guarded from now on too. */
  async notice(pending: PendingRequest): Promise<void> {
    for (const path of this.statePaths(pending).named) await this.track(path);
  }

  /** Learns from the gate when approved commands run, what runs on their grants, and when a guarded terminal's line ends. */
  follow(gate: Pick<Gate, 'onDidSubmit' | 'onDidEndLine'>): void {
    this.disposables.add(gate.onDidSubmit((event) => this.approvedWrites.submitted(event)));
    this.disposables.add(gate.onDidEndLine((id) => this.lineEnded(id)));
    this.disposables.add(this.approvedWrites);
  }

  /**
   * Before an approved command runs: copy the state files it may write (those it names, and every
   * tracked state in its directory when it is a terraform command or flagged as a state write).
   */
  async snapshotBefore(pending: PendingRequest): Promise<void> {
    const { named, dirs } = this.statePaths(pending);
    const paths = new Set(named);
    for (const dir of dirs) {
      for (const file of (await findStateFiles(dir, { maxDepth: 2 })).files) paths.add(file);
    }
    for (const path of paths) {
      const stored = await this.store.snapshot(path);
      // A file that does not exist yet has nothing to lose; any other failure stops the approval.
      if (!stored.ok && stored.error.code !== 'missing') throw new Error(`${path}: ${stored.error.message}`);
      if (stored.ok) this.options.log(`state guard: snapshot of ${path} before an approved command`);
    }
    this.approvedWrites.approved(pending, [...named, ...dirs]);
    // Only a guarded terminal's line tells when it ends (a shim's or hook's exec is followed by its process).
    if (pending.request.source === 'guarded-terminal') this.approvedPaths.set(pending.id, [...paths]);
  }

  /**
   * An approved guarded-terminal line ended: its state files are read at once, at the end, so its own
   * writes count as its own however late the watcher reports them (on a loaded machine it lagged past
   * WATCHER_DELAY_MS). Anything written after this moment is judged when the watcher sees it.
   */
  private lineEnded(id: string): void {
    const endedAt = Date.now();
    for (const path of this.approvedPaths.get(id) ?? []) {
      this.seenAt.set(path, endedAt);
      clearTimeout(this.timers.get(path));
      this.timers.delete(path);
      void this.track(path).catch((error: unknown) => this.options.log(`state guard: ${path}: ${String(error)}`));
    }
    this.approvedPaths.delete(id);
    this.approvedWrites.lineEnded(id);
  }

  /** State files a request names, and the directories where it runs terraform or writes a state. */
  private statePaths(pending: PendingRequest): { named: Set<string>; dirs: Set<string> } {
    const cwd = pending.request.cwd ?? this.options.root;
    const named = new Set<string>();
    const dirs = new Set<string>();
    for (const finding of pending.verdict.findings) {
      const invocation = finding.invocation;
      if (!invocation) continue;
      const dir = resolve(cwd, invocation.cwd ?? '.');
      for (const arg of invocation.argv.slice(1)) {
        const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : arg;
        if (value.endsWith('.tfstate')) named.add(resolve(dir, value));
      }
      if (TERRAFORM_TOOLS.includes(toolName(invocation.argv[0] ?? '')) || finding.ruleId.startsWith(`${statePack.id}.`)) dirs.add(dir);
    }
    return { named, dirs };
  }

  dispose(): void {
    this.disposables.dispose();
    for (const t of this.timers.values()) clearTimeout(t);
  }

  private record(event: StateGuardRecord): void {
    this.recordMade.fire(event);
  }

  private stateChanged(path: string): void {
    this.stateChange.fire(path);
  }

  private changed(path: string): void {
    this.seenAt.set(path, Date.now());
    clearTimeout(this.timers.get(path));
    this.timers.set(
      path,
      setTimeout(() => {
        this.timers.delete(path);
        void this.track(path).catch((error: unknown) => this.options.log(`state guard: ${path}: ${String(error)}`));
      }, SETTLE_MS),
    );
  }

  private async handle(path: string, tracked: Result<CheckResult, TrackError>): Promise<void> {
    // A change read without the watcher (at start, or a named file outside the workspace) is judged as seen now.
    const seenAt = this.seenAt.get(path) ?? Date.now();
    this.seenAt.delete(path);
    if (!tracked.ok) {
      this.options.log(`state guard: cannot track ${path}: ${tracked.error.message}`);
      return;
    }
    const result = tracked.value;
    if (result.status !== 'unchanged' && result.status !== 'untracked') this.stateChanged(path);
    switch (result.status) {
      case 'advanced':
        this.options.log(`state guard: ${this.label(path)} advanced to serial ${result.comparison.new.serial}`);
        return;
      case 'deleted':
        this.options.log(`state guard: ${this.label(path)} was deleted`);
        void this.warnDeleted(path, result.canRestore);
        return;
      case 'unreadable':
        this.options.log(`state guard: ${this.label(path)} is unreadable: ${result.problem.message}`);
        return;
      case 'swap':
        if (this.expected(path, result.comparison, seenAt)) {
          // An approved command was running here when it changed: a destroy or large apply jumps the count.
          await this.store.accept(path, result.hash);
          this.options.log(`state guard: ${this.label(path)} changed by an approved command (${result.comparison.reasons.join('; ')})`);
          this.record({ id: result.hash, event: 'approved-write', path, ...comparedSides(result.comparison) });
          return;
        }
        this.raise(path, result.comparison, result.hash, result.canRestore);
        return;
      default:
        return;
    }
  }

  /**
   * Whether a held change is an approved command's write: it was seen while a command that may
   * write there was running. Another lineage is never a write, whoever runs: it is another state.
   */
  private expected(path: string, comparison: SwapReview['comparison'], seenAt: number): boolean {
    return comparison.old.lineage === comparison.new.lineage && this.approvedWrites.covers(path, seenAt);
  }

  private raise(path: string, comparison: SwapReview['comparison'], hash: string, canRestore: boolean): void {
    const existing = this.pendingSwaps.get(path);
    const review: SwapReview = {
      id: existing?.review.id ?? randomBytes(8).toString('hex'),
      path,
      label: this.label(path),
      detectedAt: Date.now(),
      comparison,
      canRestore,
    };
    this.pendingSwaps.set(path, { review, hash });
    const what = comparison.largeChange ? 'changed a lot in one write' : 'was swapped';
    this.options.log(`state guard: ${comparison.largeChange ? 'LARGE CHANGE' : 'SWAP'} ${review.label}: ${comparison.reasons.join('; ')}`);
    this.record({ id: review.id, event: 'swap-found', path, ...comparedSides(comparison) });
    this.swapFound.fire(review);
    void vscode.window
      .showWarningMessage(`Countersign: ${review.label} ${what} (${comparison.reasons[0] ?? 'unexpected change'}). Terraform commands there are paused until you review it.`, 'Review')
      .then((choice) => choice && vscode.commands.executeCommand(SHOW_REVIEW_COMMAND));
  }

  private async warnDeleted(path: string, canRestore: boolean): Promise<void> {
    const choice = await vscode.window.showWarningMessage(`Countersign: ${this.label(path)} was deleted.`, ...(canRestore ? ['Restore previous state'] : []));
    if (choice !== 'Restore previous state') return;
    const result = await this.store.restore(path);
    if (result.ok) void vscode.window.showInformationMessage(`Countersign restored ${this.label(path)} from its stored copy (${result.value.hash.slice(0, 12)}).`);
    else void vscode.window.showErrorMessage(`Countersign could not restore ${this.label(path)}: ${result.error.message}`);
  }

  private label(path: string): string {
    const rel = relative(this.options.root, path);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
  }
}
