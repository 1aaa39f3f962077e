import { timingSafeEqual } from 'node:crypto';

/** Whether `given` is `expected`. The length of a token is no secret; its digits are, so they are compared in constant time. */
export function sameSecret(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && timingSafeEqual(given, expected);
}
