import type { DataTarget } from '../../core/backup/dataTarget';
import type { BackupOutcome } from '../../core/backup/outcome';
import type { Result } from '../../core/result';
import { backUpMysql, restoreMysql } from './mysql';
import { backUpPostgres, restorePostgres } from './postgres';
import { backUpSqlite, restoreSqlite } from './sqlite';
import type { BackupOptions } from './steps';
import type { RestoreReport } from './verification';

/** Backs one data target up with its engine's own tools; only a verified copy comes back `backed-up`. */
export function backUp(target: DataTarget, options: BackupOptions): Promise<BackupOutcome> {
  switch (target.engine) {
    case 'postgresql':
      return backUpPostgres(target, options);
    case 'mysql':
      return backUpMysql(target, options);
    case 'sqlite':
      return backUpSqlite(target, options);
  }
}

/** Puts a verified backup back where it was taken from. The caller asks the person for the typed phrase first. */
export function restore(backup: Extract<BackupOutcome, { kind: 'backed-up' }>, options: Omit<BackupOptions, 'maxBytes' | 'folder'>): Promise<Result<RestoreReport>> {
  switch (backup.target.engine) {
    case 'postgresql':
      return restorePostgres(backup, options);
    case 'mysql':
      return restoreMysql(backup, options);
    case 'sqlite':
      return restoreSqlite(backup, options);
  }
}
