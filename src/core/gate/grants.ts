/**
 * One-time permissions the gate issues when a person approves, so that one approval covers one real
 * command and no more. They live only in the gate: no door can make one, and nothing an agent writes
 * (an environment variable, a file, a socket message) can name or forge one.
 *
 * - An **exec grant** lets the execs that an approved line starts, and that the engine showed on its
 *   card, pass the exec-time door (the PATH shims) without a second card: bound to the approved
 *   request, the exec's argv and folder, a short lifetime, a process tree when the door knows it (a
 *   guarded terminal's shell), and consumed on use.
 * - A **retry grant** is what approving a card whose requester stopped waiting gives: the exact same
 *   command line in the same folder may run once, from any door, within a few minutes. Nothing runs
 *   by itself in the background.
 */
import { toolName } from '../engine/invocation';
import { normalizePath } from '../engine/recipes';
import type { Finding } from '../verdict';
import type { SavedPlan, SavedPlanCheck } from './types';

/** Exec grants of an approved guarded-terminal line: revoked when its shell shows the next prompt, and at most this long. */
export const TERMINAL_GRANT_MS = 60 * 60_000;
/** Exec grants of an approved agent hook: the agent runs the command right after it hears the answer. */
export const HOOK_GRANT_MS = 2 * 60_000;
/** A late approval: the agent is told to ask again, and has this long to do it. */
export const RETRY_GRANT_MS = 5 * 60_000;

interface GrantBase {
  /** The approved request that issued it. */
  readonly from: string;
  readonly expiresAt: number;
  /** Uses left. */
  uses: number;
}

interface ExecGrant extends GrantBase {
  readonly kind: 'exec';
  /** The exec's argv with argv[0] reduced to the tool's name, joined with NULs. */
  readonly argv: string;
  readonly cwd: string;
  /** Only a process descending from this one (a guarded terminal's shell) may use it. */
  readonly scope?: number;
  /** The plan the card showed for this exec: what runs in its place. */
  readonly savedPlan?: SavedPlan;
}

interface RetryGrant extends GrantBase {
  readonly kind: 'retry';
  readonly command: string;
  readonly cwd: string;
  /** The rules its card showed: a retry that now trips another (a swap found since, a denied target) asks again. */
  readonly ruleIds: ReadonlySet<string>;
}

type Grant = ExecGrant | RetryGrant;

/** What a grant is checked against: the request, its verdict and the process that asks. */
export interface GrantQuery {
  readonly command: string;
  readonly cwd?: string;
  /** The process that will exec (a shim's launcher), when the door knows it. */
  readonly pid?: number;
  readonly findings: readonly Finding[];
  /** Exec grants are for the exec-time door only. */
  readonly execDoor: boolean;
}

/** Whether `pid` descends from `ancestor` (or is it); false when it cannot be told. */
export type DescendsFrom = (pid: number, ancestor: number) => boolean;

/** Whether a saved plan's file still holds what the person reviewed, and its state what it was made against. */
export type VerifySavedPlan = (plan: SavedPlan) => SavedPlanCheck;

/**
 * What lets a paused request run: an earlier approval (with the saved plan to run in its place, when
 * its card showed one), or nothing because the plan that approval was for is no longer the one
 * reviewed (`altered`) or would no longer apply as shown (`stale`).
 */
export type Taken =
  | { readonly kind: 'granted'; readonly from: string; readonly savedPlan?: SavedPlan }
  | { readonly kind: 'plan-refused'; readonly from: string; readonly why: Exclude<SavedPlanCheck, 'intact'> };

export class Grants {
  private grants: Grant[] = [];

  constructor(
    private readonly now: () => number,
    private readonly descendsFrom: DescendsFrom,
    private readonly verifySavedPlan: VerifySavedPlan,
  ) {}

  /**
   * Exec grants for every exec an approved request's card showed: one use per finding's command (a
   * line that runs the same destroy twice gets two), none for a finding whose folder is unknown or
   * whose command runs on another machine or in a container. The exec a saved plan stands in for
   * carries it.
   */
  issueExec(from: string, findings: readonly Finding[], lifetimeMs: number, scope?: number, savedPlan?: SavedPlan): void {
    const planKey = savedPlan && keyOf(savedPlan.argv, savedPlan.cwd);
    const expiresAt = this.now() + lifetimeMs;
    const seen = new Set<string>();
    for (const finding of findings) {
      const key = execKey(finding);
      const span = `${finding.span.start}:${finding.span.end}`;
      if (!key || seen.has(`${span}\0${key.argv}\0${key.cwd}`)) continue;
      seen.add(`${span}\0${key.argv}\0${key.cwd}`);
      const same = this.grants.find((g): g is ExecGrant => g.kind === 'exec' && g.from === from && g.argv === key.argv && g.cwd === key.cwd);
      if (same) same.uses++;
      else {
        const plan = planKey?.argv === key.argv && planKey.cwd === key.cwd ? { savedPlan } : {};
        this.grants.push({ kind: 'exec', from, expiresAt, uses: 1, ...key, ...(scope !== undefined ? { scope } : {}), ...plan });
      }
    }
  }

  issueRetry(from: string, command: string, cwd: string | undefined, findings: readonly Finding[], lifetimeMs = RETRY_GRANT_MS): number | undefined {
    if (cwd === undefined) return undefined;
    const expiresAt = this.now() + lifetimeMs;
    this.grants.push({ kind: 'retry', from, expiresAt, uses: 1, command, cwd: normalizePath(cwd), ruleIds: new Set(findings.map((f) => f.ruleId)) });
    return expiresAt;
  }

  /**
   * Consumes what lets this paused request run, and says which approved request it came from; else
   * undefined and nothing is consumed. An exec-door request needs a live exec grant for every finding
   * (a finding it cannot bind, such as an unreadable command, always asks again); any door may use a
   * retry grant for exactly the same line in the same folder. A grant whose saved plan was altered or
   * removed since the review, or whose state has changed since the plan was made, is revoked: the exec
   * asks again, with a new plan.
   */
  take(query: GrantQuery): Taken | undefined {
    this.prune();
    const cwd = query.cwd === undefined ? undefined : normalizePath(query.cwd);
    const retry = this.grants.find(
      (g): g is RetryGrant => g.kind === 'retry' && g.command === query.command && g.cwd === cwd && query.findings.every((f) => g.ruleIds.has(f.ruleId)),
    );
    if (retry) {
      this.use(retry);
      return { kind: 'granted', from: retry.from };
    }
    if (!query.execDoor || query.findings.length === 0) return undefined;
    const picked: ExecGrant[] = [];
    for (const finding of query.findings) {
      const key = execKey(finding);
      if (!key) return undefined;
      const grant = this.grants.find(
        (g): g is ExecGrant =>
          g.kind === 'exec' &&
          g.argv === key.argv &&
          g.cwd === key.cwd &&
          (picked.includes(g) || g.uses > 0) &&
          (g.scope === undefined || (query.pid !== undefined && this.descendsFrom(query.pid, g.scope))),
      );
      if (!grant) return undefined;
      if (!picked.includes(grant)) picked.push(grant);
    }
    const planned = picked.find((g) => g.savedPlan !== undefined);
    const check = planned?.savedPlan ? this.verifySavedPlan(planned.savedPlan) : 'intact';
    if (planned && check !== 'intact') {
      this.grants = this.grants.filter((g) => g !== planned);
      return { kind: 'plan-refused', from: planned.from, why: check };
    }
    for (const grant of picked) this.use(grant);
    return { kind: 'granted', from: picked[0].from, ...(planned?.savedPlan ? { savedPlan: planned.savedPlan } : {}) };
  }

  /** The approved line has ended (its shell is back at the prompt): what it did not use goes. */
  revoke(from: string): void {
    this.grants = this.grants.filter((g) => g.from !== from);
  }

  /** The kill switch: nothing approved before it may run after it. */
  clear(): void {
    this.grants = [];
  }

  private use(grant: Grant): void {
    grant.uses--;
    if (grant.uses <= 0) this.grants = this.grants.filter((g) => g !== grant);
  }

  private prune(): void {
    const now = this.now();
    this.grants = this.grants.filter((g) => g.expiresAt > now);
  }
}

/** What binds a grant to an exec: the finding's argv and its folder, as the engine read them from the line. */
function execKey(finding: Finding): { argv: string; cwd: string } | undefined {
  const invocation = finding.invocation;
  if (!invocation || invocation.argv.length === 0 || invocation.remote || invocation.cwd === undefined) return undefined;
  return keyOf(invocation.argv, invocation.cwd);
}

/** Also what a saved plan is matched to its exec with, and a shim request to a saved plan. */
export function keyOf(argv: readonly string[], cwd: string): { argv: string; cwd: string } {
  const [first, ...rest] = argv;
  return { argv: [toolName(first ?? ''), ...rest].join('\0'), cwd: normalizePath(cwd) };
}
