/**
 * The shipped JSON Schema (schemas/policy.schema.json, the one VS Code shows for the file) is the one
 * enforced: ajv checks the policy against it, and each error is said in one line, in the policy
 * author's terms. Messages the schema carries itself (errorMessage, patternErrorMessage: VS Code shows
 * them too) win over the generic ones.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import policySchema from '../../../schemas/policy.schema.json';
import type { Segment } from './json';
import { isRecord } from '../json';

/** A problem found in the policy's value, at `path`: the value there, or (`key`) the key naming it. */
export interface Problem {
  readonly path: readonly Segment[];
  readonly message: string;
  readonly key?: boolean;
}

export const TIGHTEN_ONLY = 'a policy can only add rules and production markers and raise severities; it cannot disable, allow, lower or remove anything';

/** Field names people reach for when they want to loosen; named in the error so it says why. */
const LOOSENING = /^(disable[ds]?|disabled?rules|enabled?|allow(list|ed|edcommands)?|whitelist|ignore[ds]?|ignorerules|exclude[ds]?|exceptions?|skip(rules)?|remove(rules)?|lower(severity)?|severityoverrides?|overrides?|downgrade|off|trust(ed)?(commands)?|bypass|suppress(ions)?)$/i;

interface SchemaNode {
  readonly properties?: Record<string, unknown>;
  readonly errorMessage?: string;
  readonly patternErrorMessage?: string;
}

/** A condition is one of its kinds; each oneOf branch requires its kind's key. */
const CONDITION = policySchema.definitions.condition;
const CONDITION_KINDS = CONDITION.oneOf.map((branch) => branch.required[0]);

let compiled: ValidateFunction | undefined;

/**
 * Loaded and compiled on first use, once per process: a CLI call or hook in a workspace without a policy
 * never pays for ajv (about 10 ms to load, tens of milliseconds to generate the checking code). The
 * schema is ours, so it is not checked against the draft-07 meta-schema here (a unit test does) and the
 * generated code is not optimised: both would cost more time than one file's check saves. Strict mode
 * makes any keyword ajv does not know an error, not a console warning.
 */
function validator(): ValidateFunction {
  if (!compiled) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: Ajv } = require('ajv') as typeof import('ajv');
    compiled = new Ajv({
      allErrors: true,
      verbose: true,
      strict: true,
      validateSchema: false,
      code: { optimize: false },
      keywords: ['errorMessage', 'patternErrorMessage'],
    }).compile(policySchema);
  }
  return compiled;
}

/**
 * What the schema finds wrong with `value`, and the paths whose problems are only noise (inside a
 * condition that has no kind, or several).
 */
export function schemaProblems(value: unknown): { problems: Problem[]; noise: Segment[][] } {
  const validate = validator();
  if (validate(value)) return { problems: [], noise: [] };
  const errors = validate.errors ?? [];
  const problems: Problem[] = [];
  const noise: Segment[][] = [];
  const dropped = new Set<ErrorObject>();
  // ajv reports every branch of a failed condition oneOf; keep only the branch of the kind written.
  for (const e of errors) {
    if (e.keyword !== 'oneOf' || e.parentSchema !== CONDITION) continue;
    dropped.add(e);
    const data: unknown = e.data;
    const branches = `${e.schemaPath}/`;
    const written = isRecord(data) ? CONDITION_KINDS.filter((k) => Object.hasOwn(data, k)) : [];
    const kept = written.length === 1 ? `${branches}${CONDITION_KINDS.indexOf(written[0])}/` : undefined;
    for (const other of errors) {
      if (other.instancePath === e.instancePath && other.schemaPath.startsWith(branches) && !(kept && other.schemaPath.startsWith(kept))) dropped.add(other);
    }
    if (!isRecord(data) || written.length === 1) continue; // a non-object has its type error
    const path = segments(e.instancePath, value);
    noise.push(path);
    problems.push({
      path,
      message: written.length === 0 ? `must have one of the fields ${CONDITION_KINDS.join(', ')}` : `has both "${written[0]}" and "${written[1]}"; use all/any to combine conditions`,
    });
  }
  for (const e of errors) {
    if (dropped.has(e) || e.keyword === 'propertyNames') continue; // its inner error says which name
    const path = segments(e.instancePath, value);
    const additional = e.keyword === 'additionalProperties' ? (e.params as { additionalProperty: string }).additionalProperty : undefined;
    if (additional !== undefined) problems.push({ path: [...path, additional], key: true, message: unknownField(additional, e.parentSchema as SchemaNode) });
    else if (e.propertyName !== undefined) problems.push({ path: [...path, e.propertyName], key: true, message: messageOf(e) });
    else problems.push({ path, message: messageOf(e) });
  }
  return { problems, noise };
}

function unknownField(name: string, schema: SchemaNode): string {
  return `unknown field "${name}"; ${LOOSENING.test(name) ? TIGHTEN_ONLY : `the fields here are ${Object.keys(schema.properties ?? {}).join(', ')}`}`;
}

const TYPE_NAMES: Record<string, string> = { object: 'an object', array: 'an array', string: 'a string', integer: 'a whole number', number: 'a number', boolean: 'true or false' };

/** One line for one of ajv's errors. */
function messageOf(e: ErrorObject): string {
  const schema = e.parentSchema as SchemaNode;
  const limit = (e.params as { limit?: number }).limit;
  switch (e.keyword) {
    case 'type':
      return `${schema.errorMessage ?? `must be ${TYPE_NAMES[(e.params as { type: string }).type]}`}, found ${kindOf(e.data)}`;
    case 'enum':
      return schema.errorMessage ?? `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    case 'const':
      return schema.errorMessage ?? `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
    case 'minimum':
    case 'maximum':
      return schema.errorMessage ?? `must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${limit}`;
    case 'pattern':
      return schema.patternErrorMessage ?? `must match ${(e.params as { pattern: string }).pattern}`;
    case 'required':
      return `missing required field "${(e.params as { missingProperty: string }).missingProperty}"`;
    case 'minLength':
      return limit === 1 ? 'must not be empty' : `must be at least ${limit} characters long`;
    case 'maxLength':
      return `is ${(e.data as string).length} characters long; at most ${limit}`;
    case 'minItems':
      return `must have at least ${limit} item${limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `has ${(e.data as unknown[]).length} items; at most ${limit}`;
    default:
      return e.message ?? e.keyword;
  }
}

/** The path of a JSON pointer into `value`: array indexes as numbers, as the tree looks them up. */
function segments(pointer: string, value: unknown): Segment[] {
  let at = value;
  return pointer
    .split('/')
    .slice(1)
    .map((raw) => {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      const segment = Array.isArray(at) ? Number(key) : key;
      at = isRecord(at) || Array.isArray(at) ? (Object.hasOwn(at, segment) ? (at as Record<Segment, unknown>)[segment] : undefined) : undefined;
      return segment;
    });
}


function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
