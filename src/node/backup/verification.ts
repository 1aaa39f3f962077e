import { compareCounts, countRowsSql, listTablesSql, parseCounts, parseTableList, type TableCount } from '../../core/backup/tableCounts';
import type { BackupOutcome } from '../../core/backup/outcome';
import { err, ok, type Result } from '../../core/result';
import { failedOutcome, type Steps } from './steps';

/** Runs SQL in a database through the engine's client: one line per row, columns separated by whitespace. */
export type Query = (steps: Steps, database: string, sql: string) => Promise<string>;

/** The base tables of a database and the row count of each, read through its client. */
export async function countTables(steps: Steps, query: Query, database: string): Promise<TableCount[]> {
  const engine = steps.target.engine;
  const tables = parseTableList(engine, await query(steps, database, listTablesSql(engine, database)));
  let output = '';
  for (const sql of countRowsSql(engine, tables)) output += `${await query(steps, database, sql)}\n`;
  return parseCounts(tables, output);
}

/** What a restore brought back: the tables and row counts, checked against the backup's. */
export interface RestoreReport {
  readonly database: string;
  readonly tables: readonly TableCount[];
}

/** Reads the restored database back; it must hold the tables and rows the backup was verified with. */
export async function checkRestored(steps: Steps, query: Query, backup: Extract<BackupOutcome, { kind: 'backed-up' }>): Promise<Result<RestoreReport>> {
  const database = backup.target.database;
  const tables = await countTables(steps, query, database);
  const differences = compareCounts(backup.verified.tables, tables);
  if (differences.length > 0) return err(`restored, but it does not match the backup: ${differences.slice(0, 5).join('; ')}`);
  steps.progress(`restored: ${tables.length} tables`);
  return ok({ database, tables });
}

/** Why a restore stopped, as one line. */
export function restoreFailure(backup: Extract<BackupOutcome, { kind: 'backed-up' }>, error: unknown): Result<never> {
  const outcome = failedOutcome(backup.target, error);
  return err(outcome.kind === 'cannot-back-up-here' ? `${outcome.why}: ${outcome.detail}` : outcome.kind === 'not-backed-up' ? outcome.reason : 'restore failed');
}
