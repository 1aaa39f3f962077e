/**
 * The verified database backups Back up first made, kept as one JSON line each in `index.jsonl` of the
 * backup folder, so that the Sessions view can offer their Restore after a reload too. No password is
 * written. An agent can write this file as well as Countersign can, so every line is checked when read:
 * a bad line is skipped, a backup file outside the folder is never offered, and an id written twice is
 * dropped. What this window made it also keeps in memory: the password read from the paused line and
 * the file's digest go only to the exact line it wrote, and Restore checks the file against the digest.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { isRecord } from '../../core/json';
import { DATABASE_ENGINES, Secret, type DataTarget } from '../../core/backup/dataTarget';
import { VERIFICATION_METHODS, type BackupOutcome } from '../../core/backup/outcome';
import { MAX_TABLES } from '../../core/backup/tableCounts';
import { err, ok, type Result } from '../../core/result';
import { privateFolder } from '../runtimeDir';
import { boundedFileSha256 } from '../sha256';

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
  /** The file's SHA-256 when verified: known only for backups this window made (never read from disk). */
  readonly sha256?: string;
}

const INDEX_FILE = 'index.jsonl';
/** A line per backup, each at most a few hundred kilobytes (5,000 tables): only the newest this much of the index is read. */
const MAX_INDEX_BYTES = 16 * 1024 * 1024;
const MAX_TEXT = 4096;
/** A backup runs a handful of clients. */
const MAX_TOOLS = 16;
/** The newest this many are listed; older ones stay on disk. */
export const MAX_LISTED = 200;

interface MadeHere {
  /** The line written, to be matched exactly. */
  readonly line: string;
  readonly password?: Secret;
  readonly sha256: string;
}

export class BackupIndex {
  private readonly madeHere = new Map<string, MadeHere>();
  /** The last read, kept while the file's size and time stay the same. */
  private cache: { readonly key: string; readonly backups: StoredBackup[] } | undefined;

  constructor(
    readonly folder: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Records a verified backup; its password, if any, and its file's digest stay in memory. */
  async add(requestId: string, command: string, backup: BackedUp): Promise<Result<StoredBackup>> {
    const folder = privateFolder(this.folder);
    if (!folder.ok) return folder;
    const digest = await boundedFileSha256(backup.file, backup.bytes);
    if (digest === undefined) return err(`the backup ${backup.file} could not be read back`);
    const { password, ...target } = backup.target;
    const stored: StoredBackup = { id: randomBytes(8).toString('hex'), requestId, command, at: this.now().toISOString(), backup: { ...backup, target } };
    const line = JSON.stringify(stored);
    try {
      appendLine(join(folder.value, INDEX_FILE), line);
    } catch (error) {
      return err(`the backup index could not be written: ${(error as Error).message}`);
    }
    this.madeHere.set(stored.id, { line, sha256: digest, ...(password ? { password } : {}) });
    return ok({ ...stored, backup, sha256: digest });
  }

  /** The newest MAX_LISTED backups on record whose file is still there, newest first. */
  list(): StoredBackup[] {
    const read = readIndex(join(this.folder, INDEX_FILE), this.cache?.key);
    if (read === undefined) return [];
    if (read.text === undefined) return this.cache!.backups.filter((b) => existsSync(b.backup.file));
    const { key, text } = read;
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    const parsed = lines.map((line) => ({ line, stored: readStored(line, this.folder) }));
    const ids = new Map<string, number>();
    for (const { stored } of parsed) if (stored) ids.set(stored.id, (ids.get(stored.id) ?? 0) + 1);
    const backups = parsed
      .flatMap(({ line, stored }) => (stored && ids.get(stored.id) === 1 ? [this.withMemory(stored, line)] : []))
      .filter((b): b is StoredBackup => b !== undefined)
      .reverse()
      .slice(0, MAX_LISTED);
    this.cache = { key, backups };
    return backups.filter((b) => existsSync(b.backup.file));
  }

  get(id: string): StoredBackup | undefined {
    return this.list().find((b) => b.id === id);
  }

  /** A line this window wrote gets its password and digest back; one that claims its id but differs is not offered at all. */
  private withMemory(stored: StoredBackup, line: string): StoredBackup | undefined {
    const made = this.madeHere.get(stored.id);
    if (!made) return stored;
    if (made.line !== line) return undefined;
    const target = made.password ? { ...stored.backup.target, password: made.password } : stored.backup.target;
    return { ...stored, backup: { ...stored.backup, target }, sha256: made.sha256 };
  }
}

/** Opened so that a FIFO or a device in the index's place never blocks the window: only a regular file is read or written. */
const SAFE_OPEN = constants.O_NONBLOCK | constants.O_NOFOLLOW;

function appendLine(path: string, line: string): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | SAFE_OPEN, 0o600);
  try {
    if (!fstatSync(fd).isFile()) throw new Error(`${path} is not a regular file`);
    writeSync(fd, `${line}\n`);
  } finally {
    closeSync(fd);
  }
}

/**
 * The index's text: its last MAX_INDEX_BYTES when it is longer (the newest backups; a line cut at the
 * start is dropped), or text undefined when it is the one read under `known` before; undefined when
 * there is none or it is not a regular file.
 */
function readIndex(path: string, known: string | undefined): { readonly key: string; readonly text?: string } | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | SAFE_OPEN);
  } catch {
    return undefined;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return undefined;
    const key = `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
    if (key === known) return { key };
    const start = Math.max(0, info.size - MAX_INDEX_BYTES);
    const data = Buffer.alloc(info.size - start);
    const length = readSync(fd, data, 0, data.length, start);
    const text = data.subarray(0, length).toString('utf8');
    return { key, text: start > 0 ? text.slice(text.indexOf('\n') + 1) : text };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
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
  const tools = verified.tools;
  if (tools !== undefined && !(Array.isArray(tools) && tools.length <= MAX_TOOLS && tools.every(isText))) return undefined;
  return {
    id: id as string,
    requestId: requestId as string,
    command: command as string,
    at: at as string,
    backup: { kind: 'backed-up', target, file: file as string, bytes: bytes as number, verified: { method: method as BackedUp['verified']['method'], tables: tables.map((t) => ({ table: t.table, rows: t.rows })), ...(tools ? { tools: tools as string[] } : {}) } },
  };
}

function readTarget(value: unknown): DataTarget | undefined {
  if (!isRecord(value) || !DATABASE_ENGINES.includes(value.engine as never) || !isText(value.database)) return undefined;
  // A name a client could read as an option, or an SQLite path that is not absolute and plain, is not one Back up first wrote.
  if (value.database.startsWith('-') || (value.engine === 'sqlite' && (value.database !== resolve(value.database) || value.database.endsWith('/')))) return undefined;
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

