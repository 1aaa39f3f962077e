/**
 * The audit key: 32 random bytes that only the log's writer holds (the extension keeps them in VS
 * Code's SecretStorage, outside the workspace). Each record written with it carries
 * HMAC-SHA256(key, hash), which a writer of the file cannot make without it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Mac } from '../../core/audit/record';

export const AUDIT_KEY_BYTES = 32;
/** Shorter keys are refused: a guessable key proves nothing. */
const MIN_KEY_BYTES = 16;
const HEX_KEY = /^(?:[0-9a-fA-F]{2}){16,}$/;

export const generateAuditKey = (): Buffer => randomBytes(AUDIT_KEY_BYTES);

/** The MAC records are written and checked with. */
export function auditMac(key: Buffer): Mac {
  return (hash) => createHmac('sha256', key).update(hash, 'utf8').digest('hex');
}

/** A key from hex text (whitespace around it ignored), or undefined when it is not hex. */
export function hexKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  return HEX_KEY.test(trimmed) ? Buffer.from(trimmed, 'hex') : undefined;
}

/** A key file's key: hex text, or else its raw bytes; a file too short to be a key is an error. */
export async function readKeyFile(path: string): Promise<Buffer> {
  const bytes = await readFile(path);
  const key = hexKey(bytes.toString('latin1')) ?? bytes;
  if (key.length < MIN_KEY_BYTES) throw new Error(`${path} holds ${key.length} bytes: not an audit key (hex, or at least ${MIN_KEY_BYTES} raw bytes)`);
  return key;
}
