/**
 * The state guard's reading of a raw Terraform/OpenTofu state file (`terraform.tfstate`, what
 * `terraform state pull` prints) and its comparison of two of them. Pure: it takes text and returns
 * data. A swap is judged the way Terraform itself tells states apart: the lineage names one state's
 * history and the serial counts its writes, so a different lineage or a lower serial is another
 * state, not a later version of this one.
 */
import { DifferentObject, StateComparison, StateSummary, TerraformFormatError } from './types';
import { isRecord } from '../json';
import { err, ok, type Result } from '../result';

/** The newest raw state format (Terraform 0.12 and later, OpenTofu). */
const LATEST_VERSION = 4;

/**
 * A normal apply changes a few resources; half the state appearing or disappearing at once is what
 * a swapped file or a wholesale destroy looks like. The minimum keeps small states (1 → 2
 * resources is +100 %) from alerting on every change.
 */
export const DEFAULT_JUMP_RATIO = 0.5;
export const DEFAULT_JUMP_MIN = 5;

export interface CompareOptions {
  /** Fraction of the old resource count the count must change by (either direction). */
  readonly jumpRatio?: number;
  /** And at least this many resources. */
  readonly jumpMin?: number;
}

/** Objects at the same address with other ids named one by one in the reasons; the rest are counted. */
const OBJECT_REASONS = 3;
/** Ids longer than this are cut in the reasons (some are ARNs or JSON). */
const ID_SHOWN = 60;

type Json = Record<string, unknown>;

/** Reads a raw state (format v4, or legacy v2/v3), or says what it is instead. */
export function readState(text: string): Result<StateSummary> {
  try {
    return ok(parseState(text));
  } catch (error) {
    if (error instanceof TerraformFormatError) return err(error.message);
    throw error;
  }
}

/** readState's reading; throws TerraformFormatError from wherever the text stops being a state. */
function parseState(text: string): StateSummary {
  const doc = parseJson(text);
  const version = doc.version;
  if (version === undefined) throw new TerraformFormatError(whatItIsInstead(doc));
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new TerraformFormatError(`"version" is ${JSON.stringify(version)}; a state file's version is a whole number (4 for Terraform 0.12 and later).`);
  }
  if (version > LATEST_VERSION) {
    const by = typeof doc.terraform_version === 'string' ? ` (written by Terraform/OpenTofu ${doc.terraform_version})` : '';
    throw new TerraformFormatError(`State format version ${version}${by} is newer than Countersign reads (up to ${LATEST_VERSION}); update Countersign.`);
  }
  if (version < 2) {
    throw new TerraformFormatError(
      `State format version ${version} comes from Terraform before 0.7 and has no lineage to compare; upgrade it by running \`terraform refresh\` once with Terraform 0.7 to 0.11.`,
    );
  }
  const header = readHeader(doc, version);
  const resources = version === LATEST_VERSION ? v4Resources(doc) : legacyResources(doc);
  return { ...header, resourceCount: resources.count, addresses: [...resources.addresses].sort(), ids: Object.fromEntries(resources.ids) };
}

function parseJson(text: string): Json {
  if (text.trim() === '') throw new TerraformFormatError('The file is empty: Terraform may be writing it right now, or it was truncated.');
  if (text.startsWith('tfstate')) {
    throw new TerraformFormatError('This is a binary state from Terraform before 0.7; upgrade it with Terraform 0.6.16 before Countersign (or any current Terraform) can read it.');
  }
  if (text.startsWith('\uFEFF') || text.includes('\u0000')) {
    throw new TerraformFormatError(
      "The file starts with a byte-order mark or is UTF-16 (PowerShell's `>` writes UTF-16); Terraform reads state only as UTF-8 JSON without a BOM, so re-save it as UTF-8.",
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new TerraformFormatError(`Not JSON (${(error as Error).message}); a raw state file (terraform.tfstate) is a JSON document.`);
  }
  if (!isRecord(doc)) throw new TerraformFormatError('The JSON is not an object; a raw state file (terraform.tfstate) is a JSON object with "version", "lineage" and "serial".');
  return doc;
}

/** Names the document given instead of a raw state, and says where to get the right one. */
function whatItIsInstead(doc: Json): string {
  const get = 'Give the raw state instead: the terraform.tfstate file, or `terraform state pull > state.json`.';
  if (typeof doc.encryption_version === 'string') {
    return `This state is encrypted by OpenTofu (encryption ${doc.encryption_version}); its lineage and serial cannot be read without the key. Decrypt it with \`tofu state pull\` to compare it.`;
  }
  if (doc.format_version !== undefined && ['resource_changes', 'planned_values', 'prior_state', 'configuration'].some((key) => key in doc)) {
    return `This is a plan (\`terraform show -json\` of a plan file), not a state file. ${get}`;
  }
  if (doc.format_version !== undefined) {
    return `This is \`terraform show -json\` output, which has no lineage or serial. ${get}`;
  }
  return `There is no "version" field, so this is not a Terraform state file. ${get}`;
}

function readHeader(doc: Json, version: number): Pick<StateSummary, 'version' | 'lineage' | 'serial' | 'terraformVersion'> {
  const { lineage, serial, terraform_version: terraformVersion } = doc;
  if (typeof lineage !== 'string' || lineage === '') {
    throw new TerraformFormatError('The state has no "lineage"; Terraform writes one into every state, so this file was made or edited by something else.');
  }
  if (typeof serial !== 'number' || !Number.isInteger(serial) || serial < 0) {
    throw new TerraformFormatError(`"serial" is ${JSON.stringify(serial)}; Terraform writes a whole number that counts the state's writes.`);
  }
  return { version, lineage, serial, ...(typeof terraformVersion === 'string' ? { terraformVersion } : {}) };
}

interface Resources {
  readonly count: number;
  readonly addresses: ReadonlySet<string>;
  /** Managed instances' ids by address. */
  readonly ids: ReadonlyMap<string, string>;
}

/** The provider's `id` of an object, when it wrote one (a data source's is left out: it is read, not owned). */
function objectId(attributes: unknown): string | undefined {
  const id = isRecord(attributes) ? attributes.id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** `[0]` for count, `["key"]` for for_each, as Terraform prints instance addresses. */
function instanceKey(key: unknown): string {
  if (key === undefined || key === null) return '';
  if (typeof key === 'number' || typeof key === 'string') return `[${JSON.stringify(key)}]`;
  throw new TerraformFormatError(`An instance "index_key" is ${JSON.stringify(key)}; Terraform writes a number (count) or a string (for_each).`);
}

function field(entry: Json, name: string, where: string): string {
  const value = entry[name];
  if (typeof value !== 'string' || value === '') throw new TerraformFormatError(`${where} has no "${name}"; every resource in a state names its ${name}.`);
  return value;
}

/** v4: `resources[]`, each with module, mode, type, name and `instances[].index_key`. */
function v4Resources(doc: Json): Resources {
  const list = doc.resources ?? [];
  if (!Array.isArray(list)) throw new TerraformFormatError('"resources" is not a list.');
  const addresses = new Set<string>();
  const ids = new Map<string, string>();
  list.forEach((entry: unknown, i) => {
    const where = `resources[${i}]`;
    if (!isRecord(entry)) throw new TerraformFormatError(`${where} is not an object.`);
    const mode = field(entry, 'mode', where);
    if (mode !== 'managed' && mode !== 'data') throw new TerraformFormatError(`${where} has mode "${mode}"; Terraform writes "managed" or "data".`);
    const module = entry.module === undefined ? '' : `${field(entry, 'module', where)}.`;
    const base = `${module}${mode === 'data' ? 'data.' : ''}${field(entry, 'type', where)}.${field(entry, 'name', where)}`;
    const instances = entry.instances ?? [];
    if (!Array.isArray(instances)) throw new TerraformFormatError(`${where}.instances is not a list.`);
    for (const instance of instances) {
      if (!isRecord(instance)) throw new TerraformFormatError(`${where}.instances has an entry that is not an object.`);
      // Deposed objects (create_before_destroy) share their instance's address: the Set keeps one,
      // and the id is the current object's.
      const address = base + instanceKey(instance.index_key);
      addresses.add(address);
      const id = mode === 'managed' && instance.deposed === undefined ? (objectId(instance.attributes) ?? objectId(instance.attributes_flat)) : undefined;
      if (id !== undefined) ids.set(address, id);
    }
  });
  return { count: list.length, addresses, ids };
}

/** `type.name`, `type.name.3`, `data.type.name`, `data.type.name.3`: a v2/v3 resource key. */
const LEGACY_KEY = /^((?:data\.)?[^.]+\.[^.]+)(?:\.(\d+))?$/;

/** v2/v3: `modules[]` with `path` (`["root", "a"]`) and `resources` keyed by `type.name[.index]`. */
function legacyResources(doc: Json): Resources {
  const modules = doc.modules ?? [];
  if (!Array.isArray(modules)) throw new TerraformFormatError('"modules" is not a list.');
  const addresses = new Set<string>();
  const ids = new Map<string, string>();
  const resources = new Set<string>();
  modules.forEach((module: unknown, i) => {
    const where = `modules[${i}]`;
    if (!isRecord(module) || !Array.isArray(module.path) || module.path[0] !== 'root' || !module.path.every((p) => typeof p === 'string')) {
      throw new TerraformFormatError(`${where} has no "path" starting with "root".`);
    }
    const prefix = (module.path as string[])
      .slice(1)
      .map((name) => `module.${name}.`)
      .join('');
    const keys = module.resources ?? {};
    if (!isRecord(keys)) throw new TerraformFormatError(`${where}.resources is not an object.`);
    for (const key of Object.keys(keys)) {
      const match = LEGACY_KEY.exec(key);
      if (!match) throw new TerraformFormatError(`${where} has a resource key "${key}"; Terraform 0.11 writes "type.name" or "type.name.index".`);
      resources.add(prefix + match[1]);
      const address = prefix + match[1] + (match[2] === undefined ? '' : `[${match[2]}]`);
      addresses.add(address);
      const entry = keys[key];
      const id = !key.startsWith('data.') && isRecord(entry) ? objectId(entry.primary) : undefined;
      if (id !== undefined) ids.set(address, id);
    }
  });
  return { count: resources.size, addresses, ids };
}

/**
 * Whether `now` is still the state `old` was, moved on by Terraform, or another state put in its
 * place. A swap: a different lineage; a lower serial; the same serial with other resources (Terraform
 * raises the serial on every write). A large change: the same lineage and a later serial, but the
 * resource count changing, either way, by at least `jumpRatio` of the old count and at least
 * `jumpMin` resources (defaults 50 % and 5). Both are held for review; only a swap is called one.
 * Resources at the same address whose ids differ are named as other objects.
 */
export function compareStates(old: StateSummary, now: StateSummary, options: CompareOptions = {}): StateComparison {
  const jumpRatio = options.jumpRatio ?? DEFAULT_JUMP_RATIO;
  const jumpMin = options.jumpMin ?? DEFAULT_JUMP_MIN;
  const before = new Set(old.addresses);
  const after = new Set(now.addresses);
  const added = now.addresses.filter((a) => !before.has(a));
  const removed = old.addresses.filter((a) => !after.has(a));
  const differentObjects = differentObjectsIn(old, now);
  const sameLineage = old.lineage === now.lineage;
  const heldReasons: string[] = [];
  const otherReasons: string[] = [];

  if (!sameLineage) {
    heldReasons.push(`The lineage changed (${old.lineage} → ${now.lineage}): this is a different state, not a later version of the same one.`);
  } else if (now.serial < old.serial) {
    heldReasons.push(`The serial went down (${old.serial} → ${now.serial}): an older copy of this state replaced the current one.`);
  } else if (now.serial === old.serial && (added.length > 0 || removed.length > 0 || differentObjects.length > 0)) {
    heldReasons.push(`The serial stayed at ${now.serial} but the resources differ: Terraform raises the serial on every write, so the file was edited outside Terraform.`);
  } else if (now.serial > old.serial) {
    otherReasons.push(`Same lineage, serial ${old.serial} → ${now.serial}: a later write of the same state.`);
  } else {
    otherReasons.push(`Same lineage and serial (${now.serial}) and the same resources.`);
  }

  const delta = now.resourceCount - old.resourceCount;
  const jumped = Math.abs(delta) >= jumpMin && Math.abs(delta) >= jumpRatio * old.resourceCount;
  const counts = `${old.resourceCount} → ${now.resourceCount} resources${old.resourceCount > 0 ? ` (${percent(delta / old.resourceCount)})` : ''}`;
  const threshold = `at least ${percent(jumpRatio, false)} and ${jumpMin} resources at once`;
  // A later write of the same state is not a swap, however much it changes; it is still held.
  const largeChange = jumped && sameLineage && now.serial > old.serial;
  if (largeChange) heldReasons.push(`A large change to the same state: ${counts} in one write, ${threshold}.`);
  else if (jumped) heldReasons.push(`The resource count jumped, ${counts}: ${threshold}.`);
  else if (delta < 0) otherReasons.push(`${counts}: ${-delta} fewer.`);
  else if (delta > 0) otherReasons.push(`${counts}: ${delta} more.`);

  otherReasons.push(...differentObjectReasons(differentObjects));
  return { swap: heldReasons.length > 0, largeChange, reasons: [...heldReasons, ...otherReasons], old, new: now, added, removed, differentObjects };
}

/** Addresses in both states whose ids differ; nothing where either side has no id (or an old baseline kept none). */
function differentObjectsIn(old: StateSummary, now: StateSummary): DifferentObject[] {
  const oldIds = old.ids ?? {};
  const newIds = now.ids ?? {};
  return old.addresses.flatMap((address) => {
    const oldId = Object.hasOwn(oldIds, address) ? oldIds[address] : undefined;
    const newId = Object.hasOwn(newIds, address) ? newIds[address] : undefined;
    return oldId !== undefined && newId !== undefined && oldId !== newId ? [{ address, oldId, newId }] : [];
  });
}

function differentObjectReasons(objects: readonly DifferentObject[]): string[] {
  const named = objects.slice(0, OBJECT_REASONS).map((o) => `${o.address} is another object (id ${shortId(o.oldId)} → ${shortId(o.newId)}).`);
  const rest = objects.length - named.length;
  return rest > 0 ? [...named, `${rest} more resource${rest === 1 ? '' : 's'} at the same address ${rest === 1 ? 'is another object' : 'are other objects'}.`] : named;
}

function shortId(id: string): string {
  return id.length > ID_SHOWN ? `${id.slice(0, ID_SHOWN - 1)}…` : id;
}

function percent(fraction: number, signed = true): string {
  const value = `${Math.round(Math.abs(fraction) * 100)} %`;
  if (!signed) return value;
  return `${fraction < 0 ? '−' : '+'}${value}`;
}

export interface FormatOptions {
  /** At most this many addresses in each of added and removed; the rest are counted. */
  readonly maxAddresses?: number;
}

/** The comparison as text: verdict, reasons, old and new side by side, addresses added and removed. */
export function formatStateComparison(c: StateComparison, options: FormatOptions = {}): string {
  const rows: [string, string, string][] = [
    ['', 'old', 'new'],
    ['lineage', c.old.lineage, c.new.lineage],
    ['serial', String(c.old.serial), String(c.new.serial)],
    ['terraform', c.old.terraformVersion ?? '?', c.new.terraformVersion ?? '?'],
    ['format', `v${c.old.version}`, `v${c.new.version}`],
    ['resources', String(c.old.resourceCount), String(c.new.resourceCount)],
  ];
  const width = (column: number): number => Math.max(...rows.map((row) => row[column].length)) + 3;
  const table = rows.map(([label, old, now]) => `  ${label.padEnd(width(0))}${old.padEnd(width(1))}${now}`.trimEnd());
  const lines = [
    verdictLine(c),
    ...c.reasons.map((reason) => `  - ${reason}`),
    '',
    ...table,
    '',
    ...addressList('added', '+', c.added, options.maxAddresses),
    ...addressList('removed', '-', c.removed, options.maxAddresses),
    ...addressList(
      'other objects at the same address',
      '~',
      (c.differentObjects ?? []).map((o) => `${o.address} (id ${o.oldId} → ${o.newId})`),
      options.maxAddresses,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

function verdictLine(c: StateComparison): string {
  if (!c.swap) return 'NO SWAP: the same state';
  return c.largeChange ? 'LARGE CHANGE: the same state, changed a lot in one write; review it before running terraform here' : 'STATE SWAP: review it before running terraform here';
}

function addressList(title: string, mark: string, addresses: readonly string[], max = Infinity): string[] {
  const shown = addresses.slice(0, max).map((a) => `  ${mark} ${a}`);
  const more = addresses.length > max ? [`  … and ${addresses.length - max} more`] : [];
  return [`${title} (${addresses.length})${addresses.length > 0 ? ':' : ''}`, ...shown, ...more];
}
