import type { EngineConfig } from '../engine/analyze';
import { configFromPacks } from '../rules/catalog';
import type { RulePack } from '../rules/types';
import { maxSeverity, Severity } from '../verdict';
import type { ParsedPolicy, PolicyResult } from './types';
import { PolicyKnowledge, validatePolicy } from './validate';

export type { ParsedPolicy, PolicyError, PolicyResult } from './types';
export { EMPTY_POLICY } from './types';
export { MAX_POLICY_BYTES, oversizedPolicy } from './validate';

/** Where a workspace keeps its policy, relative to the workspace root. */
export const POLICY_FILE = '.countersign/policy.json';

/** What a policy is checked against: these packs' rule ids, severities and detectors. */
export function knowledgeOf(packs: readonly RulePack[]): PolicyKnowledge {
  const ruleSeverities = new Map<string, Severity>();
  const detectors = new Set<string>();
  for (const pack of packs) {
    for (const rule of pack.rules) ruleSeverities.set(rule.id, rule.severity);
    for (const name of Object.keys(pack.detectors ?? {})) detectors.add(name);
  }
  return { ruleSeverities, detectors };
}

/**
 * Reads `.countersign/policy.json` text. Pure: no file system. Every problem is reported with its
 * line, column and field path; the valid parts are kept (each rule, marker and raise on its own),
 * so the policy that applies is always the built-in rules plus whatever part of the file is valid.
 * A file that is not JSON at all contributes nothing.
 */
export function parsePolicyWith(text: string, fileName: string, packs: readonly RulePack[]): PolicyResult {
  return validatePolicy(text, fileName, knowledgeOf(packs));
}

/**
 * The engine tables for `packs` with a policy applied. Defensive about its input even though
 * parsePolicy already checked it: severities only go up, and policy rules can never replace a
 * built-in rule (ids outside `policy.` are ignored).
 */
export function configWithPolicy(packs: readonly RulePack[], markers: readonly string[], policy: ParsedPolicy | undefined): EngineConfig {
  if (!policy) return configFromPacks(packs, markers);
  const raised: RulePack[] = packs.map((pack) => ({
    ...pack,
    rules: pack.rules.map((rule) => {
      const wanted = policy.raiseSeverity.get(rule.id);
      return wanted ? { ...rule, severity: maxSeverity(rule.severity, wanted) } : rule;
    }),
  }));
  const builtIn = new Set(packs.flatMap((p) => p.rules.map((r) => r.id)));
  const extra = policy.rules.filter((r) => r.id.startsWith('policy.') && !builtIn.has(r.id));
  return configFromPacks([...raised, { id: 'policy', rules: extra }], [...markers, ...policy.productionMarkers]);
}
