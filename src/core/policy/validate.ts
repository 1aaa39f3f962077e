import type { Rule } from '../rules/types';
import { SEVERITIES, Severity, severityRank } from '../verdict';
import type { Node } from 'jsonc-parser';
import { JsonDocument, JsonSyntaxError, parseJson, Position, Segment } from './json';
import { unsafeRegex } from './regex';
import { isRecord } from '../json';
import { Problem, schemaProblems, TIGHTEN_ONLY } from './schema';
import { EMPTY_POLICY, ParsedPolicy, PolicyError, PolicyResult } from './types';

/** What a policy is checked against: the built-in rules (id → severity) and detector names. */
export interface PolicyKnowledge {
  readonly ruleSeverities: ReadonlyMap<string, Severity>;
  readonly detectors: ReadonlySet<string>;
}

/** A policy is a few hundred rules; a larger file is refused before it is parsed (53 MB took 4.4 s and 1.8 GB). */
export const MAX_POLICY_BYTES = 1024 * 1024;

/** Conditions nest at most this deep under `when` (a recursive $ref, so not the schema's to say). */
const MAX_CONDITION_DEPTH = 12;

/** The fields of a condition that hold a regular expression. */
const REGEX_FIELDS = ['positionalMatches', 'matches', 'env', 'valueMatches'] as const;

/** The error for a policy file of `size` bytes (or characters), when that is more than a policy may be. */
export function oversizedPolicy(file: string, size: number): PolicyError | undefined {
  if (size <= MAX_POLICY_BYTES) return undefined;
  return makeError(file, { line: 1, column: 1 }, [], `the file is larger than 1 MiB (${MAX_POLICY_BYTES} bytes), the most a policy file may be; none of it applies`);
}

/**
 * Reads and validates a policy file. Pure: it gets the text, never the file system. The schema says
 * what shape a policy has; this adds what a schema cannot: repeated keys, ids and raises checked
 * against the built-in rules (a policy only tightens), regexes the linear-time matcher can run,
 * known detectors, and how deep conditions nest. A problem drops the smallest part that holds it (a
 * rule, a marker, a raise, or a whole list when the list itself is wrong); the rest applies.
 */
export function validatePolicy(text: string, file: string, known: PolicyKnowledge): PolicyResult {
  // UTF-16 units never outnumber UTF-8 bytes, so this refuses no file the byte cap lets through.
  const oversized = oversizedPolicy(file, text.length);
  if (oversized) return { policy: EMPTY_POLICY, errors: [oversized] };
  let doc: JsonDocument;
  try {
    doc = parseJson(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return { policy: EMPTY_POLICY, errors: [makeError(file, error.at, [], `invalid JSON: ${error.message}`)] };
  }
  const own = semanticProblems(doc.value, known);
  const ownPaths = new Set(own.map((p) => pathText(p.path)));
  const schema = schemaProblems(doc.value);
  const problems: Problem[] = [
    ...doc.duplicates.map(({ path }) => ({ path, message: `duplicate field "${path[path.length - 1]}"` })),
    ...own,
    // Where this file's own check has something to say (a built-in id, an unsafe regex), it says it better.
    ...schema.problems.filter((p) => !ownPaths.has(pathText(p.path))),
  ].filter((p) => !schema.noise.some((n) => n.length < p.path.length && n.every((s, i) => s === p.path[i])));

  const errors = new Map<string, PolicyError>();
  const duplicateAt = new Map<readonly Segment[], Node>(doc.duplicates.map((d) => [d.path, d.key]));
  for (const p of problems) {
    const node = duplicateAt.get(p.path) ?? doc.nodeAt(p.path, p.key) ?? doc.root;
    const error = makeError(file, doc.position(node.offset), p.path, p.message);
    errors.set(error.text, error);
  }
  return {
    policy: validParts(doc.value, problems),
    errors: [...errors.values()].sort((a, b) => a.line - b.line || a.column - b.column),
  };
}

/** The parts of the policy no problem falls in. */
function validParts(value: unknown, problems: readonly Problem[]): ParsedPolicy {
  const broken = new Set(problems.map((p) => pathText(p.path.slice(0, 2))));
  if (!isRecord(value) || broken.has('')) return EMPTY_POLICY;
  const items = (list: string): unknown[] => (Array.isArray(value[list]) && !broken.has(list) ? value[list] : []).filter((_, i) => !broken.has(pathText([list, i])));
  const raises = isRecord(value.raiseSeverity) && !broken.has('raiseSeverity') ? Object.entries(value.raiseSeverity) : [];
  return {
    rules: items('rules') as Rule[],
    productionMarkers: items('productionMarkers') as string[],
    raiseSeverity: new Map(raises.filter(([id]) => !broken.has(pathText(['raiseSeverity', id]))) as [string, Severity][]),
  };
}

/** What the schema cannot say; tolerant of any shape, since the schema reports shapes. */
function semanticProblems(value: unknown, known: PolicyKnowledge): Problem[] {
  const problems: Problem[] = [];
  const add = (path: Segment[], message: string, key?: boolean): void => void problems.push({ path, message, key });
  const regex = (source: unknown, path: Segment[]): void => {
    const problem = typeof source === 'string' ? unsafeRegex(source) : undefined;
    if (problem) add(path, problem);
  };
  const condition = (c: unknown, path: Segment[], depth: number): void => {
    if (!isRecord(c)) return;
    if (depth > MAX_CONDITION_DEPTH) return add(path, `conditions nest more than ${MAX_CONDITION_DEPTH} deep`);
    for (const field of REGEX_FIELDS) regex(c[field], [...path, field]);
    if (typeof c.detect === 'string' && !known.detectors.has(c.detect)) add([...path, 'detect'], unknownDetector(c.detect, known));
    for (const list of ['all', 'any'] as const) {
      const items = c[list];
      if (Array.isArray(items)) items.forEach((item, i) => condition(item, [...path, list, i], depth + 1));
    }
    if (Object.hasOwn(c, 'not')) condition(c.not, [...path, 'not'], depth + 1);
  };
  if (!isRecord(value)) return problems;

  const ids = new Set<string>();
  (Array.isArray(value.rules) ? value.rules : []).forEach((rule, i) => {
    if (!isRecord(rule)) return;
    const { id } = rule;
    if (typeof id === 'string') {
      if (known.ruleSeverities.has(id)) add(['rules', i, 'id'], `"${id}" is a built-in rule; a policy cannot redefine it (to make it stricter, use raiseSeverity). Policy rule ids start with "policy."`);
      else if (ids.has(id)) add(['rules', i, 'id'], `duplicate rule id "${id}"`);
      ids.add(id);
    }
    condition(rule.when, ['rules', i, 'when'], 0);
  });
  (Array.isArray(value.productionMarkers) ? value.productionMarkers : []).forEach((marker, i) => regex(marker, ['productionMarkers', i]));
  for (const [id, wanted] of isRecord(value.raiseSeverity) ? Object.entries(value.raiseSeverity) : []) {
    const path = ['raiseSeverity', id];
    const current = known.ruleSeverities.get(id);
    if (current === undefined) {
      const why = ids.has(id) ? '; set the severity on the policy rule itself' : '';
      const near = closest(id, [...known.ruleSeverities.keys()]);
      add(path, `unknown rule id "${id}"${near ? ` (did you mean ${near}?)` : ''}; only built-in rules can be raised${why}`, true);
    } else if ((SEVERITIES as readonly unknown[]).includes(wanted) && severityRank(wanted as Severity) < severityRank(current)) {
      add(path, `would lower ${id} from ${current} to ${wanted as string}; ${TIGHTEN_ONLY}`);
    }
  }
  return problems;
}

function unknownDetector(name: string, known: PolicyKnowledge): string {
  const prefix = name.includes('.') ? name.slice(0, name.indexOf('.') + 1) : undefined;
  const same = [...known.detectors].filter((d) => prefix !== undefined && d.startsWith(prefix)).sort();
  const hint = same.length > 0 ? `; detectors of that pack: ${same.join(', ')}` : '; a detector is named <pack>.<check>, like terraform.answers-prompt';
  return `unknown detector "${name}"${hint}`;
}

function makeError(file: string, at: Position, path: readonly Segment[], message: string): PolicyError {
  const field = pathText(path);
  return { file, line: at.line, column: at.column, path: field, message, text: `${file}:${at.line}:${at.column} ${field ? `${field}: ` : ''}${message}` };
}

/** `rules[2].when.all[0].sub`, `raiseSeverity["terraform.taint"]`. */
function pathText(path: readonly Segment[]): string {
  return path
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `${i > 0 ? '.' : ''}${s}` : `[${JSON.stringify(s)}]`))
    .join('');
}

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
