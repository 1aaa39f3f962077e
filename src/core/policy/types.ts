import type { Rule } from '../rules/types';
import type { Severity } from '../verdict';

/**
 * A workspace policy (`.countersign/policy.json`) after validation. It can only tighten: it adds
 * rules and production markers and raises the severity of built-in rules; nothing in it can
 * remove, disable or lower anything, because the agent being guarded can edit the repository.
 */
export interface ParsedPolicy {
  /** Extra rules, every id starting with `policy.`. */
  readonly rules: readonly Rule[];
  /** Extra production markers (regex source, case-insensitive), added to the built-in ones. */
  readonly productionMarkers: readonly string[];
  /** Built-in rule id → the severity it is raised to (never below its own). */
  readonly raiseSeverity: ReadonlyMap<string, Severity>;
}

/** One problem in a policy file, pointing at where it is written. */
export interface PolicyError {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
  /** The field, as `rules[2].when.all[0].sub`; empty for the file as a whole. */
  readonly path: string;
  readonly message: string;
  /** `policy.json:12:5 rules[2].severity: must be one of low, medium, high, critical`. */
  readonly text: string;
}

export interface PolicyResult {
  /** The valid parts of the file (empty when the file could not be read as JSON). */
  readonly policy: ParsedPolicy;
  readonly errors: readonly PolicyError[];
}

export const EMPTY_POLICY: ParsedPolicy = { rules: [], productionMarkers: [], raiseSeverity: new Map() };
