import { createHash } from 'node:crypto';

/** SHA-256 of bytes or UTF-8 text, as lower-case hex: content addresses, plan hashes, the audit chain. */
export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
