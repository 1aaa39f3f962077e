/**
 * Writes every submission to the gate into the audit log once it is decided: allowed lines at once,
 * paused ones when the person (or Ctrl-C, the kill switch, a timeout) settles them. The review side
 * tells it what only it knows, before the decision: the plan the person was shown and whether a
 * phrase was typed. Pure: the log is an injected sink.
 */
import type { Gate, SubmitEvent, Unsubscribe } from '../gate/types';
import { AuditEntry, decisionEntry, DecisionInput } from './record';

/** Appends an entry; rejects when it could not be written durably. */
export type AuditSink = (entry: AuditEntry) => Promise<unknown>;

type ReviewNote = Pick<DecisionInput, 'approvedWith' | 'planHash' | 'plan'>;

export class GateAuditor {
  /** Paused requests not yet decided, with what the review noted about them. */
  private readonly waiting = new Map<string, ReviewNote>();
  private readonly unsubscribe: Unsubscribe;

  constructor(
    gate: Pick<Gate, 'onDidSubmit'>,
    private readonly sink: AuditSink,
    private readonly onError: (error: unknown) => void,
  ) {
    this.unsubscribe = gate.onDidSubmit((event) => this.track(event));
  }

  /** The plan preview shown for a paused request: its hash and blast radius go into the record. */
  notePlan(id: string, planHash: string, plan: NonNullable<ReviewNote['plan']>): void {
    this.note(id, { planHash, plan });
  }

  /** How the person approved; call it just before `gate.approve(id)`. */
  noteApproval(id: string, approvedWith: NonNullable<ReviewNote['approvedWith']>): void {
    this.note(id, { approvedWith });
  }

  /** How a command that was let through ended. */
  recordExit(id: string, exitCode: number, signal?: string): void {
    this.write({ kind: 'exit', id, exitCode, ...(signal !== undefined ? { signal } : {}) });
  }

  /** Stops watching new submissions; those already submitted are still recorded when they settle. */
  dispose(): void {
    this.unsubscribe();
  }

  private note(id: string, note: ReviewNote): void {
    const current = this.waiting.get(id);
    if (current) this.waiting.set(id, { ...current, ...note });
  }

  private track(event: SubmitEvent): void {
    if (event.verdict.verdict === 'pause') this.waiting.set(event.id, {});
    void event.decision
      .then((decision) => {
        const note = this.waiting.get(event.id) ?? {};
        this.waiting.delete(event.id);
        this.write(decisionEntry({ ...event, decision, ...note }));
      })
      .catch(this.onError);
  }

  private write(entry: AuditEntry): void {
    this.sink(entry).catch(this.onError);
  }
}
