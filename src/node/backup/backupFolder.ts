import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DataTarget } from '../../core/backup/dataTarget';

/** Where backups go unless the caller names a folder: the user's data folder, not a temp folder that a reboot empties. */
export function defaultBackupFolder(env: NodeJS.ProcessEnv = process.env): string {
  const data = env.XDG_DATA_HOME !== undefined && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(env.HOME ?? homedir(), '.local', 'share');
  return join(data, 'countersign', 'backups');
}

/** A new file name that says what it holds and when: `postgresql-shop-20261207T204500Z-1a2b3c4d.dump`. */
export function backupFileName(target: DataTarget, extension: string, now = new Date()): string {
  const base = target.database.slice(target.database.lastIndexOf('/') + 1);
  const safe = base.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64);
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${target.engine}-${safe}-${stamp}-${randomBytes(4).toString('hex')}.${extension}`;
}

/** A scratch database's name: unique, and plain enough to need no quoting. */
export function scratchName(): string {
  return `countersign_verify_${randomBytes(6).toString('hex')}`;
}
