/**
 * Paused requests that never got a decision: a pause record with no record after it that settles the
 * same request (its decision, a late decision, an exit, or the `stopped` record a later start wrote).
 * Only the window's gate decides, so a pause left like this means the window (the extension host)
 * stopped while the request waited: nobody approved it and its door did not run it. Pure: the caller
 * reads the records (the tail of the log; see src/node/audit/unsettled.ts).
 */
import { oneLine } from '../oneLine';
import type { AuditRecord, PauseEntry } from './record';
import { redactCommand, redactText } from './redact';

export type PauseRecord = AuditRecord & PauseEntry;

/** The pauses among `records` (oldest first) that nothing after them settles, oldest first. */
export function unsettledPauses(records: Iterable<AuditRecord>): PauseRecord[] {
  const open = new Map<string, PauseRecord>();
  for (const record of records) {
    if (record.kind === 'pause') open.set(record.id, record);
    else if (record.kind !== 'state') open.delete(record.id);
  }
  return [...open.values()];
}

export interface DescribeOptions {
  /** The home folder, shown as `~`. */
  readonly home?: string;
  /** How many commands the sentence names (default 3); the rest are counted. */
  readonly named?: number;
}

/** One paused command for a sentence: its first line, secrets masked, and its folder. */
export function pauseLabel(pause: Pick<PauseEntry, 'command' | 'cwd'>, home?: string): string {
  // Written redacted; masked again here, as everywhere a command is shown, in case an older writer missed one.
  const command = oneLine(redactCommand(pause.command).text, 80);
  if (pause.cwd === undefined) return command;
  const cwd = home && (pause.cwd === home || pause.cwd.startsWith(`${home}/`)) ? `~${pause.cwd.slice(home.length)}` : pause.cwd;
  return `${command} in ${oneLine(redactText(cwd).text, 80)}`;
}

/**
 * What the next start says: "2 requests were waiting for review when VS Code stopped (terraform
 * destroy -auto-approve in ~/infra, …): none of them ran."
 */
export function describeStopped(pauses: readonly Pick<PauseEntry, 'command' | 'cwd'>[], options: DescribeOptions = {}): string {
  const named = options.named ?? 3;
  const labels = pauses.slice(0, named).map((p) => pauseLabel(p, options.home));
  const more = pauses.length > named ? `, and ${pauses.length - named} more` : '';
  const list = `(${labels.join(', ')}${more})`;
  return pauses.length === 1
    ? `1 request was waiting for review when VS Code stopped ${list}: it did not run.`
    : `${pauses.length} requests were waiting for review when VS Code stopped ${list}: none of them ran.`;
}
