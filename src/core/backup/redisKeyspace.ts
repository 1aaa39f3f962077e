/**
 * A Redis server's keyspace, as its backup is verified by: `INFO keyspace` lists each database that
 * holds keys (`db3:keys=12,expires=2,avg_ttl=0`), read from the server before the dump and from a
 * scratch server loaded with the copy. Each database is a TableCount (`db3`, its keys as rows), so
 * the comparison and the stored record are the ones the SQL engines use.
 */
import type { TableCount } from './tableCounts';

const DATABASE_LINE = /^db(\d+):keys=(\d+)(?:,|$)/;
/** A server's databases unless configured otherwise. */
const DEFAULT_DATABASES = 16;
/** The most databases a scratch server is started with (its memory grows with each). */
export const MAX_DATABASES = 4096;

/** The databases and their key counts in `INFO keyspace` output; anything else in it (an error reply) throws. */
export function parseKeyspace(info: string): TableCount[] {
  const counts: TableCount[] = [];
  for (const raw of info.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = DATABASE_LINE.exec(line);
    if (!match) throw new Error(`unexpected INFO keyspace line: ${line.slice(0, 80)}`);
    // The scratch server is started with this many databases: a server claiming more is not believed.
    if (Number(match[1]) >= MAX_DATABASES) throw new Error(`INFO keyspace names database ${match[1].slice(0, 12)}, past the ${MAX_DATABASES} a backup is checked with`);
    counts.push({ table: `db${match[1]}`, rows: Number(match[2]) });
  }
  return counts;
}

/** How many databases a server needs to load an RDB with these: a scratch server with fewer refuses the file. */
export function databasesNeeded(counts: readonly TableCount[]): number {
  return Math.max(DEFAULT_DATABASES, ...counts.map((c) => Number(c.table.slice('db'.length)) + 1));
}
