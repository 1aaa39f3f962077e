import type { Condition, Rule } from '../rules/types';
import { SEVERITIES, Severity, severityRank } from '../verdict';
import { JsonNode, JsonSyntaxError, parseJson, Position } from './json';
import { unsafeRegex } from './regex';
import { EMPTY_POLICY, ParsedPolicy, PolicyError, PolicyResult } from './types';

/** What a policy is checked against: the built-in rules (id → severity) and detector names. */
export interface PolicyKnowledge {
  readonly ruleSeverities: ReadonlyMap<string, Severity>;
  readonly detectors: ReadonlySet<string>;
}

export const POLICY_FIELDS = ['$schema', 'version', 'rules', 'productionMarkers', 'raiseSeverity'] as const;
export const RULE_FIELDS = ['id', 'tools', 'when', 'severity', 'title', 'why', 'saferAlternative', 'productionOnly'] as const;

export const LIMITS = {
  rules: 500,
  markers: 100,
  tools: 50,
  conditionDepth: 12,
  conditionItems: 50,
  glob: 200,
  globStars: 8,
  title: 200,
  why: 4000,
  saferAlternative: 2000,
  skip: 100,
} as const;

export const POLICY_RULE_ID = /^policy\.[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$/;
export const TOOL_NAME = /^([a-z0-9_][a-z0-9._+-]{0,63}|\*|>)$/;
export const OPTION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Field names people reach for when they want to loosen; named in the error so it says why. */
const LOOSENING = /^(disable[ds]?|disabled?rules|enabled?|allow(list|ed|edcommands)?|whitelist|ignore[ds]?|ignorerules|exclude[ds]?|exceptions?|skip(rules)?|remove(rules)?|lower(severity)?|severityoverrides?|overrides?|downgrade|off|trust(ed)?(commands)?|bypass|suppress(ions)?)$/i;
const TIGHTEN_ONLY = 'a policy can only add rules and production markers and raise severities; it cannot disable, allow, lower or remove anything';

/** A policy is a few hundred rules; a larger file is refused before it is parsed (53 MB took 4.4 s and 1.8 GB). */
export const MAX_POLICY_BYTES = 1024 * 1024;

/** The error for a policy file of `size` bytes (or characters), when that is more than a policy may be. */
export function oversizedPolicy(file: string, size: number): PolicyError | undefined {
  if (size <= MAX_POLICY_BYTES) return undefined;
  return makeError(file, { line: 1, column: 1 }, '', `the file is larger than 1 MiB (${MAX_POLICY_BYTES} bytes), the most a policy file may be; none of it applies`);
}

/** Reads and validates a policy file. Pure: it gets the text, never the file system. */
export function validatePolicy(text: string, file: string, known: PolicyKnowledge): PolicyResult {
  // UTF-16 units never outnumber UTF-8 bytes, so this refuses no file the byte cap lets through.
  const oversized = oversizedPolicy(file, text.length);
  if (oversized) return { policy: EMPTY_POLICY, errors: [oversized] };
  const errors: PolicyError[] = [];
  let root: JsonNode;
  try {
    root = parseJson(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    errors.push(makeError(file, error.at, '', `invalid JSON: ${error.message}`));
    return { policy: EMPTY_POLICY, errors };
  }
  const policy = new Validator(file, known, errors).policy(root);
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  return { policy, errors };
}

function makeError(file: string, at: Position, path: string, message: string): PolicyError {
  return { file, line: at.line, column: at.column, path, message, text: `${file}:${at.line}:${at.column} ${path ? `${path}: ` : ''}${message}` };
}

const kindName = (n: JsonNode): string => (n.kind === 'null' ? 'null' : n.kind === 'object' ? 'an object' : n.kind === 'array' ? 'an array' : `a ${n.kind}`);

/** Thrown inside one part (a rule, a marker) to drop that part; the error is already recorded. */
class Invalid extends Error {}

class Validator {
  constructor(
    private readonly file: string,
    private readonly known: PolicyKnowledge,
    private readonly errors: PolicyError[],
  ) {}

  private fail(at: Position, path: string, message: string): never {
    this.errors.push(makeError(this.file, at, path, message));
    throw new Invalid();
  }

  /** Runs one part; an error in it drops the part and the rest carries on. */
  private part<T>(f: () => T): T | undefined {
    try {
      return f();
    } catch (error) {
      if (error instanceof Invalid) return undefined;
      throw error;
    }
  }

  /** The object's fields, refusing duplicates and fields not in `allowed`. Bad fields are reported and left out. */
  private fields(node: JsonNode, path: string, allowed: readonly string[], what: string): Map<string, JsonNode> {
    if (node.kind !== 'object') this.fail(node.at, path, `must be an object, found ${kindName(node)}`);
    const out = new Map<string, JsonNode>();
    for (const e of node.entries) {
      const where = path ? `${path}.${e.key}` : e.key;
      this.part(() => {
        if (out.has(e.key)) this.fail(e.keyAt, where, `duplicate field "${e.key}"`);
        if (!allowed.includes(e.key)) {
          const hint = LOOSENING.test(e.key) ? TIGHTEN_ONLY : `${what} fields are ${allowed.join(', ')}`;
          this.fail(e.keyAt, where, `unknown field "${e.key}"; ${hint}`);
        }
        out.set(e.key, e.value);
      });
    }
    return out;
  }

  private str(node: JsonNode, path: string, max: number): string {
    if (node.kind !== 'string') this.fail(node.at, path, `must be a string, found ${kindName(node)}`);
    if (node.value.trim() === '') this.fail(node.at, path, 'must not be empty');
    if (node.value.length > max) this.fail(node.at, path, `is ${node.value.length} characters long; at most ${max}`);
    return node.value;
  }

  private arr(node: JsonNode, path: string, min: number, max: number): readonly JsonNode[] {
    if (node.kind !== 'array') this.fail(node.at, path, `must be an array, found ${kindName(node)}`);
    if (node.items.length < min) this.fail(node.at, path, `must have at least ${min} item${min === 1 ? '' : 's'}`);
    if (node.items.length > max) this.fail(node.at, path, `has ${node.items.length} items; at most ${max}`);
    return node.items;
  }

  private regex(node: JsonNode, path: string): string {
    if (node.kind !== 'string') this.fail(node.at, path, `must be a regular expression as a string, found ${kindName(node)}`);
    const problem = unsafeRegex(node.value);
    if (problem) this.fail(node.at, path, problem);
    return node.value;
  }

  private severity(node: JsonNode, path: string): Severity {
    if (node.kind !== 'string' || !(SEVERITIES as readonly string[]).includes(node.value)) {
      this.fail(node.at, path, `must be one of ${SEVERITIES.join(', ')}`);
    }
    return node.value as Severity;
  }

  policy(root: JsonNode): ParsedPolicy {
    let top: Map<string, JsonNode>;
    try {
      top = this.fields(root, '', POLICY_FIELDS, 'policy');
    } catch (error) {
      if (error instanceof Invalid) return EMPTY_POLICY;
      throw error;
    }
    const schema = top.get('$schema');
    if (schema) this.part(() => this.str(schema, '$schema', 2000));
    const version = top.get('version');
    if (version) this.part(() => version.kind === 'number' && version.value === 1 ? 1 : this.fail(version.at, 'version', 'must be 1'));

    const rules: Rule[] = [];
    const rulesNode = top.get('rules');
    if (rulesNode) {
      const items = this.part(() => this.arr(rulesNode, 'rules', 0, LIMITS.rules)) ?? [];
      const ids = new Set<string>();
      items.forEach((item, i) => {
        const rule = this.part(() => this.rule(item, `rules[${i}]`, ids));
        if (rule) rules.push(rule);
      });
    }

    const productionMarkers: string[] = [];
    const markersNode = top.get('productionMarkers');
    if (markersNode) {
      const items = this.part(() => this.arr(markersNode, 'productionMarkers', 0, LIMITS.markers)) ?? [];
      items.forEach((item, i) => {
        const marker = this.part(() => this.regex(item, `productionMarkers[${i}]`));
        if (marker !== undefined) productionMarkers.push(marker);
      });
    }

    const raiseSeverity = new Map<string, Severity>();
    const raiseNode = top.get('raiseSeverity');
    if (raiseNode) {
      const entries = this.part(() => (raiseNode.kind === 'object' ? raiseNode.entries : this.fail(raiseNode.at, 'raiseSeverity', `must be an object mapping built-in rule ids to severities, found ${kindName(raiseNode)}`))) ?? [];
      for (const e of entries) {
        const path = `raiseSeverity[${JSON.stringify(e.key)}]`;
        this.part(() => {
          if (raiseSeverity.has(e.key)) this.fail(e.keyAt, path, `duplicate rule id "${e.key}"`);
          const current = this.known.ruleSeverities.get(e.key);
          if (current === undefined) {
            const why = rules.some((r) => r.id === e.key) ? '; set the severity on the policy rule itself' : '';
            const near = closest(e.key, [...this.known.ruleSeverities.keys()]);
            this.fail(e.keyAt, path, `unknown rule id "${e.key}"${near ? ` (did you mean ${near}?)` : ''}; only built-in rules can be raised${why}`);
          }
          const wanted = this.severity(e.value, path);
          if (severityRank(wanted) < severityRank(current)) {
            this.fail(e.value.at, path, `would lower ${e.key} from ${current} to ${wanted}; ${TIGHTEN_ONLY}`);
          }
          raiseSeverity.set(e.key, wanted);
        });
      }
    }
    return { rules, productionMarkers, raiseSeverity };
  }

  private rule(node: JsonNode, path: string, ids: Set<string>): Rule {
    // Report every problem in the rule, then drop it if there was any.
    const before = this.errors.length;
    const f = this.fields(node, path, RULE_FIELDS, 'rule');
    const get = <T>(name: string, read: (n: JsonNode, p: string) => T, required: boolean): T | undefined =>
      this.part(() => {
        const n = f.get(name);
        if (n === undefined) {
          if (required) this.fail(node.at, path, `missing required field "${name}"`);
          return undefined;
        }
        return read(n, `${path}.${name}`);
      });

    const id = get('id', (n, p) => {
      const s = this.str(n, p, 200);
      if (this.known.ruleSeverities.has(s)) this.fail(n.at, p, `"${s}" is a built-in rule; a policy cannot redefine it (to make it stricter, use raiseSeverity). Policy rule ids start with "policy."`);
      if (!POLICY_RULE_ID.test(s)) this.fail(n.at, p, `must start with "policy." followed by lower-case words (like policy.no-helm-uninstall)`);
      if (ids.has(s)) this.fail(n.at, p, `duplicate rule id "${s}"`);
      ids.add(s);
      return s;
    }, true);
    const tools = get('tools', (n, p) => this.each(this.arr(n, p, 1, LIMITS.tools), (t, i) => {
      const s = this.str(t, `${p}[${i}]`, 64);
      if (!TOOL_NAME.test(s)) this.fail(t.at, `${p}[${i}]`, 'must be a command name in lower case without a path (like helm), "*" for every command, or ">" for redirects');
      return s;
    }), true);
    const when = get('when', (n, p) => this.condition(n, p, 0), false);
    const severity = get('severity', (n, p) => this.severity(n, p), true);
    const title = get('title', (n, p) => this.str(n, p, LIMITS.title), true);
    const why = get('why', (n, p) => this.str(n, p, LIMITS.why), true);
    const saferAlternative = get('saferAlternative', (n, p) => this.str(n, p, LIMITS.saferAlternative), true);
    const productionOnly = get('productionOnly', (n, p) => (n.kind === 'boolean' ? n.value : this.fail(n.at, p, `must be true or false, found ${kindName(n)}`)), false);
    if (this.errors.length > before) throw new Invalid();
    return {
      id: id!,
      tools: tools!,
      ...(when ? { when } : {}),
      severity: severity!,
      title: title!,
      why: why!,
      saferAlternative: saferAlternative!,
      ...(productionOnly ? { productionOnly } : {}),
    };
  }

  /** Reads every item, reporting each bad one; the part fails (after all are reported) if any was bad. */
  private each<T>(items: readonly JsonNode[], read: (n: JsonNode, i: number) => T): T[] {
    const out: T[] = [];
    let bad = false;
    items.forEach((n, i) => {
      const v = this.part(() => read(n, i));
      if (v === undefined) bad = true;
      else out.push(v);
    });
    if (bad) throw new Invalid();
    return out;
  }

  private glob(node: JsonNode, path: string): string {
    const s = this.str(node, path, LIMITS.glob);
    if ((s.match(/\*/g)?.length ?? 0) > LIMITS.globStars) this.fail(node.at, path, `has more than ${LIMITS.globStars} '*' wildcards`);
    return s;
  }

  private skip(node: JsonNode | undefined, path: string): number | undefined {
    if (node === undefined) return undefined;
    if (node.kind !== 'number' || !Number.isInteger(node.value) || node.value < 0 || node.value > LIMITS.skip) {
      this.fail(node.at, path, `must be a whole number from 0 to ${LIMITS.skip}`);
    }
    return node.value;
  }

  private option(node: JsonNode, path: string): string {
    const s = this.str(node, path, 64);
    if (s.startsWith('-')) this.fail(node.at, path, `option names are written without dashes ("${s.replace(/^-+/, '')}")`);
    if (!OPTION_NAME.test(s)) this.fail(node.at, path, 'must be an option name (letters, digits, - . _)');
    return s;
  }

  /** One Condition; exactly one kind key, with only that kind's companion fields. */
  private condition(node: JsonNode, path: string, depth: number): Condition {
    if (depth > LIMITS.conditionDepth) this.fail(node.at, path, `conditions nest more than ${LIMITS.conditionDepth} deep`);
    if (node.kind !== 'object') this.fail(node.at, path, `must be a condition object, found ${kindName(node)}`);
    const kinds = CONDITION_KINDS.filter((k) => node.entries.some((e) => e.key === k));
    if (kinds.length !== 1) {
      this.fail(node.at, path, kinds.length === 0 ? `must have one of the fields ${CONDITION_KINDS.join(', ')}` : `has both "${kinds[0]}" and "${kinds[1]}"; use all/any to combine conditions`);
    }
    const kind = kinds[0];
    const f = this.fields(node, path, [kind, ...(COMPANIONS[kind] ?? [])], `a "${kind}" condition's`);
    const at = (k: string): string => `${path}.${k}`;
    const value = f.get(kind)!;
    switch (kind) {
      case 'sub':
        return { sub: this.each(this.arr(value, at(kind), 1, LIMITS.conditionItems), (g, i) => this.glob(g, `${at(kind)}[${i}]`)) };
      case 'anyPositional': {
        const skip = this.skip(f.get('skip'), at('skip'));
        return { anyPositional: this.glob(value, at(kind)), ...(skip !== undefined ? { skip } : {}) };
      }
      case 'positionalMatches': {
        const skip = this.skip(f.get('skip'), at('skip'));
        return { positionalMatches: this.regex(value, at(kind)), ...(skip !== undefined ? { skip } : {}) };
      }
      case 'option':
        return { option: this.each(this.arr(value, at(kind), 1, LIMITS.conditionItems), (o, i) => this.option(o, `${at(kind)}[${i}]`)) };
      case 'optionValue': {
        const names = this.each(this.arr(value, at(kind), 1, LIMITS.conditionItems), (o, i) => this.option(o, `${at(kind)}[${i}]`));
        const matches = f.get('matches');
        if (!matches) this.fail(node.at, path, 'an "optionValue" condition needs "matches" (a regular expression for the value)');
        return { optionValue: names, matches: this.regex(matches, at('matches')) };
      }
      case 'env': {
        const vm = f.get('valueMatches');
        return { env: this.regex(value, at(kind)), ...(vm ? { valueMatches: this.regex(vm, at('valueMatches')) } : {}) };
      }
      case 'detect': {
        if (value.kind !== 'string' || !this.known.detectors.has(value.value)) {
          const name = value.kind === 'string' ? value.value : '';
          const prefix = name.includes('.') ? name.slice(0, name.indexOf('.') + 1) : undefined;
          const same = [...this.known.detectors].filter((d) => prefix !== undefined && d.startsWith(prefix)).sort();
          const hint = same.length > 0 ? `; detectors of that pack: ${same.join(', ')}` : '; a detector is named <pack>.<check>, like terraform.answers-prompt';
          this.fail(value.at, at(kind), `unknown detector ${value.kind === 'string' ? `"${name}"` : kindName(value)}${hint}`);
        }
        const arg = f.get('arg');
        return { detect: value.value, ...(arg ? { arg: this.str(arg, at('arg'), 200) } : {}) };
      }
      case 'all':
      case 'any': {
        const items = this.each(this.arr(value, at(kind), 1, LIMITS.conditionItems), (c, i) => this.condition(c, `${at(kind)}[${i}]`, depth + 1));
        return kind === 'all' ? { all: items } : { any: items };
      }
      default:
        return { not: this.condition(value, at(kind), depth + 1) };
    }
  }
}

export const CONDITION_KINDS = ['sub', 'anyPositional', 'positionalMatches', 'option', 'optionValue', 'env', 'detect', 'all', 'any', 'not'] as const;
const COMPANIONS: Partial<Record<(typeof CONDITION_KINDS)[number], readonly string[]>> = {
  anyPositional: ['skip'],
  positionalMatches: ['skip'],
  optionValue: ['matches'],
  env: ['valueMatches'],
  detect: ['arg'],
};

/** The id within a small edit distance of `word`, for a "did you mean" hint. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word, c, bestDistance);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}
