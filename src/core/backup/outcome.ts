/**
 * What Back up first came to, per data resource, as the card shows it: backed up (where, how big,
 * verified how), not backed up (why), or cannot be backed up from here (the client is missing, the
 * host does not answer, the credentials are refused). Only a verified copy is `backed-up`.
 */
import { redactText } from '../audit/redact';
import { describeTarget, type DataTarget } from './dataTarget';
import type { TableCount } from './tableCounts';

/** How a copy can be checked: restored into a scratch database, or SQLite's integrity check. */
export const VERIFICATION_METHODS = ['restored-into-scratch', 'integrity-check'] as const;

export interface Verification {
  readonly method: (typeof VERIFICATION_METHODS)[number];
  /** The tables and row counts found the same in the source and the copy. */
  readonly tables: readonly TableCount[];
}

export type CannotBackUpWhy = 'client-missing' | 'unreachable' | 'auth-failed';

export type BackupOutcome =
  | { readonly kind: 'backed-up'; readonly target: DataTarget; readonly file: string; readonly bytes: number; readonly verified: Verification }
  | { readonly kind: 'not-backed-up'; readonly target: DataTarget; readonly reason: string }
  | { readonly kind: 'cannot-back-up-here'; readonly target: DataTarget; readonly why: CannotBackUpWhy; readonly detail: string };

const WHY_TEXT: Readonly<Record<CannotBackUpWhy, string>> = {
  'client-missing': 'its client is not installed here',
  unreachable: 'the database does not answer from here',
  'auth-failed': 'the credentials were refused',
};

/** The card's line for one outcome; any secret in a tool's message is masked. */
export function describeOutcome(outcome: BackupOutcome): string {
  const what = describeTarget(outcome.target);
  switch (outcome.kind) {
    case 'backed-up': {
      const rows = outcome.verified.tables.reduce((sum, t) => sum + t.rows, 0);
      const how = outcome.verified.method === 'restored-into-scratch' ? 'restored into a scratch database' : 'integrity check passed';
      return `${what}: backed up to ${outcome.file} (${formatBytes(outcome.bytes)}); verified: ${how}, ${outcome.verified.tables.length} tables and ${rows} rows match`;
    }
    case 'not-backed-up':
      return `${what}: not backed up: ${redactText(outcome.reason).text}`;
    case 'cannot-back-up-here':
      return `${what}: cannot be backed up from here: ${WHY_TEXT[outcome.why]} (${redactText(outcome.detail).text})`;
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
