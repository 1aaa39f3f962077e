/**
 * Which databases a paused line reaches, read from the engine's own reading of it: each finding's
 * invocation (argv after unwrapping, the variables the line sets, the folder after any `cd`) and the
 * environment the line runs in. Options are sorted with the databases pack's grammars and SQL is read
 * with its statement reader, so this sees the line the way the rules that paused it did.
 *
 * Fails closed: where the line does not say which database (SQL fed from stdin or a file, a remote
 * host, a connection named by a service file), the answer is "cannot tell" with why, never a guess.
 */
import { redactCommand } from '../audit/redact';
import { parseArguments, type CliGrammar } from '../engine/invocation';
import { commandLine } from '../shell/quote';
import { databasesPack, sqlStatements, stripSql } from '../rules/packs/databases';
import type { Finding, FindingInvocation } from '../verdict';
import { isConnectionString, parseConnectionString, type ConnectionParts } from './connectionString';
import { Secret, targetKey, type DataTarget, type DatabaseEngine } from './dataTarget';

/** The variables of the environment a line runs in (the terminal's). */
export type Environment = Readonly<Record<string, string | undefined>>;

export interface CannotTell {
  /** The command as the engine read it, any password masked. */
  readonly command: string;
  readonly why: string;
}

export interface DataTargets {
  readonly targets: readonly DataTarget[];
  readonly cannotTell: readonly CannotTell[];
}

/** No line reaches more; past it, the rest is "cannot tell". */
export const MAX_TARGETS = 32;

const POSTGRES_TOOLS = new Set(['psql', 'pg_dump', 'pg_restore', 'dropdb']);
const MYSQL_SHELLS = new Set(['mysql', 'mariadb']);
const MYSQL_ADMINS = new Set(['mysqladmin', 'mariadb-admin']);
const SQLITE_SHELLS = new Set(['sqlite3', 'sqlite']);
const REDIS_CLIS = new Set(['redis-cli', 'valkey-cli', 'keydb-cli']);
const MONGO_TOOLS = new Set(['mongosh', 'mongo', 'mongorestore']);
/** Rules whose command reaches the database its application is configured with (Rails, Prisma, Django…). */
const APPLICATION_RULES = new Set(['databases.rails-reset', 'databases.prisma-reset', 'databases.django-flush', 'databases.laravel-reset', 'databases.migration-tool-drop', 'databases.build-tool-drop']);

/** The databases that the paused line's findings reach, each once, and what could not be told. */
export function dataTargetsOf(findings: readonly Finding[], environment: Environment): DataTargets {
  const targets = new Map<string, DataTarget>();
  const cannotTell: CannotTell[] = [];
  const seen = new Set<string>();
  for (const finding of findings) {
    const inv = finding.invocation;
    if (!inv) continue;
    const key = JSON.stringify([inv.argv, inv.cwd, inv.env]);
    if (seen.has(key)) continue;
    seen.add(key);
    const reading = readInvocation(finding.ruleId, inv, environment);
    if (reading === undefined) continue;
    if ('why' in reading) cannotTell.push({ command: commandOf(inv), why: reading.why });
    else for (const target of reading.targets) if (targets.size < MAX_TARGETS || targets.has(targetKey(target))) targets.set(targetKey(target), target);
    if ('targets' in reading && reading.targets.some((t) => !targets.has(targetKey(t)))) {
      cannotTell.push({ command: commandOf(inv), why: `the line reaches more than ${MAX_TARGETS} databases` });
      break;
    }
  }
  return { targets: [...targets.values()], cannotTell };
}

type Reading = { readonly targets: readonly DataTarget[] } | { readonly why: string };

/** What one invocation reaches; undefined when it is no database command. */
function readInvocation(ruleId: string, inv: FindingInvocation, environment: Environment): Reading | undefined {
  const tool = toolOf(inv);
  const database = POSTGRES_TOOLS.has(tool) || MYSQL_SHELLS.has(tool) || MYSQL_ADMINS.has(tool) || SQLITE_SHELLS.has(tool) || REDIS_CLIS.has(tool) || ruleId.startsWith('databases.');
  if (!database) return undefined;
  if (inv.remote) return { why: `it runs on another machine (${(inv.via ?? []).join(' → ')}), where the backup cannot reach` };
  const env = new LineEnvironment(inv, environment);
  try {
    if (POSTGRES_TOOLS.has(tool)) return readPostgres(tool, inv, env);
    if (MYSQL_SHELLS.has(tool) || MYSQL_ADMINS.has(tool)) return readMysql(tool, inv, env);
    if (SQLITE_SHELLS.has(tool)) return readSqlite(inv, env);
    if (REDIS_CLIS.has(tool)) return readRedis(inv, env);
    if (MONGO_TOOLS.has(tool)) return { why: 'Countersign does not back up MongoDB yet (no MongoDB server is packaged in Debian to test mongodump against)' };
    if (APPLICATION_RULES.has(ruleId)) return readApplication(env);
    return { why: `Countersign cannot back up what ${tool} reaches` };
  } catch (error) {
    if (error instanceof CannotTellError) return { why: error.message };
    throw error;
  }
}

class CannotTellError extends Error {}

function cannotTell(why: string): never {
  throw new CannotTellError(why);
}

/** The command for a card: its words as the engine read them, any password masked. */
function commandOf(inv: FindingInvocation): string {
  return redactCommand(commandLine(inv.argv)).text;
}

function toolOf(inv: FindingInvocation): string {
  const argv0 = inv.argv[0] ?? '';
  return argv0.slice(argv0.lastIndexOf('/') + 1).toLowerCase();
}

/** A value that only running the line would give (`$(…)`, `$VAR` the environment does not hold). */
const DYNAMIC = /[$`]/;
const VARIABLE_ONLY = /^\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))$/;

/** The variables the command sees: what the line sets over the terminal's environment. */
class LineEnvironment {
  constructor(
    private readonly inv: FindingInvocation,
    private readonly environment: Environment,
  ) {}

  get(name: string): string | undefined {
    const value = this.inv.env[name] ?? this.environment[name];
    return value === '' ? undefined : value;
  }

  /** An argument's value: `"$DATABASE_URL"` is the variable's; any other expansion cannot be told. */
  word(value: string, what: string): string {
    const variable = VARIABLE_ONLY.exec(value);
    if (variable) {
      const name = variable[1] ?? variable[2];
      const known = this.get(name);
      if (known === undefined) cannotTell(`${what} is $${name}, which is not set where the line runs`);
      return known;
    }
    // Not echoed: it may be a password (`-a 'pa$$'`, a URL's), and a quoted `$` reads the same as an expansion here.
    if (DYNAMIC.test(value)) cannotTell(`${what} has a $ or \` in it, so it is only known when the line runs`);
    return value;
  }

  /** The value of the last of `names` given (a later option overrides an earlier one), `what` naming it in a "cannot tell". */
  last(options: ReadonlyMap<string, readonly string[]>, names: readonly string[], what: string): string | undefined {
    const values = names.flatMap((n) => options.get(n) ?? []);
    return values.length > 0 ? this.word(values[values.length - 1], what) : undefined;
  }

  get cwd(): string | undefined {
    return this.inv.cwd;
  }
}

function grammarOf(tool: string): CliGrammar | undefined {
  return databasesPack.grammars?.find((g) => g.tools.includes(tool));
}

// ── PostgreSQL ───────────────────────────────────────────────────────────────────────────────────

/** A connection being put together: later sources override earlier ones, as in libpq. */
type Fields = { -readonly [K in keyof ConnectionParts]: ConnectionParts[K] };

function readPostgres(tool: string, inv: FindingInvocation, env: LineEnvironment): Reading {
  const parsed = parseArguments(inv.argv.slice(1), grammarOf(tool));
  const { options } = parsed;
  const sql = inlineSql(options, parsed.positionals, ['c', 'command']);
  const last = (names: readonly string[]): string | undefined => env.last(options, names, `-${names[0]}`);
  // Defaults come from the environment, then the options; a connection string in the database name overrides both.
  const fields: Fields = {
    host: env.get('PGHOST') ?? env.get('PGHOSTADDR'),
    port: env.get('PGPORT'),
    user: env.get('PGUSER'),
    password: env.get('PGPASSWORD'),
    database: env.get('PGDATABASE'),
  };
  if (env.get('PGSERVICE') !== undefined) cannotTell('PGSERVICE names the connection in a service file');
  assign(fields, { host: last(['h', 'host']), port: last(['p', 'port']), user: last(['U', 'username']) });
  // dropdb and pg_restore connect to one database and act on another.
  const positionals = sql.positionals;
  const connectTo = tool === 'dropdb' ? last(['maintenance-db']) : tool === 'pg_restore' ? last(['d', 'dbname']) : (last(['d', 'dbname']) ?? positional(positionals, 0, env));
  // psql's second positional is the user, as -U is.
  if (tool === 'psql' && !options.has('U') && !options.has('username') && positionals[1] !== undefined) fields.user = positional(positionals, 1, env);
  if (connectTo !== undefined) {
    if (isConnectionString(connectTo)) assign(fields, connection(connectTo, 'postgresql'));
    else fields.database = connectTo;
  }
  const user = fields.user ?? env.get('USER') ?? env.get('LOGNAME');
  const server = (database: string): DataTarget => target('postgresql', { ...fields, user }, database);
  if (tool === 'dropdb') {
    const dropped = positional(positionals, 0, env);
    return dropped === undefined ? { why: 'dropdb names no database' } : { targets: [server(dropped)] };
  }
  if (tool === 'pg_restore') {
    if (connectTo === undefined) return { targets: [] }; // without -d it writes a script to stdout
    return { targets: [server(fields.database ?? user ?? cannotTell('the line names no database and no user'))] };
  }
  const connected = fields.database ?? user;
  if (tool === 'pg_dump') return { targets: [server(connected ?? cannotTell('the line names no database and no user'))] };
  return { targets: sqlTargets(sql.texts, 'postgresql', connected).map(server) };
}

function positional(positionals: readonly string[], index: number, env: LineEnvironment): string | undefined {
  const value = positionals[index];
  return value === undefined ? undefined : env.word(value, 'the database');
}

function assign(fields: Fields, from: ConnectionParts): void {
  for (const [key, value] of Object.entries(from) as [keyof Fields, string | undefined][]) if (value !== undefined && key !== 'engine') fields[key] = value;
}

function connection(text: string, engine: DatabaseEngine): ConnectionParts {
  const parsed = parseConnectionString(text);
  if (!parsed.ok) cannotTell(parsed.error);
  if (parsed.value.engine !== engine) cannotTell(`the connection string is for ${parsed.value.engine ?? 'another engine'}, not ${engine}`);
  return parsed.value;
}

function target(engine: DatabaseEngine, fields: Fields, database: string): DataTarget {
  let port: number | undefined;
  if (fields.port !== undefined) {
    port = Number(fields.port);
    if (!/^\d{1,5}$/.test(fields.port) || port < 1 || port > 65535) cannotTell('the port is not a port number'); // not quoted: a misread URL can put a password there
  }
  return {
    engine,
    database,
    ...(fields.host !== undefined ? { host: fields.host } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(fields.user !== undefined ? { user: fields.user } : {}),
    ...(fields.password !== undefined ? { password: new Secret(fields.password) } : {}),
  };
}

// ── SQL on the line ──────────────────────────────────────────────────────────────────────────────

/**
 * `-c 'SQL'` values. An unquoted `-c DROP TABLE t` is split into words: they are read together again
 * (as the databases pack reads them), and the positionals are SQL then, not a database or a user.
 */
function inlineSql(options: ReadonlyMap<string, readonly string[]>, positionals: readonly string[], names: readonly string[]): { texts: string[]; positionals: readonly string[] } {
  const values = names.flatMap((n) => options.get(n) ?? []);
  const split = positionals.length > 0 && values.some((v) => /^\s*[a-z]+\s*$/i.test(v));
  const texts = values.map((v) => (split && /^\s*[a-z]+\s*$/i.test(v) ? [v, ...positionals].join(' ') : v));
  return { texts, positionals: split ? [] : positionals };
}

/** MySQL: the table a statement acts on, named with its database (`DROP TABLE shop.users`). */
const QUALIFIED_TABLE = /^\s*(?:DROP\s+TABLE(?:\s+IF\s+EXISTS)?|TRUNCATE(?:\s+TABLE)?|DELETE\s+FROM|UPDATE|ALTER\s+TABLE|INSERT\s+INTO|REPLACE\s+INTO)\s+([A-Za-z_][\w$]*)\./i;

/**
 * The databases SQL reaches: the one each `DROP DATABASE`/`DROP SCHEMA` (MySQL) names, and the
 * connected one for every other statement (MySQL: after `USE x`, x; `db.table` names db).
 */
function sqlTargets(texts: readonly string[], engine: 'postgresql' | 'mysql', connected: string | undefined): string[] {
  if (texts.length === 0) cannotTell('its SQL comes from stdin or a file, which the line does not show');
  const reached = new Set<string>();
  let current = connected;
  const dialect = engine === 'postgresql' ? 'postgres' : 'mysql';
  for (const text of texts) {
    if (engine === 'postgresql' && /(?:^|\n)\s*\\(?:c|connect)\b/.test(text)) cannotTell('its SQL connects to another database (\\connect)');
    for (const statement of stripSql(text, dialect).split(';')) {
      if (sqlStatements(statement, dialect).length === 0) continue;
      const dropped = /^\s*DROP\s+(DATABASE|SCHEMA)\s+(?:IF\s+EXISTS\s+)?([A-Za-z_][\w$]*)\s*$/i.exec(statement);
      const used = engine === 'mysql' ? /^\s*USE\s+([A-Za-z_][\w$]*)\s*$/i.exec(statement) : null;
      const qualified = engine === 'mysql' ? QUALIFIED_TABLE.exec(statement) : null;
      if (/\bquoted_name\b/.test(statement) && (dropped || used || /^\s*DROP\s+(?:DATABASE|SCHEMA)\b/i.test(statement))) cannotTell('its SQL names a database in quotes');
      if (used) current = used[1];
      else if (dropped && (engine === 'mysql' || dropped[1].toUpperCase() === 'DATABASE')) reached.add(engine === 'postgresql' ? dropped[2].toLowerCase() : dropped[2]);
      else if (qualified) reached.add(qualified[1]);
      else reached.add(current ?? cannotTell('its SQL acts on the connected database, and the line names none'));
    }
  }
  return [...reached];
}

// ── MySQL and MariaDB ────────────────────────────────────────────────────────────────────────────

/** `-pSECRET`, `--password=SECRET`: the password only attached (a bare `-p` prompts). */
const MYSQL_PASSWORD = /^(?:-p(.*)|--password(?:=(.*))?)$/s;

function readMysql(tool: string, inv: FindingInvocation, env: LineEnvironment): Reading {
  let password = env.get('MYSQL_PWD');
  // The password comes out first: the grammar does not know `-p`, and `-psecret` would read as a cluster.
  const args = inv.argv.slice(1).filter((arg) => {
    const match = MYSQL_PASSWORD.exec(arg);
    if (match && (match[1] ?? match[2]) !== undefined && (match[1] ?? match[2]) !== '') password = env.word(match[1] ?? match[2], 'the password');
    return !match;
  });
  const parsed = parseArguments(args, grammarOf(MYSQL_ADMINS.has(tool) ? 'mysqladmin' : 'mysql'));
  const { options } = parsed;
  const sql = inlineSql(options, parsed.positionals, ['e', 'execute']);
  const positionals = sql.positionals;
  const last = (names: readonly string[]): string | undefined => env.last(options, names, `--${names[names.length - 1]}`);
  if (last(['defaults-file']) !== undefined || last(['defaults-extra-file']) !== undefined || last(['login-path']) !== undefined) {
    cannotTell('an option file names the connection');
  }
  const socket = last(['S', 'socket']);
  const fields: Fields = {
    host: socket ?? last(['h', 'host']) ?? env.get('MYSQL_HOST'),
    port: last(['P', 'port']) ?? env.get('MYSQL_TCP_PORT'),
    user: last(['u', 'user']),
    password,
  };
  const server = (database: string): DataTarget => target('mysql', fields, database);
  if (MYSQL_ADMINS.has(tool)) {
    const dropped = parsed.positionals.flatMap((word, i) => (word.toLowerCase() === 'drop' && positionals[i + 1] !== undefined ? [env.word(positionals[i + 1], 'the database')] : []));
    return { targets: dropped.map(server) };
  }
  const first = positional(positionals, 0, env);
  if (first !== undefined && isConnectionString(first)) cannotTell('mysql takes no connection string as its database');
  const connected = last(['D', 'database']) ?? first;
  return { targets: sqlTargets(sql.texts, 'mysql', connected).map(server) };
}

// ── SQLite ───────────────────────────────────────────────────────────────────────────────────────

function readSqlite(inv: FindingInvocation, env: LineEnvironment): Reading {
  const { positionals } = parseArguments(inv.argv.slice(1), grammarOf('sqlite3'));
  const file = positional(positionals, 0, env);
  if (file === undefined || file === ':memory:' || file === '') return { targets: [] };
  return { targets: [{ engine: 'sqlite', database: absolutePath(file.replace(/^file:/, '').replace(/\?.*$/, ''), env) }] };
}

function absolutePath(path: string, env: LineEnvironment): string {
  if (path.startsWith('/')) return path;
  if (path.startsWith('~')) cannotTell(`the file ${path} is under a home folder the line does not name`);
  const cwd = env.cwd ?? cannotTell(`the file ${path} is relative to a folder only known when the line runs`);
  const parts: string[] = [];
  for (const part of `${cwd}/${path}`.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '' && part !== '.') parts.push(part);
  }
  return `/${parts.join('/')}`;
}

// ── Redis ────────────────────────────────────────────────────────────────────────────────────────

/** redis-cli's TLS options: the backup does not set TLS up, so such a line is refused rather than reached in the clear. */
const REDIS_TLS = ['tls', 'sni', 'cacert', 'cacertdir', 'cert', 'key', 'insecure', 'tls-ciphers', 'tls-ciphersuites'];
/** What `-u URL` sets too: with both, redis-cli's reading depends on their order, which the parsed options do not keep. */
const REDIS_URL_FIELDS = ['h', 'p', 's', 'a', 'pass', 'user', 'n'];

/** An option as the line writes it: `-h`, `--user`. */
function redisFlag(name: string): string {
  return name.length > 1 ? `--${name}` : `-${name}`;
}

/**
 * redis-cli's server: `-u redis://…`, or `-h -p` / `-s socket`, `--user`, the password from `-a` /
 * `--pass` or else REDISCLI_AUTH. The backup is of the whole server (its RDB holds every database);
 * the target keeps the database `-n` selects (0 by default) to say which one the line acts on.
 */
function readRedis(inv: FindingInvocation, env: LineEnvironment): Reading {
  const { options } = parseArguments(inv.argv.slice(1), grammarOf('redis-cli'));
  const last = (names: readonly string[]): string | undefined => env.last(options, names, redisFlag(names[0]));
  const tls = REDIS_TLS.find((name) => options.has(name));
  if (tls !== undefined) cannotTell(`it connects over TLS (--${tls}), which the backup does not`);
  if (options.has('askpass')) cannotTell('its password is typed at a prompt (--askpass)');
  if (options.has('c')) cannotTell('it runs in cluster mode (-c), where the keys are on nodes the line does not name');
  const url = last(['u']);
  const overlap = REDIS_URL_FIELDS.find((name) => options.has(name));
  if (url !== undefined && overlap !== undefined) cannotTell(`it names the server both with -u and with ${redisFlag(overlap)}, and which wins depends on their order`);
  const socket = last(['s']);
  const fields: Fields =
    url !== undefined
      ? { ...connection(url, 'redis') }
      : { host: socket !== undefined ? absolutePath(socket, env) : last(['h']), port: socket !== undefined ? undefined : last(['p']), user: last(['user']), password: last(['a', 'pass']) };
  fields.password ??= env.get('REDISCLI_AUTH');
  const database = last(['n']) ?? fields.database ?? '0';
  if (!/^\d{1,5}$/.test(database)) cannotTell('the database is not a database number');
  return { targets: [target('redis', fields, database)] };
}

// ── Applications configured by DATABASE_URL ──────────────────────────────────────────────────────

function readApplication(env: LineEnvironment): Reading {
  const url = env.get('DATABASE_URL') ?? cannotTell('the application names its database in its own configuration, and DATABASE_URL is not set');
  const parsed = parseConnectionString(url);
  if (!parsed.ok) cannotTell(`DATABASE_URL: ${parsed.error}`);
  const { engine, database } = parsed.value;
  if (engine === 'redis') cannotTell('DATABASE_URL names a Redis server, not a database the application drops');
  if (engine === undefined || database === undefined) cannotTell('DATABASE_URL names no engine and database');
  if (engine === 'sqlite') return { targets: [{ engine, database: absolutePath(database, env) }] };
  return { targets: [target(engine, { ...parsed.value }, database)] };
}
