/**
 * At a window's start: the paused requests its audit log records with no decision, read from the tail
 * of the log only (the last UNSETTLED_TAIL_LINES lines of the current file and of the file before it in
 * the series, where the log continued after a write the dying window cut short). Each gets a `stopped`
 * record, so it is reported once.
 */
import { basename, dirname, join } from 'node:path';
import { readableRecords, type AuditRecord, type StoppedEntry } from '../../core/audit/record';
import { describeStopped, unsettledPauses, type PauseRecord } from '../../core/audit/unsettled';
import { isRunning as isProcessRunning } from '../processTree';
import { readTail } from './lines';

/** A request decided this many records after it paused is still seen as decided. */
export const UNSETTLED_TAIL_LINES = 2_000;

/** The file before `path` in its series (`audit.3.jsonl` → `audit.2.jsonl` → `audit.jsonl`), if it is one. */
export function previousInSeries(path: string): string | undefined {
  const match = /^(.*)\.(\d+)(\.[^.]+)$/.exec(basename(path));
  if (!match) return undefined;
  const n = Number(match[2]);
  if (n < 2) return undefined;
  return join(dirname(path), n === 2 ? `${match[1]}${match[3]}` : `${match[1]}.${n - 1}${match[3]}`);
}

/** The records of the last `lines` lines of `path` (none when it does not exist); unreadable lines are skipped. */
async function tailRecords(path: string, lines: number): Promise<AuditRecord[]> {
  try {
    const tail = await readTail(path, lines);
    return [...readableRecords([...tail.lines, tail.rest])];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The pauses with no decision in the tail of the log whose current file is `current`. */
export async function findUnsettledPauses(current: string, options: { readonly lines?: number } = {}): Promise<PauseRecord[]> {
  const lines = options.lines ?? UNSETTLED_TAIL_LINES;
  const previous = previousInSeries(current);
  const records = [...(previous ? await tailRecords(previous, lines) : []), ...(await tailRecords(current, lines))];
  return unsettledPauses(records);
}

export interface StoppedReport {
  readonly pauses: readonly PauseRecord[];
  /** For the person (a notification, the output channel); undefined when nothing was left waiting. */
  readonly message?: string;
}

/**
 * Finds the requests that were waiting when the last window stopped, records each as `stopped`
 * (through `record`, the log's one writer; awaited, so what is said is on disk first) and says what
 * happened. A record that could not be written leaves its pause to be reported again next time.
 */
export async function reportStoppedRequests(
  current: string,
  record: (entry: StoppedEntry) => unknown,
  options: { readonly home?: string; readonly lines?: number; readonly isRunning?: (pid: number) => boolean } = {},
): Promise<StoppedReport> {
  const isRunning = options.isRunning ?? isProcessRunning;
  // Another window on the same log (no folder open: they share one) still waits for its own requests.
  const pauses = (await findUnsettledPauses(current, options)).filter((pause) => pause.host === undefined || pause.host === process.pid || !isRunning(pause.host));
  if (pauses.length === 0) return { pauses };
  await Promise.allSettled(pauses.map((pause) => record({ kind: 'stopped', id: pause.id })));
  return { pauses, message: describeStopped(pauses, options) };
}
