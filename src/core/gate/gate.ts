import { builtinFinding, isReserved, type BuiltinFindingId } from '../builtinFindings';
import type { Engine } from '../engine/analyze';
import type { CheckContext } from '../engine/context';
import { Finding, severityRank, Verdict } from '../verdict';
import { Emitter } from '../emitter';
import { checkToolCall } from '../mcp';
import { Denials } from './denials';
import { Grants, HOOK_GRANT_MS, keyOf, TERMINAL_GRANT_MS, type DescendsFrom, type Taken, type VerifySavedPlan } from './grants';
import type { CancelReason, Decision, Denial, Gate, GateRequest, LateDecision, PendingRequest, SavedPlan, SeverityThreshold, Submission, SubmitEvent } from './types';

/** The thresholds a person may pick; critical findings pause at every one of them. */
export const SEVERITY_THRESHOLDS: readonly SeverityThreshold[] = ['low', 'medium', 'high'];

export interface GateOptions {
  /** Read at approve time, per request (dry run is set per terminal): when true, an approved request is cancelled with reason 'dry-run'. */
  readonly dryRun?: (request: GateRequest) => boolean;
  readonly now?: () => number;
  readonly newId?: () => string;
  /** Where the engine checks a request (cwd, file reader); default: the request's cwd, no files. */
  readonly contextFor?: (request: GateRequest) => CheckContext;
  /**
   * The lowest severity that pauses, read per submission; default 'low' (every finding pauses). A
   * line whose findings are all below it runs, its findings kept in the verdict for the record.
   */
  readonly pauseAt?: (request: GateRequest) => SeverityThreshold;
  /** Whether a process descends from another (exec grants scoped to a guarded terminal's shell); default: never, so scoped grants are never used. */
  readonly descendsFrom?: DescendsFrom;
  /** The resource addresses a paused request's plan preview deletes, replaces or forgets, asked when it is denied: the denial remembers them too. */
  readonly plannedDeletes?: (id: string) => readonly string[];
  /** Whether a saved plan is still what was reviewed and applies as shown, checked as its grant is used; default: never, so a grant's saved plan never runs. */
  readonly verifySavedPlan?: VerifySavedPlan;
}

interface Waiting {
  readonly entry: PendingRequest;
  /** Undefined once the requester has gone: nobody is left to tell. */
  readonly settle?: (decision: Decision) => void;
}

/** How long a card whose requester left waits for a late decision; a newer one for the same command and folder replaces it. */
export const ABANDONED_CARD_MS = 30 * 60_000;

const RUN: Decision = { kind: 'run' };
const AROUND_THE_REVIEW = "Read the new plan on this card. Find out what changed: an agent writing into Countersign's runtime folder or the state is trying to get around the review.";
const KILLED: Decision = { kind: 'cancel', reason: 'killed' };

/** The gate over the risk engine: allowed lines run at once, paused ones wait for a person. */
export function createGate(engine: Pick<Engine, 'check'>, options: GateOptions = {}): Gate {
  const now = options.now ?? Date.now;
  const newId = options.newId ?? randomId;
  const contextFor = options.contextFor ?? ((request: GateRequest): CheckContext => ({ cwd: request.cwd }));
  const waiting = new Map<string, Waiting>();
  const changes = new Emitter<void>();
  const submissions = new Emitter<SubmitEvent>();
  const lateDecisions = new Emitter<LateDecision>();
  const denied = new Emitter<Denial>();
  // Kept for the window: neither the kill switch nor re-arming forgets a denial.
  const denials = new Denials(now);
  const lineEnds = new Emitter<string>();
  const grants = new Grants(now, options.descendsFrom ?? (() => false), options.verifySavedPlan ?? (() => 'altered'));
  let killed = false;

  const changed = (): void => changes.fire();

  function settle(id: string, decision: Decision): boolean {
    const w = waiting.get(id);
    if (!w) return false;
    waiting.delete(id);
    if (decision.kind === 'cancel' && decision.reason === 'denied') denied.fire(denials.remember(w.entry, plannedDeletes(options.plannedDeletes, id)));
    if (w.settle) w.settle(decision);
    else if (decision.kind === 'cancel' && decision.reason === 'denied') lateDecisions.fire({ id, outcome: 'denied' });
    changed();
    return true;
  }

  const cancel = (id: string, reason: CancelReason): boolean => settle(id, { kind: 'cancel', reason });

  /** What the person's approval lets run next: the execs its card showed (guarded terminals and hooks start them after the answer). */
  function grantExecs(entry: PendingRequest, savedPlan?: SavedPlan): void {
    const { request, verdict } = entry;
    // A guarded line's grants end with the line (its shell's next prompt); a held line's end is not seen, so they are short.
    if (request.source === 'guarded-terminal') grants.issueExec(entry.id, verdict.findings, TERMINAL_GRANT_MS, request.shellPid, savedPlan);
    else if (request.source === 'terminal-fallback') grants.issueExec(entry.id, verdict.findings, HOOK_GRANT_MS, request.shellPid, savedPlan);
    else if (request.source === 'hook') grants.issueExec(entry.id, verdict.findings, HOOK_GRANT_MS, undefined, savedPlan);
  }

  /** A late approval runs nothing: the same line may run once when its requester asks again. */
  function approveLate(entry: PendingRequest): void {
    waiting.delete(entry.id);
    const dryRun = options.dryRun?.(entry.request) ?? false;
    const grantUntil = dryRun ? undefined : grants.issueRetry(entry.id, entry.request.command, entry.request.cwd, entry.verdict.findings);
    lateDecisions.fire({ id: entry.id, outcome: dryRun ? 'dry-run' : 'granted', ...(grantUntil !== undefined ? { grantUntil } : {}) });
    changed();
  }

  return {
    /** Its listeners go with it; requests still waiting are the doors' to withdraw as they close. */
    dispose() {
      for (const emitter of [changes, submissions, lateDecisions, denied, lineEnds]) emitter.dispose();
    },
    submit(request) {
      const id = newId();
      if (waiting.has(id)) throw new Error(`gate: request id ${id} is already pending`);
      const checked = denials.raise(request, belowThresholdRuns(checkFailClosed(engine, request, contextFor), thresholdFor(options.pauseAt, request)));
      // A pause verdict too, so a door that runs an allowed line without awaiting the decision stops as well.
      const reviewed = killed ? killSwitchVerdict(request.command, checked) : checked;
      const createdAt = now();
      // A grant is an earlier approval: never where nothing may run (the kill switch, a dry-run terminal).
      // A saved plan terraform refused as stale is asked about again on a new card: no earlier approval covers it.
      const mayUseGrant = !killed && reviewed.verdict === 'pause' && !options.dryRun?.(request) && request.stalePlan === undefined;
      const taken = mayUseGrant ? grants.take({ ...request, findings: reviewed.findings, execDoor: request.source === 'shim' }) : undefined;
      const verdict =
        request.stalePlan !== undefined
          ? withPlanRefused(reviewed, request.command, 'refused-as-stale', `its plan, sha256 ${request.stalePlan.slice(0, 12)}…`)
          : taken?.kind === 'plan-refused'
            ? withPlanRefused(reviewed, request.command, taken.why, taken.from)
            : reviewed;
      const granted = taken?.kind === 'granted' ? taken : undefined;
      if (granted) grantExecs({ id, request, verdict, createdAt });
      const answered = killed ? KILLED : verdict.verdict === 'allow' ? RUN : granted ? runDecision(granted.savedPlan, granted.from) : undefined;
      if (answered) {
        const decision = Promise.resolve(answered);
        submissions.fire({ id, request, verdict, createdAt, decision });
        return { id, verdict, decision };
      }
      let resolve!: (decision: Decision) => void;
      const decision = new Promise<Decision>((r) => (resolve = r));
      waiting.set(id, { entry: { id, request, verdict, createdAt }, settle: resolve });
      submissions.fire({ id, request, verdict, createdAt, decision });
      changed();
      return { id, verdict, decision } satisfies Submission;
    },
    approve: (id, savedPlan) => {
      const entry = waiting.get(id)?.entry;
      if (!entry) return false;
      if (entry.requesterGoneAt !== undefined) {
        approveLate(entry);
        return true;
      }
      if (options.dryRun?.(entry.request)) return cancel(id, 'dry-run');
      // A shim waits to exec the very command the plan stands in for: it runs the plan now. Other doors start their execs after the answer, through the grants.
      if (savedPlan && entry.request.source === 'shim' && standsFor(savedPlan, entry)) return settle(id, runDecision(savedPlan));
      grantExecs(entry, savedPlan);
      return settle(id, RUN);
    },
    deny: (id) => cancel(id, 'denied'),
    cancel,
    abandon(id) {
      const w = waiting.get(id);
      if (!w?.settle) return false;
      // An agent retrying after each timeout leaves one card, not a pile: the newest stands for them all.
      const { command, cwd } = w.entry.request;
      for (const [other, o] of waiting) if (o.entry.requesterGoneAt !== undefined && o.entry.request.command === command && o.entry.request.cwd === cwd) waiting.delete(other);
      waiting.set(id, { entry: { ...w.entry, requesterGoneAt: now() } });
      w.settle({ kind: 'cancel', reason: 'abandoned' });
      changed();
      return true;
    },
    lineEnded(id) {
      grants.revoke(id);
      lineEnds.fire(id);
    },
    pending() {
      for (const [id, w] of waiting) if (w.entry.requesterGoneAt !== undefined && now() - w.entry.requesterGoneAt > ABANDONED_CARD_MS) waiting.delete(id);
      return [...waiting.values()].map((w) => w.entry);
    },
    kill() {
      if (killed) return;
      killed = true;
      grants.clear();
      const cancelled = [...waiting.values()];
      waiting.clear();
      for (const w of cancelled) w.settle?.(KILLED);
      changed();
    },
    rearm() {
      if (!killed) return;
      killed = false;
      changed();
    },
    get killed() {
      return killed;
    },
    onDidChange: changes.event,
    onDidSubmit: submissions.event,
    onDidDecideLate: lateDecisions.event,
    onDidDeny: denied.event,
    onDidEndLine: lineEnds.event,
  };
}

function runDecision(savedPlan: SavedPlan | undefined, grantedBy?: string): Decision {
  return { kind: 'run', ...(grantedBy !== undefined ? { grantedBy } : {}), ...(savedPlan ? { savedPlan: { args: savedPlan.args, sha256: savedPlan.sha256 } } : {}) };
}

/** Whether a paused exec is the one a saved plan stands in for: the same argv (argv[0] reduced to the tool) in the same folder. */
function standsFor(savedPlan: SavedPlan, entry: PendingRequest): boolean {
  const plan = keyOf(savedPlan.argv, savedPlan.cwd);
  return entry.verdict.findings.some((f) => {
    const invocation = f.invocation;
    if (!invocation || invocation.cwd === undefined) return false;
    const key = keyOf(invocation.argv, invocation.cwd);
    return key.argv === plan.argv && key.cwd === plan.cwd;
  });
}

/** Why an approved saved plan did not run: found at its exec (altered, stale), or refused by terraform itself when it ran. */
type PlanRefusal = Extract<Taken, { kind: 'plan-refused' }>['why'] | 'refused-as-stale';

const PLAN_REFUSED: Readonly<Record<PlanRefusal, Pick<Finding, 'title' | 'saferAlternative'> & { readonly ruleId: BuiltinFindingId; readonly what: string }>> = {
  altered: {
    ruleId: 'gate.saved-plan-changed',
    title: 'The reviewed plan changed before it ran',
    what: 'That file was altered or removed before the command ran',
    saferAlternative: AROUND_THE_REVIEW,
  },
  stale: {
    ruleId: 'gate.saved-plan-stale',
    title: 'The state changed after the plan was made',
    what: 'The state it was planned against changed before the command ran (another apply, a restore, a swap), so it no longer does what was shown',
    saferAlternative: AROUND_THE_REVIEW,
  },
  'refused-as-stale': {
    ruleId: 'gate.saved-plan-stale',
    title: 'Terraform refused the reviewed plan as stale',
    what: "Terraform refused to apply it and changed nothing: the state it was planned against had changed by then (another apply, or the backend's copy moved on)",
    saferAlternative: 'Read the new plan on this card. Find out who changed the state since the last card: another apply, a teammate, a pipeline.',
  },
};

/** An approval whose reviewed plan no longer stands when its exec comes: the exec asks again, with a new plan, and says why. */
function withPlanRefused(verdict: Verdict, command: string, why: PlanRefusal, from: string): Verdict {
  const { ruleId, title, what, saferAlternative } = PLAN_REFUSED[why];
  const finding = builtinFinding(ruleId, command, { start: 0, end: command.length }, {
    title,
    why: `A person approved this command on an earlier card (${from}) to run the plan shown there, saved to a private file. ${what}, so the approval does not cover it: this is a new review with a new plan.`,
    saferAlternative,
  });
  return { ...verdict, verdict: 'pause', severity: finding.severity, findings: [finding, ...verdict.findings] };
}

/** A check that throws pauses the line: the gate never lets through what it could not vouch for. */
function checkFailClosed(engine: Pick<Engine, 'check'>, request: GateRequest, contextFor: (request: GateRequest) => CheckContext): Verdict {
  try {
    // The names the shell reported are the request's own: no door's context may drop them.
    const context = request.shellNames ? { ...contextFor(request), shellNames: request.shellNames } : contextFor(request);
    // A tool call's own shell commands (an MCP tool that runs one) are judged by the engine as a line would be.
    if (request.tool) return checkToolCall(request.tool.name, request.tool.input, { checkCommand: (line) => engine.check(line, context) });
    return engine.check(request.command, context);
  } catch (error) {
    const failed = builtinFinding('gate.check-failed', request.command, { start: 0, end: request.command.length }, {
      title: 'The check failed on this line',
      why: `Countersign could not check this line (${String(error)}). It fails closed: a line it cannot vouch for waits for a person.`,
      saferAlternative: 'Read the command yourself before approving; report the line so the failure can be fixed.',
    });
    return { verdict: 'pause', severity: failed.severity, findings: [failed] };
  }
}

/**
 * Findings the threshold never lets through: the gate's own (check failed, kill switch) and the
 * engine's (internal error, a command it cannot see through, nesting too deep, a recipe it could not
 * read, inline code that deletes). They say what the engine could not vouch for, whatever their severity.
 */
function alwaysPauses(finding: Finding): boolean {
  return isReserved(finding.ruleId);
}

/** A plan that cannot be read adds nothing: the denial still remembers what the command's argv names. */
function plannedDeletes(read: GateOptions['plannedDeletes'], id: string): readonly string[] {
  try {
    return read?.(id) ?? [];
  } catch {
    return [];
  }
}

/** A threshold that cannot be read, or is not one of the known ones, is 'low': everything pauses. */
function thresholdFor(pauseAt: GateOptions['pauseAt'], request: GateRequest): SeverityThreshold {
  try {
    const threshold = pauseAt?.(request) ?? 'low';
    return SEVERITY_THRESHOLDS.includes(threshold) ? threshold : 'low';
  } catch {
    return 'low';
  }
}

/** A paused verdict whose findings are all below the threshold becomes an allow that keeps them. */
function belowThresholdRuns(verdict: Verdict, threshold: SeverityThreshold): Verdict {
  if (verdict.verdict === 'allow') return verdict;
  const pauses = verdict.findings.some((f) => alwaysPauses(f) || severityRank(f.severity) >= severityRank(threshold));
  return pauses ? verdict : { ...verdict, verdict: 'allow' };
}

/** What the gate answers while the kill switch is on: the engine's findings stay, for the record. */
function killSwitchVerdict(command: string, checked: Verdict): Verdict {
  const killed = builtinFinding('gate.kill-switch', command, { start: 0, end: command.length });
  return { verdict: 'pause', severity: killed.severity, findings: [killed, ...checked.findings] };
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
