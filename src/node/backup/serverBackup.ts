import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compareCounts, totalRows, type TableCount } from '../../core/backup/tableCounts';
import type { DataTarget } from '../../core/backup/dataTarget';
import type { BackupOutcome } from '../../core/backup/outcome';
import { formatBytes } from '../../core/backup/outcome';
import type { Result } from '../../core/result';
import { privateFolder } from '../runtimeDir';
import { backupFileName, defaultBackupFolder, scratchName } from './backupFolder';
import { failedAs, failedOutcome, notBackedUp, Steps, type BackupOptions } from './steps';
import { checkRestored, countTables, restoreFailure, type Query, type RestoreReport } from './verification';

/**
 * A database server's clients, as the shared backup flow drives them (PostgreSQL and MariaDB/MySQL
 * each implement it): dump, make and drop a database, load a dump into one, run a query.
 */
export interface ServerClient {
  /** The dump file's extension. */
  readonly extension: string;
  dump(steps: Steps, file: string, maxBytes: number): Promise<void>;
  createDatabase(steps: Steps, name: string): Promise<void>;
  /** Loads the dump into `name`; `clean` drops what is there first (a restore over the original). */
  load(steps: Steps, name: string, file: string, clean: boolean): Promise<void>;
  dropDatabase(steps: Steps, name: string): Promise<void>;
  readonly query: Query;
}

/**
 * Dumps the target, restores the dump into a fresh scratch database and compares the tables and the
 * row count of each; only a match is `backed-up`. The scratch database is always dropped, and a dump
 * that did not verify (or was cut short) is removed.
 */
export async function backUpServer(target: DataTarget, client: ServerClient, options: BackupOptions): Promise<BackupOutcome> {
  const steps = new Steps(target, options);
  let file: string | undefined;
  try {
    const folder = privateFolder(options.folder ?? defaultBackupFolder(options.environment));
    if (!folder.ok) throw notBackedUp(folder.error);
    file = join(folder.value, backupFileName(target, client.extension));
    steps.progress(`dumping ${target.database}`);
    await client.dump(steps, file, options.maxBytes);
    const bytes = statSync(file).size;
    steps.progress(`dump written: ${file} (${formatBytes(bytes)})`);
    const tables = await verifyInScratch(steps, client, file);
    return { kind: 'backed-up', target, file, bytes, verified: { method: 'restored-into-scratch', tables, tools: steps.tools } };
  } catch (error) {
    if (file !== undefined) rmSync(file, { force: true });
    return failedOutcome(target, error);
  }
}

async function verifyInScratch(steps: Steps, client: ServerClient, file: string): Promise<TableCount[]> {
  const scratch = scratchName();
  steps.progress(`restoring into scratch database ${scratch}`);
  try {
    // Inside the try: a create cut short after the server made the database still has it dropped.
    await client.createDatabase(steps, scratch).catch(failedAs('did not verify: could not create a scratch database'));
    await client.load(steps, scratch, file, false).catch(failedAs('did not verify: the dump did not restore'));
    steps.progress('comparing tables and row counts');
    const copy = await countTables(steps, client.query, scratch);
    const source = await countTables(steps, client.query, steps.target.database);
    const differences = compareCounts(source, copy);
    if (differences.length > 0) throw notBackedUp(`did not verify: ${differences.slice(0, 5).join('; ')}`);
    steps.progress(`verified: ${source.length} tables, ${totalRows(source)} rows`);
    return source;
  } finally {
    await client.dropDatabase(steps, scratch).then(
      () => steps.progress(`dropped scratch database ${scratch}`),
      (error: Error) => steps.progress(`could not drop scratch database ${scratch}: ${error.message}`),
    );
  }
}

/**
 * Restores a verified backup into the database it was taken from (made if missing, its objects
 * replaced), then checks the tables and row counts against those the backup was verified with.
 * The caller asks the person first.
 */
export async function restoreServer(backup: Extract<BackupOutcome, { kind: 'backed-up' }>, client: ServerClient, options: Omit<BackupOptions, 'maxBytes' | 'folder'>): Promise<Result<RestoreReport>> {
  const steps = new Steps(backup.target, { ...options, maxBytes: Infinity });
  const database = backup.target.database;
  try {
    steps.progress(`restoring ${backup.file} into ${database}`);
    await client.createDatabase(steps, database).catch((error: Error) => {
      if (!/already exists|database exists/i.test(error.message)) throw error;
    });
    await client.load(steps, database, backup.file, true);
    return await checkRestored(steps, client.query, backup);
  } catch (error) {
    return restoreFailure(backup, error);
  }
}
