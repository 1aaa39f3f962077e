/**
 * Writes every submission to the gate into the audit log once it is decided: allowed lines at once,
 * paused ones when the person (or Ctrl-C, the kill switch, a timeout) settles them. A paused one is
 * also written when it pauses, so a window that dies before the decision leaves it in the log for the
 * next start to report (recordStopped). The review side
 * tells it what only it knows, before the decision: the plan the person was shown and whether a
 * phrase was typed. Pure: the log is an injected sink.
 */
import type { Gate, LateDecision, SubmitEvent } from '../gate/types';
import { Disposable } from '../lifecycle';
import { AuditEntry, decisionEntry, DecisionInput, pauseEntry, targetsField, type BackupEntry, type StateEntry } from './record';

/** Appends an entry; rejects when it could not be written durably. */
export type AuditSink = (entry: AuditEntry) => Promise<unknown>;

type ReviewNote = Pick<DecisionInput, 'approvedWith' | 'planHash' | 'plan' | 'savedPlan'>;

/** Disposing it stops watching new submissions; those already submitted are still recorded when they settle. */
export class GateAuditor extends Disposable {
  /** Paused requests not yet decided, with what the review noted about them. */
  private readonly waiting = new Map<string, ReviewNote>();
  /** How the person approved a card whose requester had gone, until the gate reports the late decision. */
  private readonly lateApprovals = new Map<string, NonNullable<ReviewNote['approvedWith']>>();
  /**
   * Abandoned requests whose decision record is written, and late decisions that came before it: a
   * late record always follows its request's own in the log.
   */
  private readonly abandonedWritten = new Set<string>();
  private readonly lateBeforeRecord = new Map<string, LateDecision>();
  /** What the gate remembered of each denial, until the record of that denial (its decision's or a late one) is written. */
  private readonly deniedTargets = new Map<string, readonly string[]>();

  constructor(
    gate: Pick<Gate, 'onDidSubmit' | 'onDidDecideLate' | 'onDidDeny'>,
    private readonly sink: AuditSink,
    private readonly onError: (error: unknown) => void,
    /** The process of the window whose gate this is, written on pause records: a later start tells a live window's waiting requests from a stopped one's. */
    private readonly host?: number,
  ) {
    super();
    this._register(gate.onDidSubmit((event) => this.track(event)));
    this._register(gate.onDidDecideLate((late) => this.recordLate(late)));
    this._register(gate.onDidDeny((denial) => this.deniedTargets.set(denial.id, denial.targets)));
  }

  /** The plan preview shown for a paused request: its hash and blast radius go into the record. */
  notePlan(id: string, planHash: string, plan: NonNullable<ReviewNote['plan']>): void {
    this.note(id, { planHash, plan });
  }

  /** How the person approved, and the saved plan the approval runs; call it just before `gate.approve(id)`. */
  noteApproval(id: string, approvedWith: NonNullable<ReviewNote['approvedWith']>, savedPlan?: string): void {
    if (this.waiting.has(id)) this.note(id, { approvedWith, ...(savedPlan !== undefined ? { savedPlan } : {}) });
    else this.lateApprovals.set(id, approvedWith);
  }

  /** What the state-file guard saw or did (the gate's auditor is the log's one writer). */
  recordState(entry: Omit<StateEntry, 'kind'>): void {
    this.write({ kind: 'state', ...entry });
  }

  /** What Back up first or a Restore did for one data resource. */
  recordBackup(entry: Omit<BackupEntry, 'kind'>): void {
    this.write({ kind: 'backup', ...entry });
  }

  /** A request an earlier window left waiting when it stopped (its pause has no decision after it); settles once written or reported as not. */
  recordStopped(id: string): Promise<void> {
    return this.sink({ kind: 'stopped', id }).then(() => undefined, this.onError);
  }

  /** How a command that was let through ended. */
  recordExit(id: string, exitCode: number, signal?: string): void {
    this.write({ kind: 'exit', id, exitCode, ...(signal !== undefined ? { signal } : {}) });
  }

  private recordLate(late: LateDecision): void {
    if (!this.abandonedWritten.delete(late.id)) {
      this.lateBeforeRecord.set(late.id, late);
      return;
    }
    const approvedWith = this.lateApprovals.get(late.id) ?? 'click';
    this.lateApprovals.delete(late.id);
    const decidedBy = late.outcome === 'denied' ? 'deny' : late.outcome === 'dry-run' ? 'dry-run' : approvedWith;
    this.write({
      kind: 'late',
      id: late.id,
      outcome: late.outcome,
      decidedBy,
      ...(late.grantUntil !== undefined ? { grantUntil: new Date(late.grantUntil).toISOString() } : {}),
      ...(late.outcome === 'denied' ? targetsField(this.takeDeniedTargets(late.id)) : {}),
    });
  }

  private note(id: string, note: ReviewNote): void {
    const current = this.waiting.get(id);
    if (current) this.waiting.set(id, { ...current, ...note });
  }

  private track(event: SubmitEvent): void {
    if (event.verdict.verdict === 'pause') {
      this.waiting.set(event.id, {});
      // Before anyone can decide: appends keep call order, so the decision always comes after it.
      this.write(pauseEntry(event, this.host));
    }
    void event.decision
      .then((decision) => {
        const note = this.waiting.get(event.id) ?? {};
        this.waiting.delete(event.id);
        const denied = decision.kind === 'cancel' && decision.reason === 'denied';
        this.write(decisionEntry({ ...event, decision, ...note, ...(denied ? { deniedTargets: this.takeDeniedTargets(event.id) } : {}) }));
        if (decision.kind !== 'cancel' || decision.reason !== 'abandoned') return;
        this.abandonedWritten.add(event.id);
        // An approval noted while the abandonment was still on its way belongs to the late decision.
        if (note.approvedWith) this.lateApprovals.set(event.id, note.approvedWith);
        const late = this.lateBeforeRecord.get(event.id);
        this.lateBeforeRecord.delete(event.id);
        if (late) this.recordLate(late);
      })
      .catch(this.onError);
  }

  private takeDeniedTargets(id: string): readonly string[] {
    const targets = this.deniedTargets.get(id) ?? [];
    this.deniedTargets.delete(id);
    return targets;
  }

  private write(entry: AuditEntry): void {
    this.sink(entry).catch(this.onError);
  }
}
