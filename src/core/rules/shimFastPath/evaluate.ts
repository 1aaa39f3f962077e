import { matchesGlob, regex } from '../conditions';
import type { Condition } from '../types';
import { containsPattern, globPatterns, matchesPattern, optionPatterns, requiredLiterals } from './patterns';

/**
 * What one call looks like to the fast path: the tool, and either its first argument (a literal
 * subcommand: it does not start with `-`) or nothing known about any argument.
 */
export interface CallView {
  readonly tool: string;
  /** Undefined in argument mode: every argument, the first included, is only seen as patterns. */
  readonly first: string | undefined;
}

/**
 * What a rule's condition (or a detector, or the engine's own reading of a tool) can need, besides
 * what Condition says: some argument matches a shell pattern, or the first argument is an option.
 */
export type Scope = Condition | { readonly argumentPattern: readonly string[] } | { readonly firstArgumentIsOption: true };

/**
 * How far a rule can reach a call: `never` (it cannot fire), `needs` (only when an argument after
 * the first — or any argument, in argument mode — matches one of `patterns`), or `maybe`.
 */
export type Reach = { readonly kind: 'never' } | { readonly kind: 'needs'; readonly patterns: readonly string[] } | { readonly kind: 'maybe' };

const NEVER: Reach = { kind: 'never' };
export const MAYBE: Reach = { kind: 'maybe' };

function needs(patterns: readonly string[]): Reach {
  return { kind: 'needs', patterns: [...new Set(patterns)] };
}

/** What a detector needs, per tool: any one of the scopes ([] for never), or undefined when not known. */
export type DetectorScopes = (detector: string, tool: string, arg: string | undefined) => readonly Scope[] | undefined;

/**
 * Evaluates a condition abstractly for a call. `sub` decides by its first glob against a literal first
 * argument; whatever depends on later arguments becomes patterns they must not match; `not` and what no
 * pattern can say are `maybe`. An `env` condition cannot hold: the gate and the gate-down check run the
 * engine on the argv alone (src/cli/shim.ts), a line with no assignments before it. Should they ever
 * check the process environment too, `env` must become `maybe` here.
 */
function reach(scope: Scope, call: CallView, detectors: DetectorScopes): Reach {
  const { first } = call;
  if ('argumentPattern' in scope) {
    return first !== undefined && scope.argumentPattern.some((p) => matchesPattern(p, first)) ? MAYBE : needs(scope.argumentPattern);
  }
  if ('firstArgumentIsOption' in scope) return first !== undefined ? NEVER : needs(['-*']);
  if ('sub' in scope) {
    if (scope.sub.length === 0) return MAYBE;
    if (first === undefined) return needs(globPatterns(mostSpecific(scope.sub)));
    if (!matchesGlob(first, scope.sub[0])) return NEVER;
    return scope.sub.length === 1 ? MAYBE : needs(globPatterns(mostSpecific(scope.sub.slice(1))));
  }
  if ('anyPositional' in scope) {
    return firstMayBe(call, scope.skip, (w) => matchesGlob(w, scope.anyPositional)) ? MAYBE : needs(globPatterns(scope.anyPositional));
  }
  if ('positionalMatches' in scope) {
    if (firstMayBe(call, scope.skip, (w) => regex(scope.positionalMatches).test(w))) return MAYBE;
    return needs(requiredLiterals(scope.positionalMatches)?.map(containsPattern) ?? ['*']);
  }
  if ('option' in scope) return needs(scope.option.flatMap(optionPatterns));
  if ('optionValue' in scope) return needs(scope.optionValue.flatMap(optionPatterns));
  if ('env' in scope) return NEVER;
  if ('detect' in scope) {
    const scopes = detectors(scope.detect, call.tool, scope.arg);
    return scopes === undefined ? MAYBE : reachAny(scopes, call, detectors);
  }
  if ('all' in scope) return reachAll(scope.all, call, detectors);
  if ('any' in scope) return reachAny(scope.any, call, detectors);
  return MAYBE;
}

/** A disjunction: never only if every scope is never; the patterns of all of them. */
export function reachAny(scopes: readonly Scope[], call: CallView, detectors: DetectorScopes): Reach {
  const patterns: string[] = [];
  for (const scope of scopes) {
    const r = reach(scope, call, detectors);
    if (r.kind === 'maybe') return MAYBE;
    if (r.kind === 'needs') patterns.push(...r.patterns);
  }
  return patterns.length === 0 ? NEVER : needs(patterns);
}

/** A conjunction: never if any part is never; else the narrowest set of patterns one part needs. */
function reachAll(scopes: readonly Scope[], call: CallView, detectors: DetectorScopes): Reach {
  let best: Reach = MAYBE;
  for (const scope of scopes) {
    const r = reach(scope, call, detectors);
    if (r.kind === 'never') return NEVER;
    if (r.kind === 'needs' && (best.kind === 'maybe' || breadth(r) < breadth(best))) best = r;
  }
  return best;
}

/** How much a set of patterns lets through to the gate: `*` all of it, otherwise more patterns more. */
function breadth(r: Reach): number {
  if (r.kind !== 'needs') return Infinity;
  return r.patterns.includes('*') ? Number.MAX_SAFE_INTEGER : r.patterns.length;
}

/** The glob of a `sub` list that narrows most: one that is not only `*`. */
function mostSpecific(globs: readonly string[]): string {
  return globs.find((g) => !/^\*+$/.test(g)) ?? globs[0];
}

/** Whether a positional test with this `skip` could hold for the literal first argument. */
function firstMayBe(call: CallView, skip: number | undefined, test: (word: string) => boolean): boolean {
  return call.first !== undefined && (skip ?? 0) === 0 && test(call.first);
}
