import assert from 'node:assert/strict';
import type { Result } from '../../src/core/result';

/** The value of a Result the test expects to hold one; fails the test with the refusal otherwise. */
export function readOk<T>(result: Result<T, unknown>): T {
  if (!result.ok) assert.fail(`expected a value, got the refusal: ${String(result.error)}`);
  return result.value;
}
