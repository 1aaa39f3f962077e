/**
 * A database a paused command reaches, as the backup needs it: which engine, where, which database,
 * as whom. The password is a Secret, which prints as ‹redacted› in every formatter (template strings,
 * JSON, Node's inspect), so a target can go into a card, a log line or the audit as it is.
 */
import { REDACTED } from '../audit/redact';

/** The engines Back up first drives, each through its own tools (src/node/backup/backUp.ts). */
export const DATABASE_ENGINES = ['postgresql', 'mysql', 'sqlite', 'redis'] as const;
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

/** A value that only `reveal()` gives out; everything that formats it sees ‹redacted›. */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The value itself, for the one place that hands it to a client (an environment variable). */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}

export interface DataTarget {
  readonly engine: DatabaseEngine;
  /** Host name or address; a path (a socket, or PostgreSQL's socket folder) when it starts with `/`. Absent: the client's default. */
  readonly host?: string;
  /** Absent: the client's default. */
  readonly port?: number;
  /** The database name; for SQLite the file's absolute path; for Redis the database number the line selects (`"0"`). */
  readonly database: string;
  /** Absent: the client's default (the login name, or what its option file says). */
  readonly user?: string;
  readonly password?: Secret;
}

/** One line for a card: `postgresql admin@db.prod:5432/shop`, never the password. */
export function describeTarget(target: DataTarget): string {
  if (target.engine === 'sqlite') return `sqlite ${target.database}`;
  const user = target.user !== undefined ? `${target.user}@` : '';
  const host = target.host ?? 'localhost';
  const port = target.port !== undefined ? `:${target.port}` : '';
  return `${target.engine} ${user}${host.startsWith('/') ? `[${host}]` : host}${port}/${target.database}`;
}

/**
 * The same database, whoever connects to it: what two readings of a line are compared by. A Redis
 * server is backed up whole (its RDB holds every database), so its database numbers are one target.
 */
export function targetKey(target: DataTarget): string {
  return [target.engine, target.host ?? '', target.port ?? '', target.engine === 'redis' ? '' : target.database].join('\u0000');
}
