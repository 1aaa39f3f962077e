import { DATA_TOOLS } from '../../engine/unknownTools';
import type { Condition, Rule } from '../types';
import { MAYBE, reachAny, type CallView, type Reach } from './evaluate';
import { detectorScopes, engineReadScopes } from './scopes';
import { SUBCOMMANDS } from './subcommands';

/** First words that run at once, unless an argument after the first matches one of `asks`. */
export interface FastWords {
  readonly words: readonly string[];
  /** Shell patterns; empty when nothing after the word matters. */
  readonly asks: readonly string[];
}

/**
 * A tool's fast path. `subcommands`: the first argument is one of the words of a group. `arguments`
 * (tools whose rules never name a subcommand, such as rm or find): there is at least one argument
 * and none matches `asks`. Anything else goes to the gate.
 */
export type FastPath = { readonly kind: 'subcommands'; readonly groups: readonly FastWords[] } | { readonly kind: 'arguments'; readonly asks: readonly string[] };

/** Tools with a fast path; a tool not in the map always asks. */
export type FastPathTable = ReadonlyMap<string, FastPath>;

/**
 * The fast path of each tool, derived from `rules` (the packs, and the workspace policy's): the calls
 * no rule can fire on and the engine reads nothing more from. Rules for `*` count for every tool;
 * productionOnly rules count as if the call were in production.
 */
export function fastPathTable(rules: readonly Rule[], tools: readonly string[]): FastPathTable {
  const table = new Map<string, FastPath>();
  for (const tool of tools) {
    // The engine knows a command by its lower-cased name, whatever case the launcher's file has.
    const name = tool.toLowerCase();
    const applicable = rules.filter((r) => r.tools.includes(name) || r.tools.includes('*'));
    // A tool no rule names has its arguments read for a command it carries (engine/unknownTools.ts).
    if (!DATA_TOOLS.has(name) && !applicable.some((r) => r.tools.includes(name))) continue;
    const fast = fastPathOf(name, applicable);
    if (fast) table.set(tool, fast);
  }
  return table;
}

function fastPathOf(tool: string, rules: readonly Rule[]): FastPath | undefined {
  const words = Object.hasOwn(SUBCOMMANDS, tool) ? SUBCOMMANDS[tool] : undefined;
  if (words) {
    const groups = new Map<string, string[]>();
    for (const word of words) {
      const r = callReach({ tool, first: word }, rules);
      if (r.kind === 'maybe') continue;
      const asks = r.kind === 'needs' ? [...r.patterns].sort() : [];
      const key = asks.join('\n');
      groups.set(key, [...(groups.get(key) ?? []), word]);
    }
    return groups.size === 0 ? undefined : { kind: 'subcommands', groups: [...groups].map(([key, list]) => ({ words: list, asks: key === '' ? [] : key.split('\n') })) };
  }
  if (rules.some((r) => r.when !== undefined && namesSubcommand(r.when))) return undefined;
  const r = callReach({ tool, first: undefined }, rules);
  if (r.kind === 'maybe' || (r.kind === 'needs' && r.patterns.includes('*'))) return undefined;
  return { kind: 'arguments', asks: r.kind === 'needs' ? [...r.patterns].sort() : [] };
}

/** How far all of a tool's rules and the engine's own reading reach one call. */
function callReach(call: CallView, rules: readonly Rule[]): Reach {
  const engine = engineReadScopes(call);
  if (engine === undefined) return MAYBE;
  // A rule without a condition fires on every call: an empty `sub` list holds for any.
  return reachAny([...rules.map((r) => r.when ?? { sub: [] }), ...engine], call, detectorScopes);
}

/** Whether a condition names a subcommand: then a first word it does not list is unknown, not harmless. */
function namesSubcommand(cond: Condition): boolean {
  if ('sub' in cond) return true;
  if ('all' in cond) return cond.all.some(namesSubcommand);
  if ('any' in cond) return cond.any.some(namesSubcommand);
  if ('not' in cond) return namesSubcommand(cond.not);
  return false;
}
