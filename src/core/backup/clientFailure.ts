/**
 * Why a database client failed, from what it printed: the failures that mean "not from here" (the
 * host does not answer, the credentials are refused) are told apart from the rest, which leave the
 * resource "not backed up" with the client's own last line.
 */
import type { CannotBackUpWhy } from './outcome';

const UNREACHABLE = [
  /could not connect to server/i,
  /Connection refused/i,
  /could not translate host name/i,
  /timeout expired/i,
  /No route to host/i,
  /Network is unreachable/i,
  /Is the server running/i,
  /Can't connect to (?:local )?(?:MySQL |MariaDB )?server/i,
  /Unknown (?:MySQL |MariaDB )?server host/i,
  /Lost connection to (?:MySQL|MariaDB) server at 'reading initial communication packet'/i,
];

const AUTH_FAILED = [
  /password authentication failed/i,
  /no password supplied/i,
  /authentication failed for user/i,
  /pg_hba\.conf rejects connection/i,
  /role "[^"]*" does not exist/i,
  /Access denied for user/i,
];

/** The kind of a client's failure: unreachable or refused credentials, else undefined (another failure). */
export function cannotReachBecause(stderr: string): CannotBackUpWhy | undefined {
  if (AUTH_FAILED.some((re) => re.test(stderr))) return 'auth-failed';
  if (UNREACHABLE.some((re) => re.test(stderr))) return 'unreachable';
  return undefined;
}

/** A client's last non-empty line of output, bounded: what the card quotes. */
export function lastLine(text: string, max = 300): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const line = lines[lines.length - 1] ?? '';
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
