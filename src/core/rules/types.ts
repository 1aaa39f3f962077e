import type { CheckContext } from '../engine/context';
import type { CliGrammar, Invocation } from '../engine/invocation';
import type { Severity } from '../verdict';

/** What a rule says to the person reviewing: the part every rule pack fills in. */
export interface RuleText {
  readonly severity: Severity;
  readonly title: string;
  /** One paragraph: what this does and what can be lost. */
  readonly why: string;
  readonly saferAlternative: string;
}

/**
 * When a rule fires, as data. Words in `sub` are matched against the leading positionals
 * (subcommands), case-insensitively; each is a `|`-list of globs (`delete-*|terminate-*`), `*` any word.
 */
export type Condition =
  | { readonly sub: readonly string[] }
  /** Some positional (after the first `skip`) matches one of these globs. */
  | { readonly anyPositional: string; readonly skip?: number }
  /** Some positional matches this regular expression (source text, case-insensitive). */
  | { readonly positionalMatches: string; readonly skip?: number }
  /** One of these options is present (names without dashes; one letter = a short option). */
  | { readonly option: readonly string[] }
  /** One of these options has a value matching the regular expression. */
  | { readonly optionValue: readonly string[]; readonly matches: string }
  /** An environment variable from the line (prefix, assignment or export) whose name matches. */
  | { readonly env: string; readonly valueMatches?: string }
  /** A named detector in code, for what does not fit a pattern: SQL text, URLs, paths. */
  | { readonly detect: string; readonly arg?: string }
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition };

export interface Rule extends RuleText {
  /** Dotted id, pack first: `terraform.destroy`. */
  readonly id: string;
  /** argv[0] base names this rule applies to; `*` for every tool. */
  readonly tools: readonly string[];
  readonly when?: Condition;
  /** Fires only when the command acts on a production environment. */
  readonly productionOnly?: boolean;
}

/** A check that does not fit a pattern (SQL text, URLs, paths), named from rule data. */
export type Detector = (inv: Invocation, context: CheckContext, arg: string | undefined) => boolean;

/** One family of tools: how their command lines read, what is risky in them, and the checks it needs. */
export interface RulePack {
  readonly id: string;
  readonly grammars?: readonly CliGrammar[];
  readonly rules: readonly Rule[];
  /** Named checks the pack's rules use; names are global, so they start with the pack id. */
  readonly detectors?: Readonly<Record<string, Detector>>;
}
