/**
 * Reads `terraform show -json` / `tofu show -json` output and turns it into the summary the review
 * panel and `countersign plan` show: counts by action, the changes ordered for review, drift, and
 * the blast radius (blastRadius.ts). Pure: text in, data out. Values from the plan never reach an
 * error message, so nothing secret leaks into logs.
 */
import { BlastRadius } from './blastRadius';
import { isObject, JsonObject, JsonValue, marksAnything, sameJson } from './planValues';
import type { PlanChange, PlanJson, PlanResourceChange } from './planJson';
import { AttributePath, BlastRadiusOptions, PlanAction, PlanAnalysis, REVIEW_ORDER, ResourceChange, TerraformFormatError } from './types';

// The format's types are read from here too (resourceDiff, planStream, the benchmarks).
export type { PlanChange, PlanJson, PlanResourceChange } from './planJson';

/**
 * Terraform's action lists and what each counts as. `create,forget` (Terraform 1.14+) creates a new
 * object and leaves the old one in place, unmanaged: nothing is destroyed, so it counts as a forget.
 */
const ACTIONS: ReadonlyMap<string, { action: PlanAction; replaceOrder?: ResourceChange['replaceOrder'] }> = new Map([
  ['no-op', { action: 'noop' }],
  ['create', { action: 'create' }],
  ['read', { action: 'read' }],
  ['update', { action: 'update' }],
  ['delete', { action: 'delete' }],
  ['forget', { action: 'forget' }],
  ['create,forget', { action: 'forget' }],
  ['delete,create', { action: 'replace', replaceOrder: 'delete-then-create' }],
  ['create,delete', { action: 'replace', replaceOrder: 'create-then-delete' }],
]);

const SUPPORTED_MAJOR_VERSIONS = new Set(['0', '1']);

const SHOW_JSON_HINT = 'Save the plan with `terraform plan -out=tfplan` and give the output of `terraform show -json tfplan` (or the tfplan file itself to `countersign plan`).';

export function fail(message: string): never {
  throw new TerraformFormatError(message);
}

/** Line and column of a character offset, both from 1. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Several plan documents one per line, as `terragrunt run-all show -json` writes them. */
function jsonLines(text: string): number {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length < 2) return 0;
  try {
    return lines.every((l) => isObject(JSON.parse(l))) ? lines.length : 0;
  } catch {
    return 0;
  }
}

/** What is wrong with a text that starts with "{" but is not one JSON document. */
export type JsonSyntaxProblem =
  | { readonly kind: 'ends-early' }
  | { readonly kind: 'at'; readonly line: number; readonly column: number }
  | { readonly kind: 'json-lines'; readonly documents: number }
  | { readonly kind: 'unplaced' };

/** Why the text is not JSON, and where, without quoting any of it (it may hold secrets). */
export function jsonSyntaxMessage(problem: JsonSyntaxProblem): string {
  switch (problem.kind) {
    case 'json-lines':
      return `The file holds ${problem.documents} JSON documents, one per line (terragrunt run-all?); give one plan at a time.`;
    case 'ends-early':
      return 'The file is not valid JSON: it ends early (a truncated or partly written file?).';
    case 'at':
      return `The file is not valid JSON: error at line ${problem.line}, column ${problem.column}.`;
    default:
      return 'The file is not valid JSON.';
  }
}

/** What JSON.parse's error says is wrong with the text. */
function jsonProblem(text: string, error: unknown): JsonSyntaxProblem {
  const documents = jsonLines(text);
  if (documents > 0) return { kind: 'json-lines', documents };
  const message = error instanceof Error ? error.message : '';
  if (/end of JSON input|Unterminated/i.test(message)) return { kind: 'ends-early' };
  const position = /position (\d+)/.exec(message);
  return position ? { kind: 'at', ...lineAndColumn(text, Number(position[1])) } : { kind: 'unplaced' };
}

const PLAN_TEXT = /Terraform will perform the following actions|Plan: \d+ to add|No changes\. Your infrastructure matches|OpenTofu will perform the following actions|Terraform used the selected providers|OpenTofu used the selected providers/;

function describeNotJson(text: string): string {
  if (text.includes('\u0000')) return 'is UTF-16 text (as PowerShell\'s > writes it), not UTF-8: save it as UTF-8 (`terraform show -json tfplan | Out-File -Encoding utf8 plan.json`).';
  if (text.startsWith('PK')) return `is a binary plan file, not JSON. Turn it into JSON with \`terraform show -json FILE\` (countersign plan does this itself when terraform or tofu is on PATH).`;
  if (PLAN_TEXT.test(text)) return `looks like the text terraform plan prints, not JSON. ${SHOW_JSON_HINT}`;
  return `is not JSON (it does not start with "{"). ${SHOW_JSON_HINT}`;
}

/**
 * The address an entry would have, from its parts: Terraform 0.15.2 to 1.0.0 wrote `resource_drift`
 * entries without "address" (and without "index"; hashicorp/terraform#28975), so those get the
 * resource's address.
 */
function addressFromParts(entry: JsonObject): string {
  const { module_address, mode, type, name, index } = entry;
  const key = typeof index === 'number' ? `[${index}]` : typeof index === 'string' ? `[${JSON.stringify(index)}]` : '';
  return `${typeof module_address === 'string' ? `${module_address}.` : ''}${mode === 'data' ? 'data.' : ''}${String(type)}.${String(name)}${key}`;
}

const OPTIONAL_STRINGS = ['module_address', 'action_reason', 'deposed'] as const;
const VALUES = ['before', 'after'] as const;

/** Checks one `resource_changes` / `resource_drift` entry has the fields the analysis reads. */
function checkChange(entry: unknown, where: string): void {
  if (!isObject(entry)) fail(`${where} is not an object.`);
  const { address, type, name, mode, change } = entry;
  if (typeof type !== 'string' || typeof name !== 'string') fail(`${where} is missing "type" or "name".`);
  if (typeof address !== 'string' || address === '') fail(`${where} (${addressFromParts(entry)}) has no "address".`);
  const at = `${where} (${address})`;
  if (mode !== 'managed' && mode !== 'data') fail(`${at} has mode ${JSON.stringify(mode)}; expected "managed" or "data".`);
  for (const key of OPTIONAL_STRINGS) {
    if (entry[key] !== undefined && typeof entry[key] !== 'string') fail(`${at}: "${key}" must be a string.`);
  }
  if (!isObject(change)) fail(`${at} has no "change" object.`);
  const { actions, replace_paths } = change;
  if (!Array.isArray(actions) || !actions.every((a) => typeof a === 'string')) fail(`${at}: "change.actions" must be a list of strings.`);
  if (!ACTIONS.has(actions.join(','))) fail(`${at} has actions ${JSON.stringify(actions)}, which Countersign does not know; it will not guess what they do.`);
  for (const key of VALUES) {
    const value = change[key];
    if (value !== undefined && value !== null && !isObject(value)) fail(`${at}: "change.${key}" must be an object or null.`);
  }
  if (replace_paths !== undefined && !(Array.isArray(replace_paths) && replace_paths.every(Array.isArray))) fail(`${at}: "change.replace_paths" must be a list of paths.`);
}

/**
 * One `resource_changes` / `resource_drift` entry, checked: old drift entries get the address
 * Terraform left out (the entry must be the caller's own freshly parsed object).
 */
export function checkedEntry(entry: unknown, key: 'resource_changes' | 'resource_drift', i: number): PlanResourceChange {
  if (key === 'resource_drift' && isObject(entry) && entry.address === undefined) (entry as Record<string, JsonValue>).address = addressFromParts(entry);
  checkChange(entry, `${key}[${i}]`);
  return entry as unknown as PlanResourceChange;
}

export function listError(key: 'resource_changes' | 'resource_drift'): string {
  return `"${key}" must be a list.`;
}

function checkChangeList(plan: JsonObject, key: 'resource_changes' | 'resource_drift'): void {
  const list = plan[key];
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) fail(listError(key));
  list.forEach((entry: JsonValue, i) => checkedEntry(entry, key, i));
}

/** What readPlan checks at the top of the document before its changes, read whole or streamed. */
export interface PlanTop {
  readonly keys: {
    readonly lineage: boolean;
    readonly serial: boolean;
    readonly values: boolean;
    readonly planned_values: boolean;
    readonly resource_changes: boolean;
  };
  /** Whether every key is format_version or terraform_version (or there are none). */
  readonly onlyVersionKeys: boolean;
  readonly formatVersion: unknown;
  readonly terraformVersion: unknown;
}

/** Throws the message for a document that is not a plan Countersign reads (a state, no or a newer format_version). */
export function checkTop(top: PlanTop): void {
  if (top.keys.lineage && top.keys.serial) fail(`This is a raw state file (terraform.tfstate), not a plan. ${SHOW_JSON_HINT}`);
  if (!top.keys.resource_changes && !top.keys.planned_values && (top.keys.values || top.onlyVersionKeys)) {
    fail(`This is a state (the output of \`terraform show -json\` without a plan file), not a plan. ${SHOW_JSON_HINT}`);
  }
  const version = top.formatVersion;
  if (version === undefined) fail(`The JSON has no "format_version", so it is not \`terraform show -json\` output. ${SHOW_JSON_HINT}`);
  if (typeof version !== 'string' || !/^\d+\.\d+$/.test(version)) fail(`"format_version" must be a version such as "1.2".`);
  const major = version.split('.')[0];
  if (!SUPPORTED_MAJOR_VERSIONS.has(major)) fail(`The plan's format_version ${version} is newer than this Countersign reads (0.x and 1.x). Update Countersign.`);
  if (top.terraformVersion !== undefined && typeof top.terraformVersion !== 'string') fail('"terraform_version" must be a string.');
}

/** Why a text that does not start with "{" is not a plan, from its first non-blank character on ('' when it is blank). */
export function notJsonMessage(start: string): string {
  return start === '' ? 'The plan file is empty.' : `The file ${describeNotJson(start)}`;
}

/**
 * Parses `terraform show -json PLANFILE` output and checks its shape. Throws TerraformFormatError
 * with a message a person can act on: not JSON (and where), a state rather than a plan, plan text,
 * a binary plan file, a missing or unsupported format_version, a malformed change. For output too
 * large to hold whole, PlanReader (planStream.ts) reads it as it arrives, with the same messages.
 */
export function readPlan(text: string): PlanJson {
  const body = text.replace(/^\uFEFF/, '');
  const start = body.trimStart();
  if (!start.startsWith('{')) fail(notJsonMessage(start));
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    fail(jsonSyntaxMessage(jsonProblem(body, error)));
  }
  if (!isObject(value)) fail('The file is JSON but not a plan: expected an object at the top.');
  const has = (key: string): boolean => key in value;
  checkTop({
    keys: { lineage: has('lineage'), serial: has('serial'), values: has('values'), planned_values: has('planned_values'), resource_changes: has('resource_changes') },
    onlyVersionKeys: Object.keys(value).every((k) => k === 'format_version' || k === 'terraform_version'),
    formatVersion: value.format_version,
    terraformVersion: value.terraform_version,
  });
  checkChangeList(value, 'resource_changes');
  checkChangeList(value, 'resource_drift');
  return value as unknown as PlanJson;
}

/** The address a change is known by; a deposed object gets Terraform's own suffix so it stays unique. */
export function changeAddress(entry: PlanResourceChange): string {
  return entry.deposed === undefined ? entry.address : `${entry.address} (deposed object ${entry.deposed})`;
}

/** `module.a.module.b` from module_address, or from the address when an old plan left it out. */
function moduleOf(entry: PlanResourceChange): string {
  if (entry.module_address !== undefined) return entry.module_address;
  const tail = `.${entry.mode === 'data' ? 'data.' : ''}${entry.type}.${entry.name}`;
  const at = entry.address.startsWith('module.') ? entry.address.lastIndexOf(tail) : -1;
  return at > 0 ? entry.address.slice(0, at) : '';
}

/** Top-level attributes whose value changes, or becomes unknown until apply; sorted. */
function changedPaths(change: PlanChange): AttributePath[] {
  const before = isObject(change.before) ? change.before : {};
  const after = isObject(change.after) ? change.after : {};
  const unknown = isObject(change.after_unknown) ? change.after_unknown : {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)]);
  const changed: string[] = [];
  for (const key of keys) if (marksAnything(unknown[key]) || !sameJson(before[key], after[key])) changed.push(key);
  return changed.sort().map((key) => [key]);
}

type Draft = { -readonly [K in keyof ResourceChange]: ResourceChange[K] };

/** Shared by the many changes with no paths: a large plan need not hold thousands of empty lists. */
const NO_PATHS: readonly AttributePath[] = Object.freeze([]);

function actionOf(entry: PlanResourceChange): { action: PlanAction; replaceOrder?: ResourceChange['replaceOrder'] } {
  return ACTIONS.get(entry.change.actions.join(',')) ?? fail(`${entry.address} has unknown actions ${JSON.stringify(entry.change.actions)}.`);
}

/** The reviewable facts of one entry, with its blast radius when one is being collected. */
function describeChange(entry: PlanResourceChange, radius?: BlastRadius): ResourceChange {
  const { action, replaceOrder } = actionOf(entry);
  const change: Draft = {
    address: changeAddress(entry),
    module: moduleOf(entry),
    type: entry.type,
    name: entry.name,
    mode: entry.mode,
    action,
    replacePaths: entry.change.replace_paths ?? NO_PATHS,
    changedPaths: action === 'update' || action === 'replace' ? changedPaths(entry.change) : NO_PATHS,
  };
  if (entry.provider_name !== undefined) change.provider = entry.provider_name;
  if (replaceOrder) change.replaceOrder = replaceOrder;
  if (entry.action_reason !== undefined) change.actionReason = entry.action_reason;
  const assessed = radius?.assess(entry, action, change.address);
  if (assessed?.critical) change.critical = assessed.critical;
  if (assessed?.production) change.production = assessed.production;
  return change;
}

/**
 * Whether a `resource_drift` entry really changed: Terraform 0.15.2 to 1.0.0 listed every resource
 * there, most as updates with equal before and after (hashicorp/terraform#28975).
 */
function drifted(entry: PlanResourceChange): boolean {
  const actions = entry.change.actions.join(',');
  return !((actions === 'update' || actions === 'no-op') && sameJson(entry.change.before, entry.change.after));
}

/** Changes in review order: by action, then by module with the root module first, plan order within. */
function inReviewOrder(buckets: Map<PlanAction, Map<string, ResourceChange[]>>): ResourceChange[] {
  const ordered: ResourceChange[] = [];
  for (const action of REVIEW_ORDER) {
    const byModule = buckets.get(action);
    if (!byModule) continue;
    for (const module of [...byModule.keys()].sort()) ordered.push(...(byModule.get(module) ?? []));
  }
  return ordered;
}

/**
 * Summary, review order, drift and blast radius, built one change at a time: from a parsed plan
 * (analyzePlan) or from entries read off a stream (PlanReader, planStream.ts), which keeps no plan.
 */
export class PlanAnalyzer {
  private readonly radius: BlastRadius;
  private readonly counts: Record<PlanAction, number> = { create: 0, update: 0, replace: 0, delete: 0, read: 0, forget: 0, noop: 0 };
  private readonly buckets = new Map<PlanAction, Map<string, ResourceChange[]>>();
  private readonly drifts: ResourceChange[] = [];
  private total = 0;

  constructor(options: BlastRadiusOptions = {}) {
    this.radius = new BlastRadius(options);
  }

  /** One checked `resource_changes` entry, in plan order. */
  change(entry: PlanResourceChange): void {
    this.total++;
    if (actionOf(entry).action === 'noop') {
      // Not listed for review, but its tags and names still say where the plan runs.
      this.counts.noop++;
      this.radius.assess(entry, 'noop', changeAddress(entry));
      return;
    }
    const change = describeChange(entry, this.radius);
    this.counts[change.action]++;
    let byModule = this.buckets.get(change.action);
    if (!byModule) this.buckets.set(change.action, (byModule = new Map()));
    const list = byModule.get(change.module);
    if (list) list.push(change);
    else byModule.set(change.module, [change]);
  }

  /** One checked `resource_drift` entry, in plan order. */
  drift(entry: PlanResourceChange): void {
    if (drifted(entry)) this.drifts.push(describeChange(entry));
  }

  /** The analysis once every entry is in; the plan's timestamp dates the headline's ages. */
  result(plan: Pick<PlanJson, 'format_version' | 'terraform_version' | 'timestamp'>): PlanAnalysis {
    return {
      formatVersion: plan.format_version,
      ...(plan.terraform_version !== undefined ? { terraformVersion: plan.terraform_version } : {}),
      total: this.total,
      counts: this.counts,
      critical: this.radius.critical,
      backupsLost: this.radius.backupsLost,
      headline: this.radius.headline(this.counts, this.total, plan.timestamp),
      changes: inReviewOrder(this.buckets),
      drift: this.drifts,
      production: this.radius.production,
    };
  }
}

/** Summary, review order, drift and blast radius of a plan, in one pass over its changes. */
export function analyzePlan(plan: PlanJson, options: BlastRadiusOptions = {}): PlanAnalysis {
  const analyzer = new PlanAnalyzer(options);
  for (const entry of plan.resource_changes ?? []) analyzer.change(entry);
  for (const entry of plan.resource_drift ?? []) analyzer.drift(entry);
  return analyzer.result(plan);
}
