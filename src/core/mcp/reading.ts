import { isRecord } from '../json';
import { MCP_PACK } from '../rules/packs/mcp';
import { keyOf, words } from './names';
import type { McpObjectRule, McpPack, McpVocabulary } from './types';

type WordSet = ReadonlySet<string>;
type VocabularySets = { readonly [K in keyof McpVocabulary]: WordSet };

/** A pack with its vocabulary spelled the way names are read (singular words, keys joined by `_`). */
export interface Reader extends VocabularySets {
  readonly pack: McpPack;
  /** Deletion and reset verbs. */
  readonly destructive: WordSet;
  readonly objectRules: readonly { readonly rule: McpObjectRule; readonly objects: WordSet; readonly verbs: WordSet }[];
}

export function readerFor(pack: McpPack): Reader {
  const sets = Object.fromEntries(Object.entries(pack.vocabulary).map(([name, list]: [string, readonly string[]]) => [name, spelled(list)])) as VocabularySets;
  return {
    ...sets,
    pack,
    destructive: new Set([...sets.deletionVerbs, ...sets.resetVerbs]),
    objectRules: pack.objectRules.map((rule) => ({ rule, objects: spelled(rule.objects), verbs: rule.verbs ? spelled(rule.verbs) : sets.deletionVerbs })),
  };
}

/** The built-in pack's reader, built once. */
export const BUILT_IN_READER: Reader = readerFor(MCP_PACK);

function spelled(list: readonly string[]): WordSet {
  return new Set(list.map(keyOf));
}

/** What a tool's name says about it. */
export interface ToolShape {
  /** The first destructive verb among its words. */
  readonly verb?: string;
  /** What it acts on, most specific last: `fly-volumes-destroy` → fly, volume. */
  readonly objects: readonly string[];
  /** It runs SQL it is given (`execute_sql`), and is not a read-only variant of one. */
  readonly sqlRunner: boolean;
  /** It runs shell commands it is given (`start_process`, `pods_exec`). */
  readonly exec: boolean;
}

function shapeOf(tool: string, reader: Reader): ToolShape {
  const w = words(tool);
  const sqlRunner = w.some((x) => reader.sqlToolWords.has(x)) && !w.some((x) => reader.readVerbs.has(x));
  return {
    verb: w.find((x) => reader.destructive.has(x)),
    objects: objectWords(w, reader),
    sqlRunner,
    exec: !sqlRunner && w.some((x) => reader.execToolWords.has(x)),
  };
}

/** The words that are not verbs, up to a preposition (or after it, when nothing comes before). */
function objectWords(w: readonly string[], reader: Reader): string[] {
  const nouns = w.filter((x) => !reader.destructive.has(x));
  const cut = nouns.findIndex((x) => reader.prepositions.has(x));
  return cut < 0 ? nouns : cut === 0 ? nouns.slice(1) : nouns.slice(0, cut);
}

/** A destructive verb in a call, and what it acts on. */
export interface VerbSite {
  readonly verb: string;
  /** Most specific last: a kind argument's words follow the name's. */
  readonly objects: readonly string[];
  /** Where the verb was read, for the reviewer: `tool volume_delete`, `method "delete_project_item"`. */
  readonly how: string;
  /** The value that names its targets. */
  readonly where: unknown;
}

export interface SqlText {
  readonly key: string;
  readonly text: string;
}

/** What a call carries that rules judge. */
export interface CallReading {
  readonly shape: ToolShape;
  readonly sites: readonly VerbSite[];
  readonly sql: readonly SqlText[];
  /** Shell command lines, argv arrays quoted into one line each. */
  readonly shell: readonly string[];
}

/**
 * Reads the name and every object in the arguments, at any depth, so a batch (`operations: [...]`,
 * Cloudflare's `deletes: [...]`) is read like a single call.
 */
export function readCall(tool: string, args: unknown, reader: Reader): CallReading {
  const shape = shapeOf(tool, reader);
  const sites: VerbSite[] = [];
  if (shape.verb !== undefined) sites.push({ verb: shape.verb, objects: [...shape.objects, ...kindWords(args, reader)], how: `tool ${tool}`, where: args });
  const sql: SqlText[] = [];
  const shell: string[] = [];
  visitRecords(args, (record) => {
    const program = shape.exec ? programLine(record, reader) : undefined;
    if (program !== undefined) shell.push(program);
    for (const [rawKey, value] of Object.entries(record)) {
      const keyWords = words(rawKey);
      const key = keyWords.join('_');
      // `sql_file: "cleanup.sql"` names SQL it does not carry.
      const sqlKey = keyWords.some((w) => reader.sqlKeyWords.has(w)) && !keyWords.some((w) => reader.fileKeyWords.has(w));
      if (sqlKey || (shape.sqlRunner && reader.sqlRunnerKeys.has(key))) {
        sql.push(...strings(value).map((text) => ({ key: rawKey, text })));
      } else if (reader.shellKeys.has(key) || (shape.exec && reader.execToolKeys.has(key))) {
        shell.push(...commandLines(value));
      } else {
        const site = verbSite(rawKey, keyWords, value, record, shape, reader);
        if (site) sites.push(site);
      }
    }
  });
  return { shape, sites, sql, shell };
}

/** `method: "delete_project_item"` chooses a delete; `deletes: [{id}]` lists deletes in a batch. */
function verbSite(rawKey: string, keyWords: readonly string[], value: unknown, record: Record<string, unknown>, shape: ToolShape, reader: Reader): VerbSite | undefined {
  if (reader.dispatchKeys.has(keyWords.join('_')) && typeof value === 'string') {
    const w = words(value);
    const verb = w.find((x) => reader.destructive.has(x));
    if (verb === undefined) return undefined;
    const named = objectWords(w, reader);
    return { verb, objects: [...(named.length > 0 ? named : shape.objects), ...kindWords(record, reader)], how: `${rawKey} "${value}"`, where: record };
  }
  const listed = Array.isArray(value) ? value.length : isRecord(value) ? Object.keys(value).length : 0;
  if (keyWords.length === 1 && reader.destructive.has(keyWords[0]) && listed > 0) {
    return { verb: keyWords[0], objects: shape.objects, how: `${rawKey} (${listed})`, where: value };
  }
  return undefined;
}

/** Words of a kind argument in this object: Kubernetes `kind: "PersistentVolumeClaim"` → persistent, volume, claim. */
function kindWords(value: unknown, reader: Reader): string[] {
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => (reader.kindKeys.has(keyOf(k)) && typeof v === 'string' ? words(v) : []));
}

/**
 * A command as one line. An array is an argv (`["sh", "-c", "rm -rf /data"]`, Kubernetes pods_exec)
 * unless its first element is itself a command line (`call_aws` takes a list of commands).
 */
function commandLines(value: unknown): string[] {
  const list = strings(value);
  if (!Array.isArray(value) || list.length === 0 || /\s/.test(list[0])) return list;
  return [list.map(shellQuote).join(' ')];
}

/** `{executable: "rm", args: ["-rf", "/data"]}`: a program and its arguments, as one line. */
function programLine(record: Record<string, unknown>, reader: Reader): string | undefined {
  const entries = Object.entries(record).map(([k, v]) => [keyOf(k), v] as const);
  const program = entries.find(([k]) => reader.execProgramKeys.has(k))?.[1];
  if (typeof program !== 'string') return undefined;
  const args = entries.filter(([k]) => reader.execArgKeys.has(k)).flatMap(([, v]) => strings(v));
  return [program, ...args].map(shellQuote).join(' ');
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Calls `visit` on every object in a value; the input bounds keep the recursion shallow. */
export function visitRecords(value: unknown, visit: (record: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) visitRecords(item, visit);
  } else if (isRecord(value)) {
    visit(value);
    for (const child of Object.values(value)) visitRecords(child, visit);
  }
}
