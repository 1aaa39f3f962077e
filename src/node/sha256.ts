import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

/** SHA-256 of bytes or UTF-8 text, as lower-case hex: content addresses, plan hashes, the audit chain. */
export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** A file larger than this is not hashed: what cannot be checked is treated as changed. */
const MAX_HASHED_BYTES = 512 * 1024 * 1024;

/** SHA-256 of a file's bytes, read now; undefined when it cannot be read (or is too large to). */
export function fileSha256(path: string): string | undefined {
  try {
    return statSync(path).size > MAX_HASHED_BYTES ? undefined : sha256(readFileSync(path));
  } catch {
    return undefined;
  }
}
