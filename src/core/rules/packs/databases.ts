import type { CheckContext } from '../../engine/context';
import { joinPath, normalizePath } from '../../engine/recipes';
import { readIfReadable, UnreadableFileError } from '../../engine/unreadableFile';
import { literalStdin } from '../../engine/stdin';
import type { Invocation } from '../../engine/invocation';
import type { Condition, Detector, RulePack } from '../types';

/*
 * Databases: SQL sent through the SQL shells, and the admin tools of PostgreSQL, MySQL, MongoDB
 * and Redis. SQL and JavaScript are other languages, so the detectors below read the statement
 * text (with comments and string literals taken out first) rather than the shell words.
 */

// ---------------------------------------------------------------------------------------------
// Which tools carry SQL, and where in their command line it sits.

type Dialect = 'postgres' | 'mysql' | 'sqlite' | 'tsql' | 'clickhouse' | 'cql' | 'generic';

interface SqlShell {
  readonly tools: readonly string[];
  readonly dialect: Dialect;
  /** Options whose value is SQL. */
  readonly sqlOptions: readonly string[];
  /** Positionals from this index on are SQL statements (sqlite3 / duckdb `db.file 'SQL'`). */
  readonly sqlPositionalsFrom?: number;
  /** Leading positionals that must be present (`cockroach sql`, `clickhouse client`). */
  readonly sub?: readonly string[];
  /** Options naming a SQL file to run: read through the engine's reader when it can (bounded), its SQL judged too. */
  readonly fileOptions?: readonly string[];
}

const SQL_SHELLS: readonly SqlShell[] = [
  { tools: ['psql', 'usql'], dialect: 'postgres', sqlOptions: ['c', 'command'], fileOptions: ['f', 'file'] },
  { tools: ['mysql', 'mariadb'], dialect: 'mysql', sqlOptions: ['e', 'execute'] },
  { tools: ['sqlite3', 'sqlite'], dialect: 'sqlite', sqlOptions: ['cmd'], sqlPositionalsFrom: 1 },
  { tools: ['duckdb'], dialect: 'generic', sqlOptions: ['c', 'cmd', 's'], sqlPositionalsFrom: 1 },
  { tools: ['sqlcmd'], dialect: 'tsql', sqlOptions: ['Q', 'q', 'query'], fileOptions: ['i', 'input-file'] },
  { tools: ['clickhouse-client', 'clickhouse-local'], dialect: 'clickhouse', sqlOptions: ['q', 'query'], fileOptions: ['queries-file'] },
  { tools: ['clickhouse'], dialect: 'clickhouse', sqlOptions: ['q', 'query'], sub: ['client|local'], fileOptions: ['queries-file'] },
  { tools: ['cockroach'], dialect: 'postgres', sqlOptions: ['e', 'execute'], sub: ['sql|demo'], fileOptions: ['f', 'file'] },
  { tools: ['cqlsh'], dialect: 'cql', sqlOptions: ['e', 'execute'], fileOptions: ['f', 'file'] },
];

const SQL_TOOLS = [...new Set(SQL_SHELLS.flatMap((s) => s.tools))];

function shellFor(inv: Invocation): SqlShell | undefined {
  return SQL_SHELLS.find((s) => s.tools.includes(inv.tool) && (s.sub ?? []).every((glob, i) => new RegExp(`^(?:${glob})$`, 'i').test(inv.positionals[i] ?? '')));
}

/** The SQL texts an invocation sends: option values, positional statements, literal stdin and the files it names that can be read. */
function sqlTexts(inv: Invocation, shell: SqlShell, context: CheckContext): string[] {
  const texts: string[] = sqlFiles(inv, shell, context);
  const positionals = inv.positionals.slice(shell.sub?.length ?? 0);
  for (const name of shell.sqlOptions) {
    for (const value of inv.options.get(name) ?? []) {
      // `psql -c DROP TABLE users`: an unquoted statement is split into words; read them together.
      if (/^\s*[a-z]+\s*$/i.test(value) && positionals.length > 0 && shell.sqlPositionalsFrom === undefined) texts.push([value, ...positionals].join(' '));
      else texts.push(value);
    }
  }
  if (shell.sqlPositionalsFrom !== undefined) {
    const db = positionals[0];
    if (db !== ':memory:') texts.push(...positionals.slice(shell.sqlPositionalsFrom));
  }
  const stdin = literalStdin(inv.stdin);
  if (stdin !== undefined) texts.push(stdin);
  return texts;
}

/** The SQL files the invocation names (`psql -f drop.sql`), resolved against its folder. */
function sqlFilePaths(inv: Invocation, shell: SqlShell, cwd: string | undefined): string[] {
  const files = (shell.fileOptions ?? []).flatMap((o) => inv.options.get(o) ?? []).filter((v) => v !== '' && v !== '-');
  return files.map((file) => normalizePath(joinPath(cwd ?? '.', file)));
}

/** Whether a SQL file the invocation runs is there but cannot be read (too large, not a regular file, written on the line with text only known when it runs). */
function sqlFileUnreadable(inv: Invocation, { cwd, reader }: CheckContext): boolean {
  const shell = shellFor(inv);
  if (!shell || !reader) return false;
  return sqlFilePaths(inv, shell, cwd).some((path) => {
    try {
      reader.readFile(path);
      return false;
    } catch (error) {
      if (error instanceof UnreadableFileError) return true;
      throw error;
    }
  });
}

/** The text of each SQL file the invocation runs (`psql -f drop.sql`), where the reader can show it. */
function sqlFiles(inv: Invocation, shell: SqlShell, { cwd, reader }: CheckContext): string[] {
  if (!reader) return [];
  // A file there but unreadable adds no text: `databases.sql-file-unreadable` says SQL runs from a file nobody read.
  return sqlFilePaths(inv, shell, cwd).flatMap((path) => readIfReadable(reader, path) ?? []);
}

// ---------------------------------------------------------------------------------------------
// Reading SQL: comments and literals out, statements split, words upper-cased.

/** Replaces comments with spaces, string literals with '' and quoted identifiers with a plain name. */
export function stripSql(sql: string, dialect: Dialect): string {
  let out = '';
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      while (i < n && sql[i] !== '\n') i++;
      out += ' ';
      continue;
    }
    if (c === '#' && dialect === 'mysql') {
      while (i < n && sql[i] !== '\n') i++;
      out += ' ';
      continue;
    }
    if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      const body = sql.slice(i + 2, end < 0 ? n : end);
      // MySQL runs the text of `/*! ... */` (optionally versioned: `/*!50001 ... */`).
      out += body.startsWith('!') ? ` ${body.replace(/^!\d*/, '')} ` : ' ';
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === "'") {
      // Backslash escapes: MySQL and ClickHouse strings, and PostgreSQL's E'...' strings.
      const backslash = dialect === 'mysql' || dialect === 'clickhouse' || (/[eE]$/.test(out) && !/[a-zA-Z0-9_][eE]$/.test(out));
      i++;
      while (i < n) {
        if (backslash && sql[i] === '\\') {
          i += 2;
          continue;
        }
        if (sql[i] === "'") {
          if (sql[i + 1] === "'") {
            i += 2;
            continue;
          }
          break;
        }
        i++;
      }
      i++;
      out += "''";
      continue;
    }
    if (c === '$' && dialect === 'postgres') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag && !/[A-Za-z0-9_]$/.test(out)) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        const body = sql.slice(i + tag[0].length, end < 0 ? n : end);
        i = end < 0 ? n : end + tag[0].length;
        // `DO $$ ... $$` runs its body now: read it as statements. Elsewhere it is a string.
        out += /\bDO\s*$/i.test(out) ? `; ${stripSql(body, dialect)} ;` : "''";
        continue;
      }
    }
    if (c === '"' || c === '`' || (c === '[' && dialect === 'tsql')) {
      const close = c === '[' ? ']' : c;
      i++;
      while (i < n) {
        if (sql[i] === close) {
          if (sql[i + 1] === close) {
            i += 2;
            continue;
          }
          break;
        }
        i++;
      }
      i++;
      out += ' quoted_name ';
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Statements as upper-cased tokens; psql meta-commands and sqlite dot-commands are dropped. */
export function sqlStatements(sql: string, dialect: Dialect): string[][] {
  const text = stripSql(sql, dialect)
    .split('\n')
    .map((line) => (/^\s*[\\.][a-z]/i.test(line) ? '' : /^\s*go\s*$/i.test(line) ? ';' : line))
    .join('\n');
  return text
    .split(';')
    .map((s) => (s.match(/[A-Za-z_][A-Za-z0-9_$]*|\d+|\S/g) ?? []).map((t) => t.toUpperCase()))
    .filter((t) => t.length > 0);
}

/** Tokens at parenthesis depth 0 (subqueries and argument lists left out). */
function topLevel(tokens: readonly string[]): string[] {
  const out: string[] = [];
  let depth = 0;
  for (const t of tokens) {
    if (t === '(') depth++;
    else if (t === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) out.push(t);
  }
  return out;
}

/** Objects whose DROP loses stored data; anything else DROPped is a schema object (index, view...). */
const DATA_OBJECTS = new Set(['DATABASE', 'SCHEMA', 'TABLE', 'KEYSPACE', 'COLLECTION', 'TABLESPACE', 'OWNED', 'DICTIONARY', 'MATERIALIZED', 'STREAM', 'BUCKET', 'CLUSTER']);
/** `ALTER ... DROP x` that change a definition without losing data. */
const HARMLESS_ALTER_DROPS = new Set(['DEFAULT', 'NOT', 'IDENTITY', 'EXPRESSION']);

type SqlRisk = 'drop-data' | 'drop-object' | 'truncate' | 'delete-all' | 'update-all' | 'alter-drop' | 'write';

const WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'UPSERT', 'REPLACE', 'ALTER', 'CREATE', 'DROP', 'TRUNCATE', 'GRANT', 'REVOKE', 'COPY', 'RENAME', 'VACUUM', 'REINDEX', 'CLUSTER', 'LOAD', 'IMPORT', 'CALL', 'EXEC', 'EXECUTE', 'DO', 'OPTIMIZE', 'DETACH', 'ATTACH']);

/** The WHERE clause is missing or always true (`WHERE 1=1`, `WHERE true`). */
function noRealWhere(top: readonly string[]): boolean {
  const at = top.indexOf('WHERE');
  if (at < 0) return true;
  const stops = new Set(['RETURNING', 'LIMIT', 'ORDER', 'OUTPUT', 'SETTINGS']);
  const cond: string[] = [];
  for (const t of top.slice(at + 1)) {
    if (stops.has(t)) break;
    cond.push(t);
  }
  const c = cond.join(' ');
  if (/^(TRUE|1|'' = '')$/.test(c)) return true;
  const eq = /^(\S+) = (\S+)$/.exec(c);
  return eq !== null && eq[1] === eq[2] && /^(\d+|'')$/.test(eq[1]);
}

export function classifyStatement(tokens: readonly string[]): Set<SqlRisk> {
  const risks = new Set<SqlRisk>();
  let top = topLevel(tokens);
  // EXPLAIN only plans the statement; EXPLAIN ANALYZE runs it.
  if (top[0] === 'EXPLAIN' || top[0] === 'DESCRIBE' || top[0] === 'DESC') {
    if (!top.slice(1, 4).includes('ANALYZE')) return risks;
    top = top.slice(1).filter((t) => t !== 'ANALYZE' && t !== 'VERBOSE');
  }
  // A CTE: `WITH x AS (...) DELETE FROM t` — the main verb follows the CTE list.
  if (top[0] === 'WITH') {
    const verb = top.findIndex((t) => ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(t));
    top = verb < 0 ? [] : top.slice(verb);
  }
  // Inside a procedural block (`DO $$ BEGIN DROP TABLE x; END $$`) a statement follows BEGIN.
  while (top[0] === 'BEGIN' || (top[0] === 'DECLARE' && top.length === 1)) top = top.slice(1);
  const verb = top[0];
  if (verb === undefined) return risks;
  if (WRITES.has(verb)) risks.add('write');
  if (verb === 'DROP') {
    const object = top.slice(1).find((t) => t !== 'TEMPORARY' && t !== 'TEMP');
    if (top[1] === 'TEMPORARY' || top[1] === 'TEMP') risks.add('drop-object');
    else risks.add(object !== undefined && DATA_OBJECTS.has(object) ? 'drop-data' : 'drop-object');
  } else if (verb === 'TRUNCATE') {
    risks.add('truncate');
  } else if (verb === 'DELETE') {
    if (noRealWhere(top)) risks.add('delete-all');
  } else if (verb === 'UPDATE') {
    if (top.includes('SET') && noRealWhere(top)) risks.add('update-all');
  } else if (verb === 'ALTER') {
    for (let i = 1; i < top.length; i++) {
      if (top[i] === 'DROP' && !HARMLESS_ALTER_DROPS.has(top[i + 1] ?? '')) risks.add('alter-drop');
    }
    // ClickHouse mutations: `ALTER TABLE t DELETE WHERE 1`, `ALTER TABLE t UPDATE x = 1 WHERE 1`.
    const del = top.indexOf('DELETE');
    if (del > 0 && noRealWhere(top.slice(del))) risks.add('delete-all');
  }
  // `write` is for statements no stronger finding covers.
  if (risks.size > 1) risks.delete('write');
  return risks;
}

const sqlRiskCache = new WeakMap<Invocation, Set<SqlRisk>>();

/** What a piece of SQL text risks when the dialect is not known: whatever either common family would run counts. */
export function sqlTextRisks(text: string): ReadonlySet<string> {
  const risks = new Set<SqlRisk>();
  for (const dialect of ['postgres', 'mysql'] as const) {
    for (const statement of sqlStatements(text, dialect)) for (const risk of classifyStatement(statement)) risks.add(risk);
  }
  return risks;
}

function sqlRisks(inv: Invocation, context: CheckContext): Set<SqlRisk> {
  let risks = sqlRiskCache.get(inv);
  if (!risks) {
    risks = new Set();
    const shell = shellFor(inv);
    if (shell) {
      for (const text of sqlTexts(inv, shell, context)) {
        for (const statement of sqlStatements(text, shell.dialect)) for (const r of classifyStatement(statement)) risks.add(r);
      }
    }
    sqlRiskCache.set(inv, risks);
  }
  return risks;
}

// ---------------------------------------------------------------------------------------------
// MongoDB shell JavaScript and Redis commands.

/** JavaScript with string literals emptied and comments removed, so quoted data stays data. */
function stripJs(js: string): string {
  return js
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|`(?:\\.|[^`\\])*`/g, '""');
}

const MONGO_CHECKS: Readonly<Record<string, RegExp>> = {
  'drop-database': /\.dropDatabase\s*(\(|$)|\bdropDatabase\s*:/i,
  'drop-collection': /\.drop\s*(\(|$)|[{,]\s*drop\s*:/i,
  'delete-all': /\.(deleteMany|remove)\s*\(\s*(\{\s*\}\s*)?[,)]|\.(deleteMany|remove)\s*$/i,
  'update-all': /\.(updateMany|update)\s*\(\s*\{\s*\}\s*,/i,
  'drop-other': /\.(dropIndex|dropIndexes|dropUser|dropAllUsers|dropRole|dropAllRoles|dropSearchIndex)\s*\(/i,
};

function mongoCode(inv: Invocation): string[] {
  const texts = [...(inv.options.get('eval') ?? [])];
  const stdin = literalStdin(inv.stdin);
  if (stdin !== undefined) texts.push(stdin);
  return texts.map(stripJs);
}

/** Redis commands a line sends: the positionals, or one command per line of literal stdin. */
function redisCommands(inv: Invocation): string[][] {
  const commands: string[][] = [];
  if (inv.positionals.length > 0) commands.push([...inv.positionals]);
  const stdin = literalStdin(inv.stdin);
  if (stdin !== undefined) {
    for (const line of stdin.split('\n')) {
      const words = line.trim().split(/\s+/).filter(Boolean);
      if (words.length > 0) commands.push(words);
    }
  }
  return commands;
}

/** FLUSHALL / FLUSHDB take only ASYNC or SYNC; anything else is an error that deletes nothing. */
const isFlush = (w: readonly string[]): boolean => /^(flushall|flushdb)$/i.test(w[0] ?? '') && w.slice(1).every((a) => /^a?sync$/i.test(a));

const REDIS_CHECKS: Readonly<Record<string, (words: readonly string[]) => boolean>> = {
  flush: isFlush,
  shutdown: (w) => /^shutdown$/i.test(w[0]) || (/^debug$/i.test(w[0]) && /^(segfault|panic|restart|crash-and-recover|reload)$/i.test(w[1] ?? '')),
  replicaof: (w) => (/^(replicaof|slaveof)$/i.test(w[0]) && !/^no$/i.test(w[1] ?? '')) || (/^cluster$/i.test(w[0]) && /^(reset|flushslots)$/i.test(w[1] ?? '')),
  config: (w) => (/^config$/i.test(w[0]) && /^set$/i.test(w[1] ?? '')) || (/^(script|function)$/i.test(w[0]) && /^flush$/i.test(w[1] ?? '')) || (/^acl$/i.test(w[0]) && /^(deluser|setuser)$/i.test(w[1] ?? '')),
};

// ---------------------------------------------------------------------------------------------

const SQL_GRAMMARS = [
  {
    tools: ['psql', 'usql'],
    valueOptions: ['c', 'command', 'd', 'dbname', 'h', 'host', 'p', 'port', 'U', 'username', 'f', 'file', 'o', 'output', 'v', 'set', 'variable', 'P', 'pset', 'F', 'field-separator', 'R', 'record-separator', 'L', 'log-file', 'T', 'table-attr'],
    contextOptions: ['d', 'dbname', 'h', 'host'],
    contextEnv: ['PGHOST', 'PGDATABASE', 'PGSERVICE', 'DATABASE_URL'],
  },
  {
    tools: ['mysql', 'mariadb'],
    // `-p` takes its password only attached (`-psecret`); a bare `-p` prompts, so it is no value option.
    valueOptions: ['e', 'execute', 'u', 'user', 'h', 'host', 'P', 'port', 'D', 'database', 'S', 'socket', 'protocol', 'default-character-set', 'defaults-file', 'defaults-extra-file', 'login-path', 'ssl-ca', 'ssl-cert', 'ssl-key', 'init-command', 'connect-timeout'],
    contextOptions: ['h', 'host', 'D', 'database', 'login-path'],
    contextEnv: ['MYSQL_HOST', 'DATABASE_URL'],
  },
  {
    tools: ['sqlite3', 'sqlite', 'duckdb'],
    singleDashLong: true,
    valueOptions: ['cmd', 'c', 's', 'separator', 'newline', 'nullvalue', 'init', 'f', 'maxsize', 'mmap', 'pagecache', 'lookaside', 'vfs', 'heap'],
  },
  {
    tools: ['sqlcmd'],
    valueOptions: ['Q', 'q', 'query', 'S', 'server', 'd', 'database', 'U', 'user-name', 'P', 'password', 'i', 'input-file', 'o', 'output-file', 'H', 'h', 's', 'w', 't', 'l', 'v', 'f', 'a', 'W', 'A', 'G'],
    contextOptions: ['S', 'server', 'd', 'database'],
    contextEnv: ['SQLCMDSERVER', 'SQLCMDDBNAME'],
  },
  {
    tools: ['clickhouse', 'clickhouse-client', 'clickhouse-local'],
    valueOptions: ['q', 'query', 'h', 'host', 'port', 'd', 'database', 'u', 'user', 'password', 'C', 'config-file', 'f', 'format', 'queries-file', 'param', 'max_threads', 'secure'],
    contextOptions: ['h', 'host', 'd', 'database'],
  },
  {
    tools: ['cockroach'],
    valueOptions: ['e', 'execute', 'url', 'host', 'd', 'database', 'u', 'user', 'certs-dir', 'port', 'f', 'file', 'format', 'set'],
    contextOptions: ['url', 'host', 'd', 'database'],
    contextEnv: ['COCKROACH_URL', 'COCKROACH_HOST', 'DATABASE_URL'],
  },
  {
    tools: ['cqlsh'],
    valueOptions: ['e', 'execute', 'u', 'username', 'p', 'password', 'k', 'keyspace', 'f', 'file', 'cqlshrc', 'connect-timeout', 'request-timeout'],
    contextOptions: ['k', 'keyspace'],
  },
];

/** SQL verbs that, as argv[0], mean a statement was typed as a command line. */
const SQL_VERBS = ['drop', 'delete', 'truncate', 'update', 'alter'];
const TYPED_RISKS: readonly SqlRisk[] = ['drop-data', 'drop-object', 'truncate', 'delete-all', 'update-all', 'alter-drop'];

const sqlRisk = (risk: SqlRisk): Condition => ({ detect: 'databases.sql', arg: risk });
const NOT_HELP: Condition = { not: { option: ['help', 'version', 'V', '?'] } };

const detectors: Record<string, Detector> = {
  /** The SQL this invocation sends contains a statement of the kind named by `arg`. */
  'databases.sql': (inv, ctx, arg) => sqlRisks(inv, ctx).has(arg as SqlRisk),
  /** SQL run from a file the engine cannot read: `psql -f`, `sqlcmd -i`, `clickhouse --queries-file`. */
  'databases.sql-file': (inv) => {
    const shell = shellFor(inv);
    return (shell?.fileOptions ?? []).some((o) => (inv.options.get(o) ?? []).some((v) => v !== ''));
  },
  /** MongoDB shell code (`--eval`, literal stdin) calls one of the destructive methods in `arg`. */
  'databases.mongo': (inv, _ctx, arg) => {
    const re = MONGO_CHECKS[arg ?? ''];
    return re !== undefined && mongoCode(inv).some((code) => re.test(code));
  },
  'databases.sql-file-unreadable': sqlFileUnreadable,
  /** A Redis command in the arguments or literal stdin is of the kind named by `arg`. */
  'databases.redis': (inv, _ctx, arg) => {
    const check = REDIS_CHECKS[arg ?? ''];
    return check !== undefined && redisCommands(inv).some((w) => check(w));
  },
  /**
   * A destructive SQL statement typed as a command line (`DROP TABLE users`). Bash has no such
   * program, but a terminal running a database shell sends the line straight to it. Lines with
   * options (`truncate -s 0 file`) are the real programs of the same name.
   */
  'databases.sql-typed': (inv) => {
    if (!SQL_VERBS.includes(inv.tool) || inv.argv.slice(1).some((a) => a.startsWith('-'))) return false;
    return sqlStatements(inv.argv.join(' '), 'generic').some((st) => {
      const risks = classifyStatement(st);
      return TYPED_RISKS.some((r) => risks.has(r));
    });
  },
  /** `FLUSHALL` typed as a command line: text meant for (or sent into) a redis-cli session. */
  'databases.redis-typed': (inv) => /^flush(all|db)$/.test(inv.tool) && isFlush(inv.argv),
  /** `db.users.drop()` / `db.dropDatabase()` typed as a command line (bash reads the name only). */
  'databases.mongo-typed': (inv) => /^db(\.[^.\s]+)*\.(drop|dropdatabase)$/i.test(inv.tool),
  /** `redis-cli --scan ... | xargs redis-cli DEL`: deletes every key the pipeline produces. */
  'databases.redis-bulk-delete': (inv) =>
    /^(del|unlink)$/i.test(inv.positionals[0] ?? '') && (inv.via.some((v) => v === 'xargs' || v === 'parallel') || inv.options.has('x')),
};

export const databasesPack: RulePack = {
  id: 'databases',
  grammars: [
    // goose reads Go flags: `-dir migrations` is one option and its value.
    { tools: ['goose'], singleDashLong: true, valueOptions: ['dir', 'table', 'certfile', 'ssl-cert', 'ssl-key', 'env', 'timeout'] },
    ...SQL_GRAMMARS,
    {
      tools: ['dropdb', 'createdb', 'dropuser', 'pg_restore', 'pg_dump', 'pg_dumpall'],
      valueOptions: ['h', 'host', 'p', 'port', 'U', 'username', 'maintenance-db', 'd', 'dbname', 'f', 'file', 'F', 'format', 'j', 'jobs', 'n', 'schema', 't', 'table', 'N', 'T', 'exclude-schema', 'exclude-table', 'role', 'S', 'superuser', 'L', 'use-list', 'I', 'index', 'P', 'function'],
      contextOptions: ['h', 'host', 'd', 'dbname'],
      contextEnv: ['PGHOST', 'PGDATABASE', 'PGSERVICE', 'DATABASE_URL'],
    },
    {
      tools: ['mysqladmin'],
      valueOptions: ['u', 'user', 'h', 'host', 'P', 'port', 'S', 'socket', 'defaults-file', 'login-path', 'connect-timeout', 'protocol'],
      contextOptions: ['h', 'host', 'login-path'],
      contextEnv: ['MYSQL_HOST'],
    },
    {
      tools: ['mongosh', 'mongo'],
      valueOptions: ['eval', 'host', 'port', 'u', 'username', 'password', 'authenticationDatabase', 'authenticationMechanism', 'f', 'file', 'tlsCAFile', 'tlsCertificateKeyFile', 'apiVersion'],
      contextOptions: ['host'],
      contextEnv: ['MONGODB_URI', 'MONGO_URL', 'DATABASE_URL'],
    },
    {
      tools: ['mongorestore', 'mongoimport'],
      valueOptions: ['uri', 'h', 'host', 'port', 'u', 'username', 'p', 'password', 'd', 'db', 'c', 'collection', 'nsInclude', 'nsExclude', 'nsFrom', 'nsTo', 'archive', 'authenticationDatabase', 'file', 'type', 'j', 'numParallelCollections'],
      contextOptions: ['uri', 'h', 'host', 'd', 'db'],
    },
    {
      tools: ['redis-cli', 'valkey-cli', 'keydb-cli'],
      valueOptions: ['h', 'p', 's', 'a', 'u', 'n', 'r', 'i', 'd', 'D', 'user', 'pass', 'sni', 'cacert', 'cacertdir', 'cert', 'key', 'tls-ciphers', 'tls-ciphersuites', 'eval', 'pattern', 'quoted-pattern', 'count', 'rdb', 'functions-rdb', 'pipe-timeout', 'memkeys-samples', 'intrinsic-latency', 'replica'],
      contextOptions: ['h', 'u'],
      contextEnv: ['REDIS_URL', 'REDISCLI_AUTH'],
    },
  ],
  detectors,
  rules: [
    {
      id: 'databases.sql-drop-data',
      tools: SQL_TOOLS,
      when: sqlRisk('drop-data'),
      severity: 'high',
      title: 'Drops a database, schema or table',
      why: 'DROP DATABASE / SCHEMA / TABLE deletes the object and every row in it at once, outside any review. It cannot be undone from the SQL shell: getting the data back means restoring a backup or a point-in-time recovery, and whatever was written since that backup is lost.',
      saferAlternative: 'Take a dump first (`pg_dump -t TABLE`, `mysqldump DB TABLE`), run it inside a transaction where the database allows it, or rename the table (`ALTER TABLE t RENAME TO t_old`) and drop it later once nothing misses it.',
    },
    {
      id: 'databases.sql-drop-object',
      tools: SQL_TOOLS,
      when: sqlRisk('drop-object'),
      severity: 'medium',
      title: 'Drops a schema object (index, view, function, role...)',
      why: 'DROP of an index, view, function, trigger, sequence, user or role does not delete table rows, but what depends on it breaks at once: queries slow to a crawl without their index, applications lose their login, views and functions vanish from code paths that call them.',
      saferAlternative: 'Check what depends on the object first; keep its definition (`pg_dump --schema-only`, `SHOW CREATE ...`) so it can be recreated, and prefer a migration in the repository.',
    },
    {
      id: 'databases.sql-truncate',
      tools: SQL_TOOLS,
      when: sqlRisk('truncate'),
      severity: 'high',
      title: 'Truncates a table',
      why: 'TRUNCATE removes every row of the table in one step. In most databases it cannot be rolled back once committed and leaves nothing in the table to recover from; only a backup brings the rows back.',
      saferAlternative: 'Export the rows first, or delete the rows you mean with a `DELETE ... WHERE` inside a transaction you can roll back.',
    },
    {
      id: 'databases.sql-delete-all',
      tools: SQL_TOOLS,
      when: sqlRisk('delete-all'),
      severity: 'high',
      title: 'Deletes every row of a table (DELETE without WHERE)',
      why: 'A DELETE with no WHERE clause (or one that is always true, like `WHERE 1=1`) removes every row of the table. Once committed the rows are gone unless a backup has them.',
      saferAlternative: 'Add the WHERE clause that names the rows you mean, run the same condition as a `SELECT count(*)` first, and wrap it in `BEGIN; ... ROLLBACK;` to see the effect.',
    },
    {
      id: 'databases.sql-update-all',
      tools: SQL_TOOLS,
      when: sqlRisk('update-all'),
      severity: 'high',
      title: 'Updates every row of a table (UPDATE without WHERE)',
      why: 'An UPDATE with no WHERE clause overwrites the column in every row of the table. The previous values are lost once committed; only a backup has them.',
      saferAlternative: 'Add the WHERE clause that names the rows you mean, check it with a SELECT first, and run it in a transaction you can roll back.',
    },
    {
      id: 'databases.sql-alter-drop',
      tools: SQL_TOOLS,
      when: sqlRisk('alter-drop'),
      severity: 'high',
      title: 'Drops a column, partition or constraint',
      why: 'ALTER ... DROP COLUMN / PARTITION deletes the data stored in it for every row; dropping a constraint removes a guarantee the application relies on. The dropped data is not recoverable without a backup.',
      saferAlternative: 'Copy the column or partition out first, stop the application reading it, and make the change as a reviewed migration.',
    },
    {
      id: 'databases.sql-file-unreadable',
      tools: SQL_TOOLS,
      when: { detect: 'databases.sql-file-unreadable' },
      severity: 'medium',
      title: 'Runs SQL from a file nobody could read',
      why: 'The SQL file this client runs is there but could not be read here: too large, not a regular file, or written by this very line with text only known when it runs (a download). What it does to the database is unknown.',
      saferAlternative: 'Look at the file first (`head`, `grep -iE "drop|truncate|delete"`), or run its statements by hand.',
    },
    {
      id: 'databases.sql-write-production',
      tools: SQL_TOOLS,
      productionOnly: true,
      when: { any: [sqlRisk('write'), { detect: 'databases.sql-file' }] },
      severity: 'medium',
      title: 'Changes data or schema on a production database',
      why: 'This SQL writes to a database the command line marks as production (its host, database name or URL). Even a narrow statement there changes live data that users depend on, and a script file runs whatever it holds.',
      saferAlternative: 'Run it against a staging copy first, then apply it to production through the reviewed migration path, inside a transaction.',
    },
    {
      id: 'databases.typed-at-a-prompt',
      // `*` for MongoDB: bash reads `db.users.drop()` as a command named `db.users.drop`.
      tools: ['*'],
      when: { any: [{ detect: 'databases.sql-typed' }, { detect: 'databases.redis-typed' }, { detect: 'databases.mongo-typed' }] },
      severity: 'high',
      title: 'Destructive database command typed as a command line',
      why: 'This line is not a program but a database statement (SQL DROP/TRUNCATE/DELETE or UPDATE without WHERE, Redis FLUSHALL, MongoDB drop()). Bash would reject it, but when the terminal it is sent to is running psql, mysql, redis-cli or mongosh, the line goes straight to the database and runs there, with the same permanent loss as any other DROP or flush.',
      saferAlternative: 'Send SQL through a command that names its target (`psql -h HOST -d DB -c ...`) so it can be reviewed, and add the WHERE clause or backup the statement needs.',
    },
    {
      id: 'databases.dropdb',
      tools: ['dropdb'],
      when: { all: [{ anyPositional: '*' }, NOT_HELP] },
      severity: 'high',
      title: 'Drops a PostgreSQL database',
      why: 'dropdb deletes the whole database: every schema, table and row. It cannot be undone; only a backup or point-in-time recovery brings it back.',
      saferAlternative: 'Dump it first (`pg_dump -Fc DB > DB.dump`), and check the host and database name twice; rename it (`ALTER DATABASE x RENAME TO x_old`) instead if unsure.',
    },
    {
      id: 'databases.dropuser',
      tools: ['dropuser'],
      when: { all: [{ anyPositional: '*' }, NOT_HELP] },
      severity: 'medium',
      title: 'Drops a PostgreSQL role',
      why: 'dropuser removes a login role. Applications or people using it lose access at once, and its grants must be rebuilt by hand if it is recreated.',
      saferAlternative: 'Revoke its login (`ALTER ROLE x NOLOGIN`) first and see what breaks.',
    },
    {
      id: 'databases.mysqladmin-drop',
      tools: ['mysqladmin'],
      when: { sub: ['drop'] },
      severity: 'high',
      title: 'Drops a MySQL database',
      why: 'mysqladmin drop deletes the whole database with all its tables; with -f it does not even ask. Only a backup brings it back.',
      saferAlternative: 'Dump it first (`mysqldump DB > DB.sql`) and check the host and database name.',
    },
    {
      id: 'databases.mysqladmin-shutdown',
      tools: ['mysqladmin'],
      when: { sub: ['shutdown'] },
      severity: 'medium',
      title: 'Shuts a MySQL server down',
      why: 'mysqladmin shutdown stops the server: every application using it fails until someone starts it again.',
      saferAlternative: 'Stop it through the service manager in a maintenance window, after checking which host the command points at.',
    },
    {
      id: 'databases.pg-restore-clean',
      tools: ['pg_restore'],
      when: { all: [{ option: ['c', 'clean'] }, { option: ['d', 'dbname'] }] },
      severity: 'high',
      title: 'Restores over an existing database, dropping its objects',
      why: 'pg_restore --clean drops every object in the dump from the target database before recreating it. Pointed at the wrong database, or with an old dump, the current tables and rows are replaced by the dump’s.',
      saferAlternative: 'Restore into a new, empty database and switch over, or dump the target first.',
    },
    {
      id: 'databases.mongorestore-drop',
      tools: ['mongorestore'],
      when: { option: ['drop'] },
      severity: 'high',
      title: 'Restores MongoDB collections after dropping them',
      why: 'mongorestore --drop drops each collection in the dump before restoring it, so documents written since the dump are lost.',
      saferAlternative: 'Restore into another database (`--nsFrom/--nsTo`) and compare, or dump the target first.',
    },
    {
      id: 'databases.mongo-drop-database',
      tools: ['mongosh', 'mongo'],
      when: { detect: 'databases.mongo', arg: 'drop-database' },
      severity: 'high',
      title: 'Drops a MongoDB database',
      why: 'dropDatabase() deletes the database with every collection and document in it. It cannot be undone; only a backup brings it back.',
      saferAlternative: 'Dump it first (`mongodump --db NAME`) and check which server the connection string points at.',
    },
    {
      id: 'databases.mongo-drop-collection',
      tools: ['mongosh', 'mongo'],
      when: { detect: 'databases.mongo', arg: 'drop-collection' },
      severity: 'high',
      title: 'Drops a MongoDB collection',
      why: 'drop() deletes the collection, all its documents and its indexes. It cannot be undone.',
      saferAlternative: 'Dump it first (`mongodump --collection NAME`), or rename it (`renameCollection`) and drop it later.',
    },
    {
      id: 'databases.mongo-delete-all',
      tools: ['mongosh', 'mongo'],
      when: { any: [{ detect: 'databases.mongo', arg: 'delete-all' }, { detect: 'databases.mongo', arg: 'update-all' }] },
      severity: 'high',
      title: 'Deletes or rewrites every document in a collection',
      why: 'deleteMany({}) / remove({}) with an empty filter deletes every document in the collection; updateMany({}, ...) rewrites every one. The old documents are gone unless a backup has them.',
      saferAlternative: 'Give the filter that names the documents you mean, and run it as countDocuments(filter) first.',
    },
    {
      id: 'databases.mongo-drop-other',
      tools: ['mongosh', 'mongo'],
      when: { detect: 'databases.mongo', arg: 'drop-other' },
      severity: 'medium',
      title: 'Drops MongoDB indexes, users or roles',
      why: 'Dropping indexes makes queries scan whole collections; dropping users or roles locks applications out. Their definitions must be rebuilt by hand.',
      saferAlternative: 'Record the definitions first (`getIndexes()`, `getUsers()`), and make the change as a reviewed migration.',
    },
    {
      id: 'databases.redis-flush',
      tools: ['redis-cli', 'valkey-cli', 'keydb-cli'],
      when: { detect: 'databases.redis', arg: 'flush' },
      severity: 'high',
      title: 'Deletes every key in Redis (FLUSHALL / FLUSHDB)',
      why: 'FLUSHALL deletes every key in every database of the server; FLUSHDB every key of the selected one. Caches, sessions, queues and anything stored only in Redis are gone at once, and unless persistence snapshots are kept elsewhere they cannot be recovered.',
      saferAlternative: 'Delete the keys you mean by pattern with `--scan --pattern` and review the list first; check the host (-h) before anything else.',
    },
    {
      id: 'databases.redis-shutdown',
      tools: ['redis-cli', 'valkey-cli', 'keydb-cli'],
      when: { detect: 'databases.redis', arg: 'shutdown' },
      severity: 'high',
      title: 'Stops or crashes the Redis server',
      why: 'SHUTDOWN (and DEBUG SEGFAULT/RESTART) stops the server: every client fails until it is restarted, and with NOSAVE the data since the last snapshot is lost.',
      saferAlternative: 'Stop it through the service manager in a maintenance window, after checking the host.',
    },
    {
      id: 'databases.redis-replicaof',
      tools: ['redis-cli', 'valkey-cli', 'keydb-cli'],
      when: { detect: 'databases.redis', arg: 'replicaof' },
      severity: 'high',
      title: 'Makes a Redis node a replica, or resets its cluster state',
      why: 'REPLICAOF/SLAVEOF host port makes this server discard its own dataset and copy another server’s; CLUSTER RESET/FLUSHSLOTS drops its cluster membership and slots. Pointed at the wrong node, its data is replaced.',
      saferAlternative: 'Check which node the command points at (-h) and that its data is replicated elsewhere; do failovers through the cluster tooling.',
    },
    {
      id: 'databases.redis-config',
      tools: ['redis-cli', 'valkey-cli', 'keydb-cli'],
      when: { detect: 'databases.redis', arg: 'config' },
      severity: 'medium',
      title: 'Changes Redis server configuration, scripts or users',
      why: 'CONFIG SET changes the live server (persistence, memory policy, where it writes files), SCRIPT/FUNCTION FLUSH deletes loaded scripts, ACL SETUSER/DELUSER changes who can log in. The change applies at once to every client.',
      saferAlternative: 'Make the change in the server’s configuration file through review, and check the host first.',
    },
    {
      id: 'databases.redis-bulk-delete',
      tools: ['redis-cli', 'valkey-cli', 'keydb-cli'],
      when: { detect: 'databases.redis-bulk-delete' },
      severity: 'high',
      title: 'Deletes Redis keys in bulk from a pipeline',
      why: 'DEL/UNLINK fed by xargs (or -x) deletes whatever keys the previous command printed; a broad --scan pattern removes far more than meant, and deleted keys cannot be recovered.',
      saferAlternative: 'Run the --scan with the pattern alone first and read the list, or use a narrower pattern.',
    },
    {
      id: 'databases.rails-reset',
      tools: ['rails', 'rake'],
      when: { anyPositional: 'db:drop*|db:reset|db:purge|db:schema:load|db:structure:load|db:migrate:reset|db:seed:replant|db:truncate_all|db:setup' },
      severity: 'high',
      title: 'Drops or reloads the application database (Rails)',
      why: 'These tasks drop the database, or load the schema over it, and recreate it empty (or with seed data). Every row is gone; with DATABASE_URL or RAILS_ENV pointing at production it is the production database.',
      saferAlternative: 'Take a dump first (`pg_dump`/`mysqldump`), check RAILS_ENV and DATABASE_URL, and prefer `db:migrate` for schema changes.',
    },
    {
      id: 'databases.prisma-reset',
      tools: ['prisma'],
      when: { any: [{ sub: ['migrate', 'reset'] }, { all: [{ sub: ['db', 'push'] }, { option: ['force-reset', 'accept-data-loss'] }] }] },
      severity: 'high',
      title: 'Resets the database schema and data (Prisma)',
      why: '`prisma migrate reset` drops the database and re-applies every migration; `db push --force-reset` or `--accept-data-loss` drops tables or columns to match the schema. The data in them is lost, on whatever DATABASE_URL points at.',
      saferAlternative: 'Check DATABASE_URL, back the database up, and create a migration (`prisma migrate dev --create-only`) to review what it drops.',
    },
    {
      id: 'databases.django-flush',
      tools: ['python', 'python3', 'django-admin'],
      when: {
        any: [
          { sub: ['manage.py|*/manage.py', 'flush|reset_db|sqlflush'] },
          { sub: ['flush|reset_db'] },
          { sub: ['manage.py|*/manage.py', 'migrate', '*', 'zero'] },
          { sub: ['migrate', '*', 'zero'] },
        ],
      },
      severity: 'high',
      title: 'Empties the application database (Django)',
      why: '`manage.py flush` deletes every row of every table (reset_db drops the database), and `migrate APP zero` unapplies every migration of the app, dropping its tables; the data is gone, in whatever database the settings module points at.',
      saferAlternative: 'Check DJANGO_SETTINGS_MODULE and the database settings, and take a dump (`manage.py dumpdata` or the database tool) first.',
    },
    {
      id: 'databases.laravel-reset',
      tools: ['php'],
      when: { sub: ['artisan', 'migrate:fresh|migrate:reset|migrate:refresh|db:wipe|migrate:rollback'] },
      severity: 'high',
      title: 'Drops or rolls back the application database (Laravel)',
      why: 'migrate:fresh and db:wipe drop every table; migrate:reset, refresh and rollback run the down migrations, which usually drop tables and their data.',
      saferAlternative: 'Check APP_ENV and the database connection, back it up, and roll back one reviewed step at a time.',
    },
    {
      id: 'databases.migration-tool-drop',
      tools: ['sequelize', 'typeorm', 'knex', 'alembic', 'flyway', 'liquibase', 'goose'],
      when: {
        any: [
          { sub: ['db:drop|schema:drop|clean|drop-all|dropAll'] },
          { all: [{ sub: ['migrate:rollback'] }, { option: ['all'] }] },
          { sub: ['downgrade', 'base'] },
          // goose: its driver and connection string may come first (`goose postgres "$DSN" reset`).
          { anyPositional: 'reset' },
          { sub: ['*', 'down-to', '0'] },
          { sub: ['down-to', '0'] },
          { sub: ['*', '*', 'down-to', '0'] },
        ],
      },
      severity: 'high',
      title: 'Drops the schema through a migration tool',
      why: 'db:drop, schema:drop, flyway clean, liquibase drop-all, knex rollback --all, alembic downgrade base and goose reset or down-to 0 remove every table the tool manages, with their data.',
      saferAlternative: 'Back the database up and check which database the tool is configured for; roll back one reviewed migration at a time.',
    },
    {
      id: 'databases.build-tool-drop',
      // The same Flyway and Liquibase goals run as build plugins: `./gradlew flywayClean`, `mvn flyway:clean`.
      tools: ['gradle', 'gradlew', 'mvn', 'mvnw', 'mvnd'],
      when: { anyPositional: 'flywayClean|flyway:clean|liquibaseDropAll|dropAll|liquibase:dropAll|liquibase:rollback*|liquibaseRollback*' },
      severity: 'high',
      title: 'Drops the schema through a build plugin (Flyway or Liquibase)',
      why: 'flywayClean / flyway:clean drops every object in the configured schemas, and Liquibase’s dropAll drops every table; rollback goals run down-changes that usually drop tables. The database is whichever the build configuration or -D properties point at.',
      saferAlternative: 'Check the url the plugin is configured with (`-Dflyway.url`, gradle.properties), back the database up, and keep `cleanDisabled=true` for shared databases.',
    },
  ],
};
