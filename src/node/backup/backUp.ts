import type { DataTarget } from '../../core/backup/dataTarget';
import type { BackupOutcome } from '../../core/backup/outcome';
import type { Result } from '../../core/result';
import { backUpMysql, restoreMysql } from './mysql';
import { backUpPostgres, restorePostgres } from './postgres';
import { backUpRedis, restoreRedis } from './redis';
import { backUpSqlite, restoreSqlite } from './sqlite';
import type { BackupOptions } from './steps';
import type { RestoreReport } from './verification';

type BackedUp = Extract<BackupOutcome, { kind: 'backed-up' }>;
type RestoreOptions = Omit<BackupOptions, 'maxBytes' | 'folder'>;

/** Each engine's own tools, through its adapter. */
const ENGINES: Readonly<
  Record<DataTarget['engine'], { backUp(target: DataTarget, options: BackupOptions): Promise<BackupOutcome>; restore(backup: BackedUp, options: RestoreOptions): Promise<Result<RestoreReport>> }>
> = {
  postgresql: { backUp: backUpPostgres, restore: restorePostgres },
  mysql: { backUp: backUpMysql, restore: restoreMysql },
  sqlite: { backUp: backUpSqlite, restore: restoreSqlite },
  redis: { backUp: backUpRedis, restore: restoreRedis },
};

/** Backs one data target up with its engine's own tools; only a verified copy comes back `backed-up`. */
export function backUp(target: DataTarget, options: BackupOptions): Promise<BackupOutcome> {
  return ENGINES[target.engine].backUp(target, options);
}

/** Puts a verified backup back where it was taken from. The caller asks the person for the typed phrase first. */
export function restore(backup: BackedUp, options: RestoreOptions): Promise<Result<RestoreReport>> {
  return ENGINES[backup.target.engine].restore(backup, options);
}
