/**
 * The check behind "verified": the list of tables and the row count of each, read from the source and
 * from the restored copy, must be the same. The SQL that reads them is built here, for each engine:
 * names travel hex-encoded (any character survives the client's output format) and each count is
 * tagged with the table's index, so no name is ever spliced into SQL as a string.
 */
import type { DatabaseEngine } from './dataTarget';

export interface TableCount {
  /** `schema.table` for PostgreSQL, the table name elsewhere. */
  readonly table: string;
  readonly rows: number;
}

/** A table in its engine's terms: PostgreSQL's schema and name; the name alone elsewhere. */
export interface TableName {
  readonly schema?: string;
  readonly name: string;
}

/** The rows of all the tables (for Redis, the keys of all the databases). */
export function totalRows(tables: readonly TableCount[]): number {
  return tables.reduce((sum, t) => sum + t.rows, 0);
}

/** More tables than this and the comparison refuses (the count query grows with each). */
export const MAX_TABLES = 5000;
/** Tables counted per query. */
export const COUNT_CHUNK = 200;

/** The query that lists the base tables, one per line: hex(schema) and hex(name) for PostgreSQL, hex(name) elsewhere. */
export function listTablesSql(engine: DatabaseEngine, database?: string): string {
  switch (engine) {
    case 'postgresql':
      return "SELECT encode(convert_to(schemaname, 'UTF8'), 'hex') || ' ' || encode(convert_to(tablename, 'UTF8'), 'hex') FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1";
    case 'mysql':
      // The database's name goes in hex too: never spliced in as a string.
      return `SELECT HEX(table_name) FROM information_schema.tables WHERE table_schema = UNHEX('${hex(database ?? '')}') AND table_type = 'BASE TABLE' ORDER BY 1`;
    case 'sqlite':
      return "SELECT hex(name) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY 1";
    case 'redis':
      // Redis has no SQL: its keyspace is compared instead (redisKeyspace.ts).
      throw new Error('Redis has no tables to list');
  }
}

export function parseTableList(engine: DatabaseEngine, output: string): TableName[] {
  const lines = output.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length > MAX_TABLES) throw new Error(`more than ${MAX_TABLES} tables`);
  return lines.map((line) => {
    const parts = line.split(' ');
    if (engine === 'postgresql') {
      if (parts.length !== 2) throw new Error(`unexpected table list line: ${line.slice(0, 80)}`);
      return { schema: unhex(parts[0]), name: unhex(parts[1]) };
    }
    if (parts.length !== 1) throw new Error(`unexpected table list line: ${line.slice(0, 80)}`);
    return { name: unhex(parts[0]) };
  });
}

/** Queries that count each table's rows, COUNT_CHUNK tables per query, as lines `index count`. */
export function countRowsSql(engine: DatabaseEngine, tables: readonly TableName[]): string[] {
  const queries: string[] = [];
  for (let from = 0; from < tables.length; from += COUNT_CHUNK) {
    const parts = tables.slice(from, from + COUNT_CHUNK).map((t, i) => `SELECT ${from + i} AS i, COUNT(*) AS n FROM ${quoteTable(engine, t)}`);
    queries.push(`${parts.join(' UNION ALL ')};`);
  }
  return queries;
}

/** The counts in the query's output, matched back to the tables by index. */
export function parseCounts(tables: readonly TableName[], output: string): TableCount[] {
  const rows = new Map<number, number>();
  for (const line of output.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
    if (match) rows.set(Number(match[1]), Number(match[2]));
  }
  return tables.map((t, i) => {
    const count = rows.get(i);
    if (count === undefined) throw new Error(`no row count for ${tableLabel(t)}`);
    return { table: tableLabel(t), rows: count };
  });
}

/** Where the copy differs from the source, one line each; empty when they match. */
export function compareCounts(source: readonly TableCount[], copy: readonly TableCount[]): string[] {
  const copied = new Map(copy.map((t) => [t.table, t.rows]));
  const differences: string[] = [];
  for (const t of source) {
    const rows = copied.get(t.table);
    if (rows === undefined) differences.push(`${t.table} is missing from the copy`);
    else if (rows !== t.rows) differences.push(`${t.table} has ${t.rows} rows in the database and ${rows} in the copy`);
    copied.delete(t.table);
  }
  for (const table of copied.keys()) differences.push(`${table} is in the copy but not in the database`);
  return differences;
}

export function tableLabel(t: TableName): string {
  return t.schema !== undefined ? `${t.schema}.${t.name}` : t.name;
}

function quoteTable(engine: DatabaseEngine, t: TableName): string {
  const quote = engine === 'mysql' ? (s: string): string => `\`${s.replace(/`/g, '``')}\`` : (s: string): string => `"${s.replace(/"/g, '""')}"`;
  return t.schema !== undefined ? `${quote(t.schema)}.${quote(t.name)}` : quote(t.name);
}

function hex(text: string): string {
  return [...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function unhex(text: string): string {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) throw new Error(`not hex: ${text.slice(0, 80)}`);
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return new TextDecoder().decode(bytes);
}
