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
}

export interface Verdict {
  readonly verdict: 'allow' | 'pause';
  /** The highest severity among the findings; absent when there are none. */
  readonly severity?: Severity;
  readonly findings: readonly Finding[];
}
