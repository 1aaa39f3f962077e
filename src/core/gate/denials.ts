/**
 * Denials are remembered across doors. A refused agent often reroutes: a denied `terraform destroy`
 * comes back as `aws rds delete-db-instance`, a script, an API call or a `state rm`, through whichever
 * door is open, each a new card that looks unrelated. The gate keeps what every denied request would
 * have touched (targets.ts) for the window's lifetime — the kill switch and re-arming keep it too —
 * and a later request from any door that touches one of those targets pauses as critical, with a
 * finding that says what was denied, when and through which door. Pure: the clock is injected and
 * the memory is bounded.
 */
import { builtinFinding, type BuiltinFindingId } from '../builtinFindings';
import { maxSeverity, type Finding, type FindingInvocation, type Verdict } from '../verdict';
import type { Span } from '../shell/commands';
import { isDistinctive, isSpecificTarget, isWithin, lineWords, targetKey, targetsOf, uniqueTargets } from './targets';
import type { Denial, GateRequest, PendingRequest, RequestSource } from './types';
import { mcpTargets } from '../mcp';

export const DENIED_TARGET_RULE = 'gate.denied-target' satisfies BuiltinFindingId;

/** The most targets kept; the oldest denial's go first, so a plan with thousands of deletes cannot grow the window without bound. */
export const MAX_REMEMBERED_TARGETS = 5000;

export class Denials {
  /** Target key → the latest denials that named it (oldest first), least recently denied target first. */
  private readonly byTarget = new Map<string, readonly Denial[]>();

  constructor(
    private readonly now: () => number,
    private readonly limit = MAX_REMEMBERED_TARGETS,
  ) {}

  /**
   * Remembers what a denied request would have touched: the targets its findings' commands name, and
   * those its plan preview would delete (resource addresses).
   */
  remember(entry: PendingRequest, planned: readonly string[] = []): Denial {
    const { request, verdict } = entry;
    const named = [...verdict.findings.flatMap((f) => readableTargets(f, request.cwd)), ...toolTargets(request)];
    const targets = uniqueTargets([...named, ...planned.filter(isSpecificTarget)]);
    const denial: Denial = {
      id: entry.id,
      command: request.command,
      source: request.source,
      ...(request.agent !== undefined ? { agent: request.agent } : {}),
      ...(request.terminal !== undefined ? { terminal: request.terminal } : {}),
      at: this.now(),
      targets,
    };
    for (const target of targets) {
      const key = targetKey(target);
      const earlier = this.byTarget.get(key) ?? [];
      this.byTarget.delete(key);
      this.byTarget.set(key, [...earlier, denial].slice(-MAX_DENIALS_TOLD));
    }
    for (const key of this.byTarget.keys()) {
      if (this.byTarget.size <= this.limit) break;
      this.byTarget.delete(key);
    }
    return denial;
  }

  /**
   * The verdict, paused as critical with a finding for each way the request touches what was denied;
   * as it was when it touches nothing. A comparison that fails pauses the line: it might have matched.
   */
  raise(request: GateRequest, verdict: Verdict): Verdict {
    let touched: Finding[];
    try {
      touched = this.findingsFor(request, verdict.findings);
    } catch (error) {
      return { verdict: 'pause', severity: maxSeverity(verdict.severity ?? 'high', 'high'), findings: [comparisonFailed(request.command, error), ...verdict.findings] };
    }
    return touched.length === 0 ? verdict : { verdict: 'pause', severity: 'critical', findings: [...touched, ...verdict.findings] };
  }

  /**
   * One finding per command of the request whose argv names a denied target, bound to that command
   * (so an approval's exec grant covers it, as it covers the engine's finding); then one for the
   * line when a distinctive denied target appears anywhere else in it (a script's argument, a URL).
   */
  private findingsFor(request: GateRequest, findings: readonly Finding[]): Finding[] {
    if (this.byTarget.size === 0) return [];
    const raised: Finding[] = [];
    const reported = new Set<string>();
    const execs = new Set<string>();
    for (const finding of findings) {
      const invocation = finding.invocation;
      if (!invocation) continue;
      const exec = `${finding.span.start}:${finding.span.end}\0${invocation.argv.join('\0')}`;
      if (execs.has(exec)) continue;
      execs.add(exec);
      const hits = this.namedBy(targetsOf(invocation, request.cwd).map(targetKey));
      if (hits.size === 0) continue;
      for (const key of hits.keys()) reported.add(key);
      raised.push(this.finding(hits, finding.command, finding.span, invocation));
    }
    const called = this.namedBy(toolTargets(request).map(targetKey));
    if (called.size > 0) {
      for (const key of called.keys()) reported.add(key);
      raised.push(this.finding(called, request.command, { start: 0, end: request.command.length }));
    }
    const mentioned = [...this.mentionedIn(request)].filter(([key]) => !reported.has(key));
    if (mentioned.length > 0) raised.push(this.finding(new Map(mentioned), request.command, { start: 0, end: request.command.length }));
    return raised;
  }

  /**
   * Denied targets a command's own targets touch: the same one, or one inside the other when the
   * outer one is distinctive (`-target=module.db` and a denied `module.db.aws_db_instance.main`).
   */
  private namedBy(keys: readonly string[]): Map<string, readonly Denial[]> {
    const hits = new Map<string, readonly Denial[]>();
    if (keys.length === 0) return hits;
    for (const [denied, denials] of this.byTarget) {
      const touches = keys.some((key) => key === denied || (isDistinctive(denied) && isWithin(key, denied)) || (isDistinctive(key) && isWithin(denied, key)));
      if (touches) hits.set(denied, denials);
    }
    return hits;
  }

  /** Distinctive denied targets that a word of the line is, or is inside (`prod-db.x.rds.amazonaws.com`, `/srv/data/sub`). */
  private mentionedIn(request: GateRequest): Map<string, readonly Denial[]> {
    const hits = new Map<string, readonly Denial[]>();
    for (const word of lineWords(request.command, request.cwd)) {
      for (const outer of enclosing(word)) {
        const denials = this.byTarget.get(outer);
        if (denials && isDistinctive(outer)) hits.set(outer, denials);
      }
    }
    return hits;
  }

  private finding(hits: ReadonlyMap<string, readonly Denial[]>, command: string, span: Span, invocation?: FindingInvocation): Finding {
    const byDenial = new Map<Denial, string[]>();
    for (const [key, denials] of hits) for (const denial of denials) byDenial.set(denial, [...(byDenial.get(denial) ?? []), shownAs(denial, key)]);
    const targets = [...hits].map(([key, denials]) => shownAs(denials[denials.length - 1], key));
    const denials = [...byDenial.keys()].sort((a, b) => b.at - a.at);
    const now = this.now();
    const told = denials.slice(0, MAX_DENIALS_TOLD).map((d) => whatWasDenied(d, byDenial.get(d) ?? [], now));
    if (denials.length > MAX_DENIALS_TOLD) told.push(`${denials.length - MAX_DENIALS_TOLD} more denied requests named these too.`);
    return builtinFinding(DENIED_TARGET_RULE, command, span, {
      title: `Touches what was denied: ${listed(targets)}`,
      why: `${told.join(' ')} An agent that is refused often tries another way to the same thing: another command, tool, script, API call or door. Decide this one knowing that.`,
      saferAlternative: `Deny this as well unless the earlier denial was a mistake, and ask the agent why it still needs ${listed(targets)}.`,
      detail: `Earlier denial${denials.length === 1 ? '' : 's'}: request ${denials.map((d) => d.id).join(', ')}.`,
      invocation,
    });
  }
}

/** How many earlier denials a finding tells in full (and a target keeps); the rest are counted. */
const MAX_DENIALS_TOLD = 3;
/** How many targets a title lists; the rest are counted. */
const MAX_TARGETS_LISTED = 4;

const DOORS: Readonly<Record<RequestSource, string>> = {
  'guarded-terminal': 'a guarded terminal',
  'terminal-fallback': 'a guarded terminal (fallback mode)',
  'prompt-answer': 'an answer to a Terraform prompt',
  shim: 'a PATH shim',
  hook: 'an agent hook',
};

/** A command whose targets cannot be read adds nothing to remember; its denial stands all the same. */
function readableTargets(finding: Finding, cwd: string | undefined): string[] {
  if (!finding.invocation) return [];
  try {
    return targetsOf(finding.invocation, cwd);
  } catch {
    return [];
  }
}

/** What a tool call's arguments name (a volume id, a project, the tables its SQL drops); none for a shell command. */
function toolTargets(request: GateRequest): string[] {
  return request.tool ? mcpTargets(request.tool.name, request.tool.input) : [];
}

function comparisonFailed(command: string, error: unknown): Finding {
  return builtinFinding('gate.check-failed', command, { start: 0, end: command.length }, {
    title: 'The check against what was denied failed',
    why: `Countersign could not compare this line with the targets denied earlier (${String(error)}). It fails closed: a line that might touch what a person denied waits for a person.`,
    saferAlternative: 'Read the command yourself before approving, with the requests denied earlier in mind; report the line so the failure can be fixed.',
  });
}

function whatWasDenied(denial: Denial, targets: readonly string[], now: number): string {
  const door = [DOORS[denial.source], denial.terminal !== undefined ? `“${denial.terminal}”` : undefined, denial.agent !== undefined ? `for ${denial.agent}` : undefined]
    .filter((part) => part !== undefined)
    .join(' ');
  return `A person denied \`${denial.command}\` ${ago(now - denial.at)} (${utc(denial.at)}) through ${door}; it named ${listed(targets)}.`;
}

/** The denial's own spelling of a target key. */
function shownAs(denial: Denial, key: string): string {
  return denial.targets.find((t) => targetKey(t) === key) ?? key;
}

/** A key and every name it lies within (`/srv/data/x` → `/srv`, `/srv/data`), to look each up. */
function enclosing(key: string): string[] {
  const boundary = key.startsWith('/') ? /\//g : /[/.[:]/g;
  const outer = [...key.matchAll(boundary)].map((m) => key.slice(0, m.index)).filter((prefix) => prefix.length > 0 && isWithin(key, prefix));
  return [key, ...outer];
}

function listed(targets: readonly string[]): string {
  const shown = targets.slice(0, MAX_TARGETS_LISTED).join(', ');
  return targets.length > MAX_TARGETS_LISTED ? `${shown} and ${targets.length - MAX_TARGETS_LISTED} more` : shown;
}

function ago(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 90) return `${seconds} s earlier`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min earlier`;
  if (seconds < 48 * 3600) return `${Math.round(seconds / 3600)} h earlier`;
  return `${Math.round(seconds / 86_400)} days earlier`;
}

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
