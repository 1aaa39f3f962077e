import type { Span } from './shell/commands';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

export function raiseSeverity(s: Severity): Severity {
  return SEVERITIES[Math.min(severityRank(s) + 1, SEVERITIES.length - 1)];
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly title: string;
  readonly why: string;
  readonly saferAlternative: string;
  /** The unwrapped simple command the rule fired on, as argv joined for display. */
  readonly command: string;
  /** Where in the checked line (outermost word or command that contains it). */
  readonly span: Span;
  /** What made it fire beyond the rule itself, e.g. the production marker that was seen. */
  readonly detail?: string;
  /** The production marker that raised it, when one did (`prod`, `envs/prod/terraform.tfstate`). */
  readonly production?: string;
  /** The command the rule fired on, as it will run: for previews (terraform plan) and snapshots. */
  readonly invocation?: FindingInvocation;
}

/** A simple command after unwrapping, with what the line statically tells about where it runs. */
export interface FindingInvocation {
  readonly argv: readonly string[];
  /** Where it runs, after any `cd` on the line (`cd infra && terraform destroy`); absent when only known at run time. */
  readonly cwd?: string;
  /** Variables the line sets for it, only those with values known before it runs. */
  readonly env: Readonly<Record<string, string>>;
  /** It runs on another machine or in a container (`ssh host …`, `docker exec …`), not where the line runs. */
  readonly remote?: true;
  /** The wrappers the line runs it through, outermost first (`sudo`, `env`, `bash`), when there are any. */
  readonly via?: readonly string[];
  /** Its first positional after the options its tool's grammar knows (`push` in `git -C dir push`): the subcommand. */
  readonly verb?: string;
}

export interface Verdict {
  readonly verdict: 'allow' | 'pause';
  /** The highest severity among the findings; absent when there are none. */
  readonly severity?: Severity;
  readonly findings: readonly Finding[];
}
