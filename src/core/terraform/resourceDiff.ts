/**
 * One resource's before/after as a unified diff, for the review panel. Values are rendered as
 * stable text (keys sorted, one attribute per line) so the diff shows exactly what changes.
 * Sensitive values are masked from before_sensitive/after_sensitive, and values Terraform will only
 * learn during apply read "(known after apply)".
 */
import { formatPatch, OMIT_HEADERS, structuredPatch } from 'diff';
import { changeAddress, PlanChange, PlanJson, PlanResourceChange } from './plan';
import { childAt, isObject, JsonObject, JsonValue, marksAnything, sameJson } from './planValues';
import type { ResourceDiff } from './types';

const SENSITIVE = '(sensitive value)';
const SENSITIVE_CHANGED = '(sensitive value, changed)';
const UNKNOWN = '(known after apply)';
const CONTEXT_LINES = 3;

/**
 * Plans made before Terraform 0.15 carry no sensitivity marks at all; for those, string attributes
 * whose names usually hold secrets are masked instead, so a password in an old plan is not shown.
 */
const SECRET_NAME = /(^|_)(password|secret|token|private_key)(_|$)/i;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** What Terraform says about a value: sensitive, unknown until apply; and its value before, when compared. */
interface Marks {
  readonly sensitive: JsonValue | undefined;
  readonly unknown: JsonValue | undefined;
  /** The value at the same place before the change; undefined on the before side and for creates. */
  readonly previous?: JsonValue;
}

function childMarks(marks: Marks, step: string | number): Marks {
  return { sensitive: childAt(marks.sensitive, step), unknown: childAt(marks.unknown, step), ...(marks.previous !== undefined ? { previous: childAt(marks.previous, step) } : {}) };
}

/** An object's keys plus those only `after_unknown` names (attributes with no value until apply), sorted. */
function memberKeys(object: JsonObject, unknown: JsonValue | undefined): string[] {
  const keys = new Set(Object.keys(object));
  if (isObject(unknown)) for (const [key, mark] of Object.entries(unknown)) if (marksAnything(mark)) keys.add(key);
  return [...keys].sort();
}

/**
 * Renders a value as indented text, masking what its marks say to hide. A masked value that differs
 * from its previous value says so, as Terraform's own plan output does, without showing either.
 */
class Renderer {
  readonly masked = new Set<string>();
  constructor(private readonly guessSecrets: boolean) {}

  resource(value: JsonValue | undefined, marks: Marks): string {
    if (!isObject(value)) return '';
    const lines: string[] = [];
    if (marks.sensitive === true) this.value(value, marks, '', '', '', '', lines);
    else this.members(value, marks, '', '', lines);
    return lines.map((line) => `${line}\n`).join('');
  }

  private members(object: JsonObject, marks: Marks, path: string, indent: string, lines: string[]): void {
    for (const key of memberKeys(object, marks.unknown)) {
      const name = IDENTIFIER.test(key) ? key : JSON.stringify(key);
      const child = childMarks(marks, key);
      const secret = this.guessSecrets && typeof object[key] === 'string' && SECRET_NAME.test(key);
      this.value(object[key], secret ? { ...child, sensitive: true } : child, `${path}.${key}`, indent, `${name} = `, '', lines);
    }
  }

  private value(value: JsonValue | undefined, marks: Marks, path: string, indent: string, prefix: string, suffix: string, lines: string[]): void {
    if (marks.sensitive === true) {
      this.masked.add(path);
      const changed = marks.previous !== undefined && !sameJson(marks.previous, value);
      lines.push(`${indent}${prefix}${changed ? SENSITIVE_CHANGED : SENSITIVE}${suffix}`);
    } else if (marks.unknown === true) {
      lines.push(`${indent}${prefix}${UNKNOWN}${suffix}`);
    } else if (Array.isArray(value) && value.length > 0) {
      lines.push(`${indent}${prefix}[`);
      value.forEach((item: JsonValue, i) => this.value(item, childMarks(marks, i), `${path}[${i}]`, `${indent}  `, '', ',', lines));
      lines.push(`${indent}]${suffix}`);
    } else if (isObject(value) && memberKeys(value, marks.unknown).length > 0) {
      lines.push(`${indent}${prefix}{`);
      this.members(value, marks, path, `${indent}  `, lines);
      lines.push(`${indent}}${suffix}`);
    } else {
      lines.push(`${indent}${prefix}${value === undefined ? 'null' : JSON.stringify(value)}${suffix}`);
    }
  }
}

/** Entries by address, built once per plan: the panel asks for many diffs of the same plan. */
const indexes = new WeakMap<PlanJson, Map<string, PlanResourceChange>>();

function findChange(plan: PlanJson, address: string): PlanResourceChange | undefined {
  let index = indexes.get(plan);
  if (!index) {
    index = new Map((plan.resource_changes ?? []).map((entry) => [changeAddress(entry), entry]));
    indexes.set(plan, index);
  }
  return index.get(address);
}

/** Before and after of one change as text, with the count of masked values. */
function renderChange(change: PlanChange): { before: string; after: string; masked: number } {
  const renderer = new Renderer(change.before_sensitive === undefined && change.after_sensitive === undefined);
  const before = renderer.resource(change.before, { sensitive: change.before_sensitive, unknown: undefined });
  const previous = isObject(change.before) ? { previous: change.before } : {};
  const after = renderer.resource(change.after, { sensitive: change.after_sensitive, unknown: change.after_unknown, ...previous });
  return { before, after, masked: renderer.masked.size };
}

/**
 * The unified diff (no file headers) of one resource change, found by its address as in
 * ResourceChange.address (deposed objects carry their "(deposed object KEY)" suffix). Creates show
 * only additions, deletes only removals; an unchanged resource gives an empty diff.
 */
export function resourceDiff(plan: PlanJson, address: string): ResourceDiff | undefined {
  const entry = findChange(plan, address);
  return entry && diffOf(entry, address);
}

/**
 * The diff of one `resource_changes` entry from its JSON text, as the streamed analysis found it
 * (PlanReader's spans) and the preview read it again on request; undefined unless it is the entry
 * for `address`.
 */
export function entryDiff(entryText: string, address: string): ResourceDiff | undefined {
  const change = readChange(entryText, address);
  return change && diffOf(change, address);
}

/** A `resource_changes` entry's text read back, when it is the change of `address`. */
export function readChange(entryText: string, address: string): PlanResourceChange | undefined {
  let entry: unknown;
  try {
    entry = JSON.parse(entryText);
  } catch {
    return undefined;
  }
  if (!isObject(entry) || !isObject(entry.change) || typeof entry.address !== 'string') return undefined;
  const change = entry as unknown as PlanResourceChange;
  return changeAddress(change) === address ? change : undefined;
}

function diffOf(entry: PlanResourceChange, address: string): ResourceDiff {
  const { before, after, masked } = renderChange(entry.change);
  const patch = structuredPatch(address, address, before, after, undefined, undefined, { context: CONTEXT_LINES });
  return { address, unified: patch.hunks.length === 0 ? '' : formatPatch(patch, OMIT_HEADERS), masked };
}
