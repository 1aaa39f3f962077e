/**
 * What a command acts on, read from its argv: the names another command would use to reach the same
 * thing — a resource address, a cloud resource's id or name, a database, a volume, a project, a path.
 * A denial remembers them (denials.ts), so that a later request naming one of them is seen for what it
 * is, whichever tool or door it comes through. Pure; one data table per tool family below.
 */
import { type CliGrammar, parseArguments, toolName } from '../engine/invocation';
import { joinPath, normalizePath } from '../engine/recipes';
import { BUILT_IN_PACKS } from '../rules/catalog';
import { TERRAFORM_TOOLS } from '../rules/packs/terraform';
import type { FindingInvocation } from '../verdict';

/** Which positionals name targets. */
export type Operands =
  /** Those after the first positional matching this (the verb: `state rm ADDR`, `volume rm NAME`). */
  | { readonly after: RegExp }
  /** All of them: the tool itself is the verb (`dropdb app`, `rm -rf dir`). */
  | 'all'
  /** Those before find's expression (`find DIR -delete`). */
  | 'before-expression'
  | 'none';

/** How one family of tools names what it acts on. */
export interface TargetReading {
  /** For the person reading the table and its tests. */
  readonly family: string;
  readonly tools: readonly string[];
  readonly operands: Operands;
  /**
   * The first operand names a kind, a mode or an owner, not a target (`kubectl delete ns prod`,
   * `chmod 755 dir`); a `kind/name` operand names its target.
   */
  readonly kindFirst?: boolean;
  /** Options (and `key=value` operands) whose values name a target (`--db-instance-identifier`, `-target`, dd's `of=`). */
  readonly options?: RegExp;
  /** Options whose value is SQL: what it drops, truncates or deletes from is a target. */
  readonly sql?: readonly string[];
  /** Targets are paths, resolved against the folder the command runs in. */
  readonly paths?: boolean;
}

/** How each family names what it acts on; an `after` pattern is the family's own verbs for destroying, emptying or stopping. */
export const TARGET_READINGS: readonly TargetReading[] = [
  { family: 'terraform', tools: TERRAFORM_TOOLS, operands: { after: /^(destroy|apply|rm|mv|delete|import|taint|untaint|force-unlock)$/ }, options: /^(target|replace)$/ },
  { family: 'pulumi', tools: ['pulumi'], operands: { after: /^(destroy|rm|delete)$/ }, options: /^(s|stack|target|replace|target-replace)$/ },
  {
    family: 'aws',
    tools: ['aws'],
    operands: { after: /^(delete|batch-delete|terminate|purge|deregister|remove|rb|rm|mv|disable|stop|detach|revoke|reset|cancel|close)(-|$)/ },
    // Options that name the resource acted on; --profile, --region and --endpoint-url name where, not what.
    options: /(^|-)(ids?|identifiers?|names?|arns?)$|^(bucket|key|cluster|queue-url)$/,
  },
  { family: 'gcloud', tools: ['gcloud'], operands: { after: /^(delete|destroy|remove|rm|reset|purge|clear)$/ } },
  { family: 'gsutil', tools: ['gsutil'], operands: { after: /^(rm|rb|mv)$/ } },
  { family: 'bq', tools: ['bq'], operands: { after: /^(rm|truncate)$/ } },
  { family: 'az', tools: ['az'], operands: { after: /^(delete|delete-batch|purge|remove)$/ }, options: /^(n|name|ids)$/ },
  { family: 'kubectl', tools: ['kubectl', 'oc', 'k'], operands: { after: /^delete$/ }, kindFirst: true },
  { family: 'helm', tools: ['helm'], operands: { after: /^(uninstall|un|delete|del)$/ } },
  { family: 'eksctl', tools: ['eksctl'], operands: { after: /^delete$/ }, kindFirst: true, options: /^(name|n)$/ },
  { family: 'containers', tools: ['docker', 'podman', 'nerdctl', 'docker-compose', 'podman-compose'], operands: { after: /^(rm|rmi|remove|prune|down|kill)$/ } },
  // The database a SQL shell connects to (`psql app`, `mysql -D shop`) and what its statements drop.
  { family: 'sql-shell', tools: ['psql', 'usql', 'mysql', 'mariadb'], operands: 'all', options: /^(d|dbname|D|database)$/, sql: ['c', 'command', 'e', 'execute'] },
  {
    family: 'sql-statement',
    tools: ['sqlcmd', 'clickhouse', 'clickhouse-client', 'clickhouse-local', 'cockroach', 'cqlsh', 'sqlite3', 'sqlite', 'duckdb'],
    operands: 'none',
    options: /^(d|database|k|keyspace)$/,
    sql: ['Q', 'q', 'query', 'e', 'execute', 'cmd', 'c'],
  },
  { family: 'database-admin', tools: ['dropdb', 'dropuser', 'mongosh', 'mongo'], operands: 'all' },
  { family: 'mysqladmin', tools: ['mysqladmin'], operands: { after: /^drop$/ } },
  { family: 'heroku', tools: ['heroku'], operands: { after: /(^|:)(destroy|delete|remove|rm|reset|detach)$/ }, options: /^(a|app|confirm)$/ },
  { family: 'fly', tools: ['fly', 'flyctl'], operands: { after: /^(destroy|delete|remove|rm)$/ }, options: /^(a|app)$/ },
  { family: 'railway', tools: ['railway'], operands: { after: /^(delete|remove|rm|down)$/ }, options: /^(s|service)$/ },
  { family: 'hosting', tools: ['vercel', 'vc', 'netlify', 'ntl', 'supabase', 'firebase'], operands: { after: /(^|:)(remove|rm|delete|destroy|reset)$/ } },
  { family: 'http', tools: ['curl', 'wget', 'wget2', 'http', 'https', 'xh', 'xhs'], operands: 'all', options: /^url$/ },
  { family: 'files', tools: ['rm', 'grm', 'srm', 'unlink', 'rmdir', 'shred', 'wipe', 'truncate', 'mv', 'gmv'], operands: 'all', paths: true },
  { family: 'permissions', tools: ['chmod', 'chown', 'chgrp'], operands: 'all', kindFirst: true, paths: true },
  { family: 'find', tools: ['find', 'gfind'], operands: 'before-expression', paths: true },
  { family: 'disks', tools: ['wipefs', 'sgdisk', 'fdisk', 'sfdisk', 'gdisk', 'cfdisk', 'blockdev'], operands: 'all', paths: true },
  { family: 'dd', tools: ['dd'], operands: 'none', options: /^of$/, paths: true },
];

const READING_BY_TOOL = new Map(TARGET_READINGS.flatMap((r) => r.tools.map((t) => [t, r] as const)));

/** How the engine's packs read each tool's options (which take a value), so operands are told from option values. */
const GRAMMAR_BY_TOOL = grammarsByTool(BUILT_IN_PACKS.flatMap((p) => p.grammars ?? []));

function grammarsByTool(grammars: readonly CliGrammar[]): Map<string, CliGrammar> {
  const byTool = new Map<string, CliGrammar>();
  for (const g of grammars) {
    for (const tool of g.tools) {
      const known = byTool.get(tool);
      byTool.set(tool, {
        tools: [tool],
        singleDashLong: (known?.singleDashLong ?? false) || (g.singleDashLong ?? false),
        valueOptions: [...(known?.valueOptions ?? []), ...(g.valueOptions ?? [])],
      });
    }
  }
  return byTool;
}

/**
 * What one command acts on, as it would show them to a person (deduplicated, case kept): nothing for a
 * tool no family reads, and nothing too generic to stand for one thing (see `isSpecificTarget`).
 */
export function targetsOf(invocation: Pick<FindingInvocation, 'argv' | 'cwd'>, defaultCwd?: string): string[] {
  const [argv0, ...args] = invocation.argv;
  if (argv0 === undefined) return [];
  const tool = toolName(argv0);
  const reading = READING_BY_TOOL.get(tool);
  if (!reading) return [];
  const parsed = parseArguments(args, GRAMMAR_BY_TOOL.get(tool));
  const { options } = parsed;
  const positionals = reading.operands === 'before-expression' ? beforeExpression(args) : parsed.positionals;
  const cwd = invocation.cwd ?? defaultCwd;
  const named: string[] = [];
  for (const [name, values] of options) {
    if (reading.options?.test(name)) named.push(...values);
    if (reading.sql?.includes(name)) named.push(...values.flatMap(sqlTargets));
  }
  const plain: string[] = [];
  for (const word of positionals) {
    // `of=/dev/sda`: an operand that is an option in another syntax.
    const assignment = /^([a-z][\w-]*)=(.*)$/i.exec(word);
    if (assignment) {
      if (reading.options?.test(assignment[1])) named.push(assignment[2]);
    } else if (/\s/.test(word)) {
      if (reading.sql) named.push(...sqlTargets(word));
    } else plain.push(word);
  }
  const operands = operandsOf(reading, plain);
  const found = [...named, ...operands].flatMap((t) => (reading.paths ? [pathTarget(t, cwd)] : withParts(t)));
  return uniqueTargets(found.filter((t): t is string => t !== undefined && isSpecificTarget(t)));
}

function operandsOf(reading: TargetReading, positionals: readonly string[]): string[] {
  const { operands } = reading;
  if (operands === 'none') return [];
  const verb = typeof operands === 'string' ? -1 : positionals.findIndex((p) => operands.after.test(p.toLowerCase()));
  if (typeof operands !== 'string' && verb === -1) return [];
  const picked = positionals.slice(verb + 1);
  if (!reading.kindFirst || picked.length === 0) return picked;
  // `kubectl delete deployment/api`: every operand is kind/name; otherwise the first is the kind.
  if (!reading.paths && picked[0].includes('/')) return picked.map((p) => p.slice(p.indexOf('/') + 1));
  return picked.slice(1);
}

/** find's starting points: what comes before its expression (after the -H/-L/-P options). */
function beforeExpression(args: readonly string[]): string[] {
  const start = args.findIndex((a) => !/^-[HLP]+$/.test(a));
  if (start === -1) return [];
  const end = args.findIndex((a, i) => i >= start && /^[-(!]/.test(a));
  return args.slice(start, end === -1 ? undefined : end);
}

/** An operand as a path in the folder the command runs in; a glob stands for the folder it is in. */
function pathTarget(word: string, cwd: string | undefined): string | undefined {
  const beforeGlob = word.split('/').findIndex((part) => /[*?[]/.test(part));
  const literal = beforeGlob === -1 ? word : word.split('/').slice(0, beforeGlob).join('/') || (word.startsWith('/') ? '/' : '.');
  if (literal.startsWith('/')) return normalizePath(literal);
  if (literal.startsWith('~') || cwd === undefined) return literal;
  return normalizePath(joinPath(cwd, literal));
}

/** URL schemes whose host is the thing itself (a bucket), not a server in front of it. */
const BUCKET_SCHEMES = /^(s3|s3a|s3n|gs|r2|az|abfss?|wasbs?)$/i;

/**
 * A name and the name inside it that stands for the same thing: a bucket's URL and the bucket
 * (`s3://logs-prod/2024` → `logs-prod`); an API or database URL and the id or database it ends with
 * (`https://…/volumes/vol_123` → `vol_123`, `postgres://…/shop` → `shop`), not its server.
 */
function withParts(name: string): string[] {
  const url = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/i.exec(name);
  if (!url) return [name];
  const [, scheme, authority, path] = url;
  const inside = BUCKET_SCHEMES.test(scheme) ? authority.slice(authority.lastIndexOf('@') + 1) : path.split('/').filter(Boolean).pop();
  return inside ? [name, inside] : [name];
}

/** Words that follow the statement's verb before its names: `DROP TABLE IF EXISTS a, b`. */
const SQL_NOISE = new Set(['table', 'tables', 'database', 'schema', 'keyspace', 'collection', 'view', 'index', 'tablespace', 'temporary', 'temp', 'materialized', 'if', 'exists', 'only', 'from']);
/** Words that end the list of names: `DROP TABLE a, b CASCADE`, `DELETE FROM t WHERE …`. */
const SQL_KEYWORDS = new Set(['cascade', 'restrict', 'where', 'using', 'purge', 'force', 'restart', 'continue', 'identity', 'with', 'on', 'returning', 'limit', 'order']);

/** The names a SQL text drops, truncates or deletes from (`DROP DATABASE shop` → shop). */
export function sqlTargets(sql: string): string[] {
  const names: string[] = [];
  for (const statement of sql.split(';')) {
    const words = statement.replace(/[`"[\]]/g, '').split(/[\s,()]+/).filter(Boolean);
    const verb = words.findIndex((w) => /^(drop|truncate|delete)$/i.test(w));
    if (verb === -1) continue;
    let i = verb + 1;
    while (i < words.length && SQL_NOISE.has(words[i].toLowerCase())) i++;
    for (; i < words.length && /^[\w$.-]+$/.test(words[i]) && !SQL_KEYWORDS.has(words[i].toLowerCase()); i++) names.push(words[i]);
  }
  return names;
}

/**
 * Names no denial may stand on: they name something in every project, or nothing at all. A bare
 * `main` is every repository's branch and many a Terraform resource's name; `aws_db_instance.main`
 * names one resource.
 */
const TOO_COMMON = new Set([
  'all', 'any', 'none', 'null', 'nil', 'true', 'false', 'yes', 'no', 'on', 'off',
  'main', 'master', 'head', 'origin', 'upstream', 'localhost', 'latest',
  'get', 'post', 'put', 'patch', 'delete',
]);

/** Something that can stand for one thing a person denied: not an option, not a pattern, not a word every command uses. */
export function isSpecificTarget(target: string): boolean {
  if (target.length < 3 || target.startsWith('-') || target === '/') return false;
  // Whitespace, quotes, expansions, globs, JSON: text, not a name.
  if (/[\s'$`*?{}();|&<>\\!]/.test(target)) return false;
  if (/^\d{1,5}$/.test(target)) return false;
  return !TOO_COMMON.has(target.toLowerCase());
}

/** Plain words that are part of ordinary commands too often to be looked for in a whole command line. */
const EVERYDAY_WORDS = new Set([
  'production', 'staging', 'development', 'default', 'database', 'databases', 'postgres', 'postgresql', 'terraform', 'kubernetes',
  'frontend', 'backend', 'services', 'storage', 'volumes', 'backups',
]);

/**
 * Whether a target is distinctive enough to look for anywhere in a later command line (a script's
 * argument, a URL, an ARN): a path, a name with a digit or a separator, or a long uncommon word.
 * Shorter plain words (`app`, `prod`) only match a target another command's argv names.
 */
export function isDistinctive(target: string): boolean {
  if (target.startsWith('/') || target.startsWith('~') || /[\d\-_.:/@]/.test(target)) return true;
  return target.length >= 8 && !EVERYDAY_WORDS.has(target.toLowerCase());
}

/** The form targets are compared in: case folded, no trailing slash. */
export function targetKey(target: string): string {
  const key = target.toLowerCase();
  return key.length > 1 && key.endsWith('/') ? key.replace(/\/+$/, '') : key;
}

/**
 * Whether `inner` is `outer` or inside it: a path under a folder, a resource in a module
 * (`module.db.aws_db_instance.main` in `module.db`), an instance of a resource (`…main[0]`), an
 * object in a bucket (`s3://logs/2024` in `s3://logs`), a host under a name (`prod-db.x.rds.amazonaws.com`).
 */
export function isWithin(inner: string, outer: string): boolean {
  if (inner === outer) return true;
  if (!inner.startsWith(outer)) return false;
  const next = inner[outer.length];
  return outer.startsWith('/') ? next === '/' : next === '/' || next === '.' || next === '[' || next === ':';
}

/**
 * Every word of a command line, and the names inside it (`arn:aws:rds:…:db:prod-db` → `prod-db`,
 * `./data` → its path), as keys: what a denied target is looked for in when no argv names it.
 */
export function lineWords(command: string, cwd: string | undefined): string[] {
  const words = command.split(/[\s'"`;|&()<>{}$\\,=]+/).filter(Boolean);
  const keys = new Set<string>();
  for (const word of words) {
    keys.add(targetKey(word));
    // `/srv/data:/d` (a volume), `prod-db:5432`: the paths and names on either side of a colon.
    for (const piece of word.split(/[:@]+/)) if (piece !== '') keys.add(targetKey(piece));
    for (const part of word.split(/[:/@?#]+/)) if (part !== '') keys.add(targetKey(part));
    if (cwd !== undefined && /^\.\.?\//.test(word)) keys.add(targetKey(normalizePath(joinPath(cwd, word))));
  }
  return [...keys];
}

/** The first spelling of each target, in order. */
export function uniqueTargets(targets: readonly string[]): string[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const key = targetKey(t);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
