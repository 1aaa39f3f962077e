/**
 * Connection strings as the clients read them: URLs (`postgres://user:pass@host:port/db?…`,
 * `mysql://…`, a driver suffix such as `postgresql+psycopg2://`, `sqlite:///path`, redis-cli's
 * `redis://user:pass@host:port/db-number`) and libpq's
 * `key=value` form (`host=db dbname=shop password='a b'`). Only what the backup needs is kept; what
 * cannot be told (several hosts, a service file) is a refusal with its reason.
 */
import { err, ok, type Result } from '../result';
import type { DatabaseEngine } from './dataTarget';

/** What a connection string says; each field absent when it does not say it. */
export interface ConnectionParts {
  readonly engine?: DatabaseEngine;
  readonly host?: string;
  readonly port?: string;
  readonly database?: string;
  readonly user?: string;
  readonly password?: string;
}

/** Longer than any real connection string: read no further. */
export const MAX_CONNECTION_STRING = 4096;

const URL_FORM = /^([a-z][a-z0-9+.-]*):\/\//i;
const SCHEMES: Readonly<Record<string, DatabaseEngine>> = { postgres: 'postgresql', postgresql: 'postgresql', mysql: 'mysql', mariadb: 'mysql', sqlite: 'sqlite', sqlite3: 'sqlite', redis: 'redis', rediss: 'redis' };
/** `rediss://` is Redis over TLS, which the backup's redis-cli run does not set up: refused rather than tried in the clear. */
const TLS_URL = /^rediss:\/\//i;
/** A libpq `key=value` string starts with a key it knows. */
const CONNINFO_FORM = /^\s*(?:host|hostaddr|port|dbname|user|password|service|sslmode|connect_timeout|application_name|options)\s*=/;

/** Whether the text is a connection string (a database URL or libpq's key=value form), not a plain name. */
export function isConnectionString(text: string): boolean {
  return schemeEngine(text) !== undefined || CONNINFO_FORM.test(text);
}

/** The engine a URL's scheme names (`postgresql+asyncpg://` is PostgreSQL); undefined for other text. */
export function schemeEngine(text: string): DatabaseEngine | undefined {
  const scheme = URL_FORM.exec(text)?.[1].toLowerCase().split('+')[0];
  return scheme !== undefined ? SCHEMES[scheme] : undefined;
}

export function parseConnectionString(text: string): Result<ConnectionParts> {
  if (text.length > MAX_CONNECTION_STRING) return err(`the connection string is longer than ${MAX_CONNECTION_STRING} characters`);
  const engine = schemeEngine(text);
  if (engine === 'sqlite') return parseSqliteUrl(text);
  if (TLS_URL.test(text)) return err('the connection string is for Redis over TLS (rediss://), which the backup does not connect with');
  if (engine !== undefined) return parseUrl(text, engine);
  if (CONNINFO_FORM.test(text)) return parseConninfo(text);
  return err('it is not a connection string');
}

/** `scheme://[user[:password]@][host][:port][/database][?key=value&…]`; PostgreSQL's query keys override. */
function parseUrl(text: string, engine: DatabaseEngine): Result<ConnectionParts> {
  const rest = text.replace(URL_FORM, '');
  // A `?` or `#` before the last `@` may sit in the password (libpq and redis-cli read it so) or start a query: the clients disagree, so it is not guessed.
  if (/[?#]/.test(rest.slice(0, rest.lastIndexOf('@') + 1))) return err('the connection string has a ? or # before its @, so where its password ends cannot be told');
  const queryAt = rest.indexOf('?');
  const beforeQuery = queryAt === -1 ? rest : rest.slice(0, queryAt);
  // The credentials end at the last `@` before the path: a password may hold a raw `@`.
  const slash = beforeQuery.indexOf('/', beforeQuery.lastIndexOf('@') + 1);
  const authority = slash === -1 ? beforeQuery : beforeQuery.slice(0, slash);
  const path = slash === -1 ? '' : beforeQuery.slice(slash + 1);
  const at = authority.lastIndexOf('@');
  const credentials = at === -1 ? undefined : authority.slice(0, at);
  const hostPort = authority.slice(at + 1);
  if (hostPort.includes(',')) return err('the connection string names several hosts');
  const parts: Record<string, string | undefined> = {};
  try {
    if (credentials !== undefined) {
      const colon = credentials.indexOf(':');
      parts.user = decode(colon === -1 ? credentials : credentials.slice(0, colon));
      if (colon !== -1) parts.password = decode(credentials.slice(colon + 1));
    }
    const hostMatch = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostPort);
    parts.host = decode(hostMatch?.[1].replace(/^\[(.*)\]$/, '$1') ?? '');
    parts.port = hostMatch?.[2];
    parts.database = decode(path);
    if (engine === 'postgresql' && queryAt !== -1) {
      for (const pair of rest.slice(queryAt + 1).split('&')) {
        const eq = pair.indexOf('=');
        const key = decode(eq === -1 ? pair : pair.slice(0, eq));
        const value = decode(eq === -1 ? '' : pair.slice(eq + 1));
        const field = LIBPQ_KEYS[key];
        if (field === 'refuse') return err(`the connection string's ${key} names the connection elsewhere`);
        if (field) parts[field] = value;
      }
    }
  } catch {
    return err('the connection string has a broken %-escape');
  }
  return ok(definedParts({ engine, ...parts }));
}

/** SQLAlchemy's `sqlite:////abs/app.db` (absolute) and `sqlite:///app.db` (relative): the file. */
function parseSqliteUrl(text: string): Result<ConnectionParts> {
  const path = text.replace(URL_FORM, '').replace(/\?.*$/, '').replace(/^\//, '');
  if (path === '' || path === ':memory:') return err('the database is in memory');
  return ok({ engine: 'sqlite', database: path });
}

/** libpq keys the backup reads, by the field they fill; `refuse`: the connection is named somewhere this cannot read. */
const LIBPQ_KEYS: Readonly<Record<string, keyof ConnectionParts | 'refuse'>> = {
  host: 'host',
  hostaddr: 'host',
  port: 'port',
  dbname: 'database',
  user: 'user',
  password: 'password',
  service: 'refuse',
  passfile: 'refuse',
};

/** libpq's `key = value …`, values bare or single-quoted with backslash escapes. */
function parseConninfo(text: string): Result<ConnectionParts> {
  const parts: Record<string, string> = {};
  const pair = /\s*([A-Za-z_]+)\s*=\s*(?:'((?:\\.|[^'\\])*)'|((?:\\.|[^\s'\\])*))/y;
  let at = 0;
  while (at < text.length && text.slice(at).trim() !== '') {
    pair.lastIndex = at;
    const match = pair.exec(text);
    if (!match) return err('the connection string is not key=value pairs');
    at = pair.lastIndex;
    const [, key, quoted, bare] = match;
    const value = (quoted ?? bare).replace(/\\(.)/g, '$1');
    const field = LIBPQ_KEYS[key];
    if (field === 'refuse') return err(`the connection string's ${key} names the connection elsewhere`);
    if (field && field !== 'engine') {
      if (field === 'host' && value.includes(',')) return err('the connection string names several hosts');
      parts[field] = value;
    }
  }
  return ok(definedParts({ engine: 'postgresql', ...parts }));
}

function decode(text: string): string {
  return decodeURIComponent(text);
}

/** Empty fields are the client's defaults: left out, as absent ones are. */
function definedParts(parts: Record<string, string | undefined>): ConnectionParts {
  return Object.fromEntries(Object.entries(parts).filter(([, v]) => v !== undefined && v !== '')) as ConnectionParts;
}
