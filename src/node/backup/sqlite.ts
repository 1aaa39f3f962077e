import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DataTarget } from '../../core/backup/dataTarget';
import { formatBytes, type BackupOutcome } from '../../core/backup/outcome';
import { compareCounts, totalRows } from '../../core/backup/tableCounts';
import type { Result } from '../../core/result';
import { privateFolder } from '../runtimeDir';
import { backupFileName, defaultBackupFolder } from './backupFolder';
import { failedOutcome, notBackedUp, Steps, type BackupOptions } from './steps';
import { checkRestored, countTables, restoreFailure, type RestoreReport } from './verification';

/**
 * SQLite through the sqlite3 shell: `.backup` (SQLite's online backup, consistent while others
 * write) from a read-only connection to the source, verified by `PRAGMA integrity_check` and the same
 * tables and row counts in the source and the copy. Restore is `.restore` into the original file.
 */
const SQLITE = ['sqlite3'];
/** How long a locked database is waited for, inside the whole backup's time. */
const BUSY_TIMEOUT = '.timeout 5000';

function sqliteQuery(steps: Steps, database: string, sql: string): Promise<string> {
  return steps.run('reading tables', SQLITE, ['-readonly', '-batch', '-noheader', '-separator', ' ', database, sql], steps.env).then((r) => r.stdout);
}

/** A path as a dot-command's quoted argument; one the shell could misread is refused. */
function dotArgument(path: string): string {
  if (/['\n\r\\]/.test(path)) throw notBackedUp(`the path ${path} has a character the sqlite3 shell would misread`);
  return `'${path}'`;
}

async function integrityOk(steps: Steps, file: string): Promise<void> {
  const check = (await steps.run('checking integrity', SQLITE, ['-readonly', '-batch', file, 'PRAGMA integrity_check'], steps.env)).stdout.trim();
  if (check !== 'ok') throw notBackedUp(`did not verify: the integrity check says ${check.split('\n')[0].slice(0, 200)}`);
}

export async function backUpSqlite(target: DataTarget, options: BackupOptions): Promise<BackupOutcome> {
  const steps = new Steps(target, options);
  let file: string | undefined;
  try {
    const source = target.database;
    let size: number;
    try {
      const stat = statSync(source);
      if (!stat.isFile()) throw notBackedUp(`${source} is not a file`);
      size = stat.size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notBackedUp(`${source} does not exist`);
      throw error;
    }
    // The backup copies every page of the source: its size is known before it starts.
    if (size > options.maxBytes) throw notBackedUp(`the database (${formatBytes(size)}) is larger than the backup's cap of ${options.maxBytes} bytes`);
    const folder = privateFolder(options.folder ?? defaultBackupFolder(options.environment));
    if (!folder.ok) throw notBackedUp(folder.error);
    file = join(folder.value, backupFileName(target, 'sqlite'));
    steps.progress(`backing up ${source}`);
    // Made first, private and empty: SQLite writes into it and keeps its mode.
    closeSync(openSync(file, 'wx', 0o600));
    await steps.run('backing up', SQLITE, ['-readonly', '-bail', source, BUSY_TIMEOUT, `.backup ${dotArgument(file)}`], steps.env);
    // A copy of a WAL database is in WAL mode, and reading it leaves -wal and -shm files: one file is kept instead.
    await steps.run('settling the copy', SQLITE, ['-bail', file, 'PRAGMA journal_mode=DELETE'], steps.env);
    const bytes = statSync(file).size;
    steps.progress(`backup written: ${file} (${formatBytes(bytes)})`);
    await integrityOk(steps, file);
    steps.progress('comparing tables and row counts');
    const copy = await countTables(steps, sqliteQuery, file);
    const original = await countTables(steps, sqliteQuery, source);
    const differences = compareCounts(original, copy);
    if (differences.length > 0) throw notBackedUp(`did not verify: ${differences.slice(0, 5).join('; ')}`);
    steps.progress(`verified: ${original.length} tables, ${totalRows(original)} rows`);
    return { kind: 'backed-up', target, file, bytes, verified: { method: 'integrity-check', tables: original, tools: steps.tools } };
  } catch (error) {
    if (file !== undefined) for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
    return failedOutcome(target, error);
  }
}

/** Puts a verified backup back into the original file (made if missing), then checks it against the backup's tables. */
export async function restoreSqlite(backup: Extract<BackupOutcome, { kind: 'backed-up' }>, options: Omit<BackupOptions, 'maxBytes' | 'folder'>): Promise<Result<RestoreReport>> {
  const steps = new Steps(backup.target, { ...options, maxBytes: Infinity });
  const database = backup.target.database;
  try {
    steps.progress(`restoring ${backup.file} into ${database}`);
    await steps.run('restoring', SQLITE, ['-bail', database, BUSY_TIMEOUT, `.restore ${dotArgument(backup.file)}`], steps.env);
    await integrityOk(steps, database);
    return await checkRestored(steps, sqliteQuery, backup);
  } catch (error) {
    return restoreFailure(backup, error);
  }
}
