import { Engine } from './engine/analyze';
import { configWithPolicy, parsePolicyWith } from './policy';
import type { ParsedPolicy, PolicyResult } from './policy';
import { BUILT_IN_PACKS, DEFAULT_PRODUCTION_MARKERS } from './rules/catalog';
import type { BashParser } from './shell/syntax';

export { Engine } from './engine/analyze';
export type { CheckContext } from './engine/context';
export type { FileReader } from './engine/recipes';
export type { Finding, Severity, Verdict } from './verdict';
export type { ParsedPolicy, PolicyError, PolicyResult } from './policy';
export { EMPTY_POLICY, POLICY_FILE } from './policy';

export interface EngineOptions {
  /** A workspace policy from parsePolicy: extra rules and markers, raised severities. */
  readonly policy?: ParsedPolicy;
}

/** The engine with the built-in rule packs, tightened by the workspace policy when one is given. */
export function createEngine(parser: BashParser, options: EngineOptions = {}): Engine {
  return new Engine(parser, configWithPolicy(BUILT_IN_PACKS, DEFAULT_PRODUCTION_MARKERS, options.policy));
}

/**
 * Reads the text of `.countersign/policy.json` (pure: pass the text, not a path). Returns the valid
 * parts of the policy and every error as `file:line:column field: message`. The built-in rules
 * always apply; a broken rule, marker or raise is left out on its own, and a file that is not JSON
 * adds nothing.
 */
export function parsePolicy(text: string, fileName: string): PolicyResult {
  return parsePolicyWith(text, fileName, BUILT_IN_PACKS);
}
