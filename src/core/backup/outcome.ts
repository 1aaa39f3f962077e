/**
 * What Back up first came to, per data resource, as the card shows it: backed up (where, how big,
 * verified how), not backed up (why), or cannot be backed up from here (the client is missing, the
 * host does not answer, the credentials are refused). Only a verified copy is `backed-up`.
 */
import { redactText } from '../audit/redact';
import { describeTarget, type DataTarget } from './dataTarget';
import { totalRows, type TableCount } from './tableCounts';

/** How a copy can be checked: restored into a scratch database, SQLite's integrity check, or a Redis RDB loaded into a scratch server. */
export const VERIFICATION_METHODS = ['restored-into-scratch', 'integrity-check', 'loaded-into-scratch-server'] as const;
type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

export interface Verification {
  readonly method: VerificationMethod;
  /** The tables and row counts found the same in the source and the copy; for Redis each database (`db3`) and its keys. */
  readonly tables: readonly TableCount[];
  /** The clients that made and checked the copy, as found on the terminal's PATH (the card names them: the terminal chose them). */
  readonly tools?: readonly string[];
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

/** What each method checked, as the card says it: the SQL engines count tables and rows, Redis databases and keys. */
const VERIFIED_TEXT: Readonly<Record<VerificationMethod, (tables: number, rows: number) => string>> = {
  'restored-into-scratch': (tables, rows) => `restored into a scratch database, ${tables} tables and ${rows} rows match`,
  'integrity-check': (tables, rows) => `integrity check passed, ${tables} tables and ${rows} rows match`,
  'loaded-into-scratch-server': (databases, keys) => `loaded into a scratch server, ${databases} databases and ${keys} keys match`,
};

/** The card's line for one outcome; any secret in a tool's message is masked. */
export function describeOutcome(outcome: BackupOutcome): string {
  const what = describeTarget(outcome.target);
  switch (outcome.kind) {
    case 'backed-up': {
      const { method, tables } = outcome.verified;
      const rows = totalRows(tables);
      // A Redis line names one database, but FLUSHALL reaches them all: the card says the copy has every one.
      const whole = outcome.target.engine === 'redis' ? ' the whole server (every database)' : '';
      const tools = outcome.verified.tools?.length ? ` (with ${outcome.verified.tools.join(', ')})` : '';
      return `${what}: backed up${whole} to ${outcome.file} (${formatBytes(outcome.bytes)}); verified: ${VERIFIED_TEXT[method](tables.length, rows)}${tools}`;
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
