/**
 * The verified database backups Back up first made, kept as one JSON line each in `index.jsonl` of the
 * backup folder, so that the Sessions view can offer their Restore after a reload too. No password is
 * written: a password read from the paused line is kept in memory for this window's restores; later
 * ones connect as the environment says. Every line is checked when read (an agent can write this file
 * as well as we can): a bad line is skipped, a backup file outside the folder is never offered.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { DATABASE_ENGINES, Secret, type DataTarget } from '../../core/backup/dataTarget';
import { VERIFICATION_METHODS, type BackupOutcome } from '../../core/backup/outcome';
import { MAX_TABLES } from '../../core/backup/tableCounts';
import { err, ok, type Result } from '../../core/result';
import { privateFolder } from '../runtimeDir';

export type BackedUp = Extract<BackupOutcome, { kind: 'backed-up' }>;

export interface StoredBackup {
  readonly id: string;
  /** The paused request it was made for. */
  readonly requestId: string;
  /** That request's command, as the card showed it (redacted). */
  readonly command: string;
  /** When it was made (ISO 8601). */
  readonly at: string;
  readonly backup: BackedUp;
}

const INDEX_FILE = 'index.jsonl';
/** A line per backup, each at most a few hundred kilobytes (5,000 tables): past this the index is not read. */
const MAX_INDEX_BYTES = 16 * 1024 * 1024;
const MAX_TEXT = 4096;

export class BackupIndex {
  private readonly secrets = new Map<string, Secret>();

  constructor(
    readonly folder: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Records a verified backup; its password, if any, stays in memory. */
  add(requestId: string, command: string, backup: BackedUp): Result<StoredBackup> {
    const folder = privateFolder(this.folder);
    if (!folder.ok) return folder;
    const { password, ...target } = backup.target;
    const stored: StoredBackup = { id: randomBytes(8).toString('hex'), requestId, command, at: this.now().toISOString(), backup: { ...backup, target } };
    try {
      appendFileSync(join(folder.value, INDEX_FILE), `${JSON.stringify(stored)}\n`, { mode: 0o600 });
    } catch (error) {
      return err(`the backup index could not be written: ${(error as Error).message}`);
    }
    if (password) this.secrets.set(stored.id, password);
    return ok(this.withSecret(stored));
  }

  /** The backups on record whose file is still there, newest first. */
  list(): StoredBackup[] {
    const path = join(this.folder, INDEX_FILE);
    let text: string;
    try {
      if (statSync(path).size > MAX_INDEX_BYTES) return [];
      text = readFileSync(path, 'utf8');
    } catch {
      return [];
    }
    const backups = text.split('\n').flatMap((line) => {
      const stored = line.trim() === '' ? undefined : readStored(line, this.folder);
      return stored && existsSync(stored.backup.file) ? [this.withSecret(stored)] : [];
    });
    return backups.reverse();
  }

  get(id: string): StoredBackup | undefined {
    return this.list().find((b) => b.id === id);
  }

  private withSecret(stored: StoredBackup): StoredBackup {
    const password = this.secrets.get(stored.id);
    return password ? { ...stored, backup: { ...stored.backup, target: { ...stored.backup.target, password } } } : stored;
  }
}

/** One line of the index, or undefined when it is not exactly a stored backup. */
function readStored(line: string, folder: string): StoredBackup | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || !isRecord(value.backup) || !isRecord(value.backup.verified)) return undefined;
  const { id, requestId, command, at, backup } = value;
  const verified = backup.verified as Record<string, unknown>;
  if (![id, requestId, command, at].every(isText) || backup.kind !== 'backed-up') return undefined;
  const target = readTarget(backup.target);
  const { file, bytes } = backup;
  if (!target || !isText(file) || !inside(file, folder) || !Number.isSafeInteger(bytes) || (bytes as number) < 0) return undefined;
  const { method, tables } = verified;
  if (!VERIFICATION_METHODS.includes(method as never) || !Array.isArray(tables) || tables.length > MAX_TABLES) return undefined;
  if (!tables.every((t) => isRecord(t) && isText(t.table) && Number.isSafeInteger(t.rows) && (t.rows as number) >= 0)) return undefined;
  return {
    id: id as string,
    requestId: requestId as string,
    command: command as string,
    at: at as string,
    backup: { kind: 'backed-up', target, file: file as string, bytes: bytes as number, verified: { method: method as BackedUp['verified']['method'], tables: tables.map((t) => ({ table: t.table, rows: t.rows })) } },
  };
}

function readTarget(value: unknown): DataTarget | undefined {
  if (!isRecord(value) || !DATABASE_ENGINES.includes(value.engine as never) || !isText(value.database)) return undefined;
  const { host, port, user } = value;
  if ((host !== undefined && !isText(host)) || (user !== undefined && !isText(user))) return undefined;
  if (port !== undefined && !(Number.isInteger(port) && (port as number) >= 1 && (port as number) <= 65535)) return undefined;
  return {
    engine: value.engine as DataTarget['engine'],
    database: value.database,
    ...(host !== undefined ? { host: host as string } : {}),
    ...(port !== undefined ? { port: port as number } : {}),
    ...(user !== undefined ? { user: user as string } : {}),
  };
}

/** A backup file is offered only inside the backup folder, whatever the index says. */
function inside(file: string, folder: string): boolean {
  return file.startsWith('/') && resolve(file).startsWith(resolve(folder) + sep);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
