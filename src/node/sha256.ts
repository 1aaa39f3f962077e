import { createHash } from 'node:crypto';
import { constants, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';

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

/**
 * SHA-256 of a regular file of at most `maxBytes`, read in chunks; undefined when it cannot be read,
 * is not a regular file (a FIFO or a device never ends), is larger, or `signal` stops it.
 */
export async function boundedFileSha256(path: string, maxBytes: number, signal?: AbortSignal): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.size > maxBytes) return undefined;
    const hash = createHash('sha256');
    const chunk = Buffer.alloc(1024 * 1024);
    for (let read = 0; ; ) {
      if (signal?.aborted) return undefined;
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, read);
      if (bytesRead === 0) return hash.digest('hex');
      read += bytesRead;
      if (read > maxBytes) return undefined;
      hash.update(chunk.subarray(0, bytesRead));
    }
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}
