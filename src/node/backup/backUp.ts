import type { DataTarget } from '../../core/backup/dataTarget';
import type { BackupOutcome } from '../../core/backup/outcome';
import { err, type Result } from '../../core/result';
import { mysqlClient } from './mysql';
import { postgresClient } from './postgres';
import { backUpRedis, redisRestoreSteps } from './redis';
import { backUpServer, restoreServer, type ServerClient } from './serverBackup';
import { backUpSqlite, restoreSqlite } from './sqlite';
import type { BackupOptions } from './steps';
import type { RestoreReport } from './verification';

type BackedUp = Extract<BackupOutcome, { kind: 'backed-up' }>;
type RestoreOptions = Omit<BackupOptions, 'maxBytes' | 'folder'>;

interface Engine {
  backUp(target: DataTarget, options: BackupOptions): Promise<BackupOutcome>;
}
/** An engine whose backup Countersign puts back itself. */
interface RestoringEngine extends Engine {
  restore(backup: BackedUp, options: RestoreOptions): Promise<Result<RestoreReport>>;
}
/** An engine whose backup only the person can put back (a server reads it at start-up): how to. */
interface ByHandEngine extends Engine {
  restoreByHand(backup: BackedUp): string;
}

/** A database server's engine: its client's steps, run by the one server backup and restore. */
function serverEngine(client: (environment: NodeJS.ProcessEnv) => ServerClient): RestoringEngine {
  return {
    backUp: (target, options) => backUpServer(target, client(options.environment), options),
    restore: (backup, options) => restoreServer(backup, client(options.environment), options),
  };
}

/** Each engine's own tools, through its adapter. */
const ENGINES: Readonly<Record<DataTarget['engine'], RestoringEngine | ByHandEngine>> = {
  postgresql: serverEngine(postgresClient),
  mysql: serverEngine(mysqlClient),
  sqlite: { backUp: backUpSqlite, restore: restoreSqlite },
  redis: { backUp: backUpRedis, restoreByHand: redisRestoreSteps },
};

/** Backs one data target up with its engine's own tools; only a verified copy comes back `backed-up`. */
export function backUp(target: DataTarget, options: BackupOptions): Promise<BackupOutcome> {
  return ENGINES[target.engine].backUp(target, options);
}

/** How to put a backup back by hand, for an engine Countersign does not restore itself; undefined for the others. */
export function restoreByHand(backup: BackedUp): string | undefined {
  const engine = ENGINES[backup.target.engine];
  return 'restoreByHand' in engine ? engine.restoreByHand(backup) : undefined;
}

/** Puts a verified backup back where it was taken from. The caller asks the person for the typed phrase first. */
export function restore(backup: BackedUp, options: RestoreOptions): Promise<Result<RestoreReport>> {
  const engine = ENGINES[backup.target.engine];
  return 'restore' in engine ? engine.restore(backup, options) : Promise.resolve(err(engine.restoreByHand(backup)));
}
