/**
 * The audit log on disk: one hash-chained JSON Lines file per workspace (the caller picks the path),
 * appended one record at a time and fsync'd before the append resolves. On open it checks the last
 * records and resumes the chain; a file whose tail is broken is left exactly as it is and the log
 * continues in a new file beside it (`audit.jsonl` → `audit.2.jsonl` → …). The directory is created
 * 0700, the file 0600. With a key every record carries its MAC, and a file whose tail was written
 * with another key (or with one when this log has none) is passed over the same way: appending to it
 * would break its chain.
 */
import { FileHandle, mkdir, open } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { AuditEntry, AuditRecord, chainRecord, ChainHead, GENESIS_HEAD, Mac, parseRecordLine, readableRecords, verifyChain } from '../../core/audit/record';
import { err, ok, type Result } from '../../core/result';
import { sha256 } from '../sha256';
import { auditMac } from './auditKey';
import { fileLines, readTail, type Tail } from './lines';

export interface AuditLogOptions {
  /** ms since the epoch; the records' `time`. */
  readonly now?: () => number;
  /** The audit key: each record carries HMAC-SHA256(key, hash). */
  readonly key?: Buffer;
}

/** The file in the series after `path`: `audit.jsonl`, `audit.2.jsonl`, `audit.3.jsonl`… */
function seriesPath(path: string, n: number): string {
  if (n === 1) return path;
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)}.${n}${ext}`);
}

export class AuditLog {
  private queue: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;

  private constructor(
    /** The file records are appended to (the given path, or a later one in its series). */
    readonly path: string,
    private readonly handle: FileHandle,
    private current: ChainHead,
    /** Set when a broken file was passed over: what was wrong and where the log continues. */
    readonly notice: string | undefined,
    private readonly now: () => number,
    private readonly mac: Mac | undefined,
  ) {}

  static async open(path: string, options: AuditLogOptions = {}): Promise<AuditLog> {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const passedOver: string[] = [];
    const mac = options.key && auditMac(options.key);
    for (let n = 1; ; n++) {
      const candidate = seriesPath(path, n);
      const tail = await checkTail(candidate, mac);
      if (tail.ok) {
        const handle = await open(candidate, 'a', 0o600);
        try {
          await handle.chmod(0o600);
          if (tail.value.created) await syncDirectory(dirname(candidate));
        } catch (error) {
          await handle.close();
          throw error;
        }
        const notice = passedOver.length > 0 ? `${passedOver.join('; ')}; the audit log continues in ${candidate}` : undefined;
        return new AuditLog(candidate, handle, tail.value.head, notice, options.now ?? Date.now, mac);
      }
      passedOver.push(`${candidate} is broken (${tail.error}) and is kept as it is`);
    }
  }

  /** The last record written (or found on open). Keep it elsewhere to anchor the chain (`audit verify --anchor`). */
  get head(): ChainHead {
    return this.current;
  }

  /** Appends one record and resolves once it is on disk. Appends are written in call order. */
  append(entry: AuditEntry): Promise<AuditRecord> {
    const written = this.queue.then(() => this.write(entry));
    this.queue = written.catch(() => undefined);
    return written;
  }

  /** Whether records are written with a key (and carry a MAC). */
  get keyed(): boolean {
    return this.mac !== undefined;
  }

  /** The file's records in order (the last `last` of them when given), after pending appends; unreadable lines are skipped. */
  async read(options: { readonly last?: number } = {}): Promise<AuditRecord[]> {
    await this.queue;
    if (options.last !== undefined) return [...readableRecords((await readTail(this.path, options.last)).lines)];
    const records: AuditRecord[] = [];
    for await (const line of fileLines(this.path)) {
      const parsed = parseRecordLine(line);
      if (parsed.ok) records.push(parsed.value);
    }
    return records;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.handle.close();
  }

  private async write(entry: AuditEntry): Promise<AuditRecord> {
    if (this.failure) throw this.failure;
    const { record, line } = chainRecord(this.current, entry, new Date(this.now()).toISOString(), sha256, this.mac);
    try {
      await this.handle.appendFile(`${line}\n`, 'utf8');
      await this.handle.sync();
    } catch (error) {
      // A record may be half on disk: appending more would hide it. Stop; the next open starts a new file.
      this.failure = new Error(`audit log ${this.path}: ${(error as Error).message}; nothing more is written to it`);
      throw this.failure;
    }
    this.current = { seq: record.seq, hash: record.hash };
    return record;
  }
}

/** Where an appendable log's chain ends, and whether the file is new. */
interface OpenTail {
  readonly head: ChainHead;
  readonly created: boolean;
}

/**
 * Whether records can be appended to `path`: missing or empty, or its last two records chain, end
 * with a newline and carry MACs of this key (or, for a log without a key, carry none). A tail
 * without MACs takes keyed records after it: its chain is then covered by theirs.
 */
async function checkTail(path: string, mac: Mac | undefined): Promise<Result<OpenTail>> {
  let tail: Tail;
  try {
    tail = await readTail(path, 2);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ok({ head: GENESIS_HEAD, created: true });
    throw error;
  }
  if (tail.lines.length === 0 && tail.rest === '') return ok({ head: GENESIS_HEAD, created: false });
  const result = verifyChain([...tail.lines, tail.rest], sha256, { segment: !tail.fromStart, ...(mac ? { mac } : {}) });
  if (!result.ok) return err(result.reason);
  if (!mac && result.keyed) return err('its records carry MACs and this log has no key to continue them with');
  return ok({ head: result.head, created: false });
}

/** Makes a new file's directory entry durable too. Not every platform can open a directory; the record itself is synced regardless. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot fsync a directory; nothing to do there.
  } finally {
    await handle?.close();
  }
}
