import * as vscode from 'vscode';
import { redactCommand } from '../../core/audit/redact';
import type { GateAuditor } from '../../core/audit/gateAuditor';
import { comparedSides } from '../../core/audit/stateSides';
import { errorMessage } from '../../core/errorMessage';
import { Disposable, toDisposable, type IDisposable } from '../../core/lifecycle';
import type { Gate, PendingRequest, SavedPlanCheck } from '../../core/gate/types';
import {
  AcceptSwapRequest,
  ApproveRequest,
  BackUpFirstRequest,
  CancelBackupCommand,
  CancelPreviewCommand,
  DenyRequest,
  DiffRequest,
  PageRequest,
  ReadyCommand,
  RestoreSwapRequest,
  RetryPreviewCommand,
  type ApproveParams,
  type Card,
  type DenyParams,
  type Done,
  type IpcMessage,
  type IpcRequest,
  type PanelState,
  type SwapDecisionParams,
} from '../../core/review/protocol';
import { err, ok, type Result } from '../../core/result';
import type { Reviews, SwapReview } from '../../core/review/reviews';
import type { PlanPreviewer } from '../../node/terraform/planPreviewer';
import type { BackUpFirst } from './backUpFirst';
import type { BackendChecker } from '../../node/terraform/backendChecker';
import type { SavedPlans } from '../../node/terraform/savedPlans';
import { TERMINAL_GRANT_MS } from '../../core/gate/grants';

const PLAN_NO_LONGER_SHOWN: Readonly<Record<Exclude<SavedPlanCheck, 'intact'>, string>> = {
  altered: 'the saved plan this card showed was altered or removed since',
  stale: 'the state this plan was made against changed since',
};

/** What the controller needs from the panel: render, hear what the person asks, and answer it. */
export interface PanelHost {
  show(state: PanelState, reveal: boolean): void;
  /** Each command or request from the panel, already validated (readPanelMessage). */
  readonly onDidReceiveCommand: (listener: (message: IpcMessage) => void) => IDisposable;
  respond<R>(request: IpcRequest<unknown, R>, id: string, reply: Result<R>): void;
}

/** What the state guard does for the panel's swap cards and before approved state writes. */
export interface SwapActions {
  accept(swap: SwapReview): Promise<void>;
  /** Returns where the swapped-in file was kept. */
  restore(swap: SwapReview): Promise<string>;
  /** Copies the state files an approved command may overwrite; throws when it cannot. */
  snapshotBefore(pending: PendingRequest): Promise<void>;
  /** Starts guarding the state files a paused command names. */
  notice(pending: PendingRequest): Promise<void>;
  /** Whether a paused command reads or writes the state file at `path`. */
  affects(pending: PendingRequest, path: string): boolean;
  /** Fired on any change to a guarded state file's content. */
  onDidChangeState(listener: (path: string) => void): vscode.Disposable;
}

export interface ReviewControllerDeps {
  readonly gate: Gate;
  readonly reviews: Reviews;
  readonly panel: PanelHost;
  readonly previewer: PlanPreviewer;
  /** Compares a state-writing command's folder with its backend before it may be approved. */
  readonly backendChecker: BackendChecker;
  /** The previewed plans an approval runs: checked against the reviewed bytes, and kept while the approval's grants last. */
  readonly savedPlans: Pick<SavedPlans, 'verify' | 'keepUntil'>;
  readonly swaps: SwapActions;
  readonly dryRun: (pending: PendingRequest) => boolean;
  readonly now: () => number;
  readonly log: (message: string) => void;
  /** Fires with a folder whose terraform configuration, variables or workspace selection changed. */
  readonly onDidChangeConfiguration: (listener: (dir: string) => void) => vscode.Disposable;
  /** Told the cards whenever they change (status bar, badge). */
  readonly onDidChange: (cards: readonly Card[]) => void;
  /** What the audit record of a request needs from the review: the plan shown and how it was approved; and the swaps decided. */
  readonly audit: Pick<GateAuditor, 'notePlan' | 'noteApproval' | 'recordState'>;
  /** Back up first for the data in each card's blast radius. */
  readonly backUpFirst: Pick<BackUpFirst, 'survey' | 'planReady' | 'start' | 'cancel' | 'retain'>;
}

/**
 * Connects the gate's pending requests to the review panel: starts a plan preview for each paused
 * terraform command, keeps the cards current, and carries out what the panel asks after the review
 * book has re-checked it. Only this path (a validated request from the panel) approves.
 */
export class ReviewController extends Disposable {
  private readonly running = new Map<string, AbortController>();
  private readonly checking = new Map<string, AbortController>();

  constructor(private readonly deps: ReviewControllerDeps) {
    super();
    this._register(deps.panel.onDidReceiveCommand((message) => this.receive(message)));
    this._register(deps.gate.onDidChange(() => this.sync()));
    this._register(deps.swaps.onDidChangeState((path) => this.replan(path, (pending) => deps.swaps.affects(pending, path))));
    this._register(deps.onDidChangeConfiguration((dir) => this.replan(`the configuration in ${dir}`, (pending) => deps.previewer.planDir(pending.id) === dir)));
    // Previews and checks still running end with the controller.
    this._register(
      toDisposable(() => {
        for (const id of [...this.running.keys()]) this.stopPreview(id);
        for (const controller of this.checking.values()) controller.abort();
      }),
    );
  }

  /**
   * What a waiting command's plan was made from changed (its state: a restore, an accept, any write;
   * its configuration, variables files or workspace): the plan no longer shows what would run. The
   * preview runs again at once; until it is back Approve is off, and an approval carrying the old
   * plan's hash is refused.
   */
  private replan(what: string, touches: (pending: PendingRequest) => boolean): void {
    for (const pending of this.deps.gate.pending()) {
      if (this.deps.reviews.previewKind(pending.id) === 'none' || !touches(pending)) continue;
      this.deps.log(`panel: ${what} changed; previewing ${redactCommand(pending.request.command).text} again`);
      this.stopPreview(pending.id);
      this.startPreview(pending);
      this.startBackendCheck(pending);
    }
    this.render();
  }

  /** Re-reads the gate; new requests reveal the panel. */
  sync(): void {
    const pending = this.deps.gate.pending();
    const added = this.deps.reviews.sync(pending);
    for (const id of [...this.running.keys()]) if (!this.deps.reviews.pendingRequest(id)) this.stopPreview(id);
    for (const [id, controller] of [...this.checking]) {
      if (this.deps.reviews.pendingRequest(id)) continue;
      controller.abort();
      this.checking.delete(id);
    }
    this.deps.previewer.retain(new Set(pending.map((p) => p.id)));
    this.deps.backUpFirst.retain(new Set(pending.map((p) => p.id)));
    for (const pending of added) {
      this.startPreview(pending);
      this.startBackendCheck(pending);
      this.deps.backUpFirst.survey(pending);
      void this.deps.swaps.notice(pending).catch((error: unknown) => this.deps.log(`state guard: ${errorMessage(error)}`));
    }
    this.render(added.length > 0);
  }

  /** Shows the panel (the command and the status bar call this). */
  reveal(): void {
    this.render(true);
  }

  /** A swap card appears and the panel comes forward. */
  addSwap(swap: SwapReview): void {
    this.deps.reviews.addSwap(swap);
    this.render(true);
  }

  render(reveal = false): void {
    const cards = this.deps.reviews.cards(this.deps.dryRun);
    this.deps.onDidChange(cards);
    const state: PanelState = { cards, now: this.deps.now(), killed: this.deps.gate.killed };
    this.deps.panel.show(state, reveal);
  }

  private receive(message: IpcMessage): void {
    this.handle(message).catch((error: unknown) => this.deps.log(`review panel: ${message.method} failed: ${errorMessage(error)}`));
  }

  /** A command or request from the panel whose params already passed the protocol's validation. */
  private async handle(message: IpcMessage): Promise<void> {
    if (ReadyCommand.is(message)) this.render();
    else if (CancelPreviewCommand.is(message)) this.stopPreview(message.params.id);
    else if (RetryPreviewCommand.is(message)) {
      const pending = this.deps.reviews.pendingRequest(message.params.id);
      if (pending && !this.running.has(pending.id)) this.startPreview(pending);
      this.render();
    } else if (ApproveRequest.is(message)) await this.answer(ApproveRequest, message.id, () => this.approve(message.params));
    else if (DenyRequest.is(message)) await this.answer(DenyRequest, message.id, () => this.deny(message.params));
    else if (PageRequest.is(message)) await this.answer(PageRequest, message.id, () => this.deps.reviews.page(message.params.id, message.params.page));
    else if (DiffRequest.is(message)) await this.answer(DiffRequest, message.id, () => this.deps.previewer.diff(message.params.id, message.params.address));
    else if (AcceptSwapRequest.is(message)) await this.answer(AcceptSwapRequest, message.id, () => this.decideSwap(message.params, 'accept'));
    else if (RestoreSwapRequest.is(message)) await this.answer(RestoreSwapRequest, message.id, () => this.decideSwap(message.params, 'restore'));
    else if (BackUpFirstRequest.is(message)) await this.answer(BackUpFirstRequest, message.id, () => this.deps.backUpFirst.start(message.params));
    else if (CancelBackupCommand.is(message)) this.deps.backUpFirst.cancel(message.params.id);
  }

  /** Carries out a request and replies to it; a refusal is logged, and the cards are rendered again after it. */
  private async answer<R>(request: IpcRequest<unknown, R>, id: string, run: () => Result<R> | Promise<Result<R>>): Promise<void> {
    let reply: Result<R>;
    try {
      reply = await run();
    } catch (error) {
      reply = err(`${request.method} failed: ${errorMessage(error)}`);
    }
    if (!reply.ok) this.deps.log(`panel: ${reply.error}`);
    this.deps.panel.respond(request, id, reply);
    if (!reply.ok) this.render();
  }

  private async approve(params: ApproveParams): Promise<Result<Done>> {
    const { reviews, gate } = this.deps;
    const check = reviews.checkApprove(params);
    if (!check.ok) return check;
    // A late approval runs nothing now (it grants one retry), so there is nothing to copy for yet.
    if (check.value.requesterGoneAt === undefined) {
      try {
        await this.deps.swaps.snapshotBefore(check.value);
      } catch (error) {
        return err(`Not approved: the state file could not be copied first (${errorMessage(error)}).`);
      }
    }
    // Checked again: a swap or a new plan may have come while the copy was made.
    const recheck = reviews.checkApprove(params);
    if (!recheck.ok) return recheck;
    const savedPlan = reviews.savedPlan(check.value.id);
    const planCheck = savedPlan ? this.deps.savedPlans.verify(savedPlan) : 'intact';
    if (planCheck !== 'intact') {
      this.stopPreview(check.value.id);
      this.startPreview(check.value);
      return err(`Not approved: ${PLAN_NO_LONGER_SHOWN[planCheck]}; it is being previewed again.`);
    }
    this.deps.audit.noteApproval(check.value.id, params.phrase === '' ? 'click' : 'typed-phrase', savedPlan?.sha256);
    if (savedPlan) this.deps.savedPlans.keepUntil(savedPlan.file, this.deps.now() + TERMINAL_GRANT_MS);
    gate.approve(check.value.id, savedPlan);
    return ok({});
  }

  private deny(params: DenyParams): Result<Done> {
    const check = this.deps.reviews.checkDeny(params);
    if (!check.ok) return check;
    this.deps.gate.deny(check.value.id);
    return ok({});
  }

  private async decideSwap(params: SwapDecisionParams, decision: 'accept' | 'restore'): Promise<Result<Done>> {
    const check = this.deps.reviews.checkSwap(params, decision);
    if (!check.ok) return check;
    const swap = check.value;
    try {
      if (decision === 'accept') {
        await this.deps.swaps.accept(swap);
        this.deps.audit.recordState({ id: swap.id, event: 'accepted', path: swap.path, ...comparedSides(swap.comparison), decidedBy: 'typed-phrase' });
      } else {
        const keptAside = await this.deps.swaps.restore(swap);
        this.deps.audit.recordState({ id: swap.id, event: 'restored', path: swap.path, ...comparedSides(swap.comparison), decidedBy: 'click', keptAside });
        void vscode.window.showInformationMessage(`Countersign restored ${swap.label}; the swapped-in file is kept at ${keptAside}.`);
      }
    } catch (error) {
      return err(`Could not ${decision} the state: ${errorMessage(error)}`);
    }
    this.deps.reviews.removeSwap(check.value.id);
    this.deps.log(`state swap ${check.value.label}: ${decision === 'accept' ? 'new state accepted' : 'previous state restored'} by the person`);
    this.render();
    return ok({});
  }

  private startPreview(pending: PendingRequest): void {
    const controller = new AbortController();
    const started = this.deps.previewer.start(pending, {
      signal: controller.signal,
      onStep: (step) => {
        this.deps.reviews.setPreview(pending.id, { kind: 'running', startedAt: this.deps.now(), step });
        this.render();
      },
    });
    if (!started) return;
    this.running.set(pending.id, controller);
    this.deps.reviews.setPreview(pending.id, { kind: 'running', startedAt: this.deps.now(), step: started.label });
    void started.result.then((preview) => {
      if (this.running.get(pending.id) !== controller) return;
      this.running.delete(pending.id);
      if (!this.deps.reviews.setPreview(pending.id, preview)) return;
      if (preview.kind === 'ready') {
        this.deps.audit.notePlan(pending.id, preview.planHash, preview.analysis);
        this.deps.backUpFirst.planReady(pending.id, preview.analysis.changes);
      }
      this.render();
    });
  }

  /** Compares the state in a state-writing command's folder with its backend's; a newer check replaces a running one. */
  private startBackendCheck(pending: PendingRequest): void {
    this.checking.get(pending.id)?.abort();
    const controller = new AbortController();
    const started = this.deps.backendChecker.start(pending, controller.signal);
    if (!started) return;
    this.checking.set(pending.id, controller);
    this.deps.reviews.setBackendCheck(pending.id, { kind: 'running', startedAt: this.deps.now(), step: started.label });
    void started.result.then(
      (check) => {
        if (this.checking.get(pending.id) !== controller) return;
        this.checking.delete(pending.id);
        const localLabel = vscode.workspace.asRelativePath(check.localFile.path, false);
        if (!this.deps.reviews.setBackendCheck(pending.id, { kind: 'done', check, localLabel })) return;
        if (check.status !== 'consistent') {
          const sides = check.localAgainstBackend ? comparedSides(check.localAgainstBackend) : { reasons: check.reasons };
          this.deps.audit.recordState({ id: pending.id, event: check.status === 'conflict' ? 'backend-conflict' : 'backend-unchecked', path: check.localFile.path, ...sides, reasons: check.reasons });
        }
        this.render();
      },
      (error: unknown) => {
        if (this.checking.get(pending.id) !== controller) return;
        this.checking.delete(pending.id);
        const message = `The check of the state against its backend failed (${errorMessage(error)}).`;
        this.deps.log(`panel: ${redactCommand(pending.request.command).text}: ${message}`);
        if (this.deps.reviews.setBackendCheck(pending.id, { kind: 'failed', message })) this.render();
      },
    );
  }

  private stopPreview(id: string): void {
    const controller = this.running.get(id);
    if (!controller) return;
    this.running.delete(id);
    controller.abort();
    if (this.deps.reviews.setPreview(id, { kind: 'failed', code: 'cancelled', message: 'The plan preview was cancelled.' })) this.render();
  }
}
