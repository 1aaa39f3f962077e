import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';

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

/** SHA-256 of a file of any size, read as a stream; undefined when it cannot be read. */
export async function streamedFileSha256(path: string): Promise<string | undefined> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } catch {
    return undefined;
  }
}
