import type { CheckContext } from '../engine/context';
import type { Invocation } from '../engine/invocation';
import { matchesGlob } from '../policy/glob';
import { policyMatcher, type Matcher } from '../policy/regex';
import type { Condition, Detector } from './types';

const builtIn = new Map<string, RegExp>();

/**
 * Rule data holds regular expressions as text; compile each once. A source read from a workspace
 * policy is matched by RE2 in linear time (src/core/policy/regex.ts). The built-in packs' own stay on
 * the JS engine: they are reviewed code, not input; it is about four times faster on them (what
 * `npm run bench` measures); and a few use negative lookaheads (`/dev/(?!null$)…`), which RE2 lacks.
 */
export function regex(source: string): Matcher {
  const policy = policyMatcher(source);
  if (policy) return policy;
  let re = builtIn.get(source);
  if (!re) {
    re = new RegExp(source, 'i');
    builtIn.set(source, re);
  }
  return re;
}

export { matchesGlob };

export function evaluate(cond: Condition, inv: Invocation, detectors: ReadonlyMap<string, Detector>, context: CheckContext): boolean {
  if ('sub' in cond) {
    return cond.sub.every((glob, i) => i < inv.positionals.length && matchesGlob(inv.positionals[i], glob));
  }
  if ('anyPositional' in cond) {
    return inv.positionals.slice(cond.skip ?? 0).some((p) => matchesGlob(p, cond.anyPositional));
  }
  if ('positionalMatches' in cond) {
    const re = regex(cond.positionalMatches);
    return inv.positionals.slice(cond.skip ?? 0).some((p) => re.test(p));
  }
  if ('option' in cond) return cond.option.some((o) => inv.options.has(o));
  if ('optionValue' in cond) {
    const re = regex(cond.matches);
    return cond.optionValue.some((o) => (inv.options.get(o) ?? []).some((v) => re.test(v)));
  }
  if ('env' in cond) {
    const name = regex(cond.env);
    const value = cond.valueMatches === undefined ? undefined : regex(cond.valueMatches);
    for (const [k, w] of inv.env) if (name.test(k) && (!value || value.test(w.value))) return true;
    return false;
  }
  if ('detect' in cond) {
    const detector = detectors.get(cond.detect);
    if (!detector) throw new Error(`rule names an unknown detector: ${cond.detect}`);
    return detector(inv, context, cond.arg);
  }
  if ('all' in cond) return cond.all.every((c) => evaluate(c, inv, detectors, context));
  if ('any' in cond) return cond.any.some((c) => evaluate(c, inv, detectors, context));
  return !evaluate(cond.not, inv, detectors, context);
}
