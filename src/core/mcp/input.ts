import { err, ok, type Result } from '../result';
import type { InputLimits } from './types';

/**
 * Generous for real calls (a pushed file, an edge function's source), small enough that reading
 * never stalls a hook. Past them the call pauses unread: what is not read cannot be vouched for.
 */
export const DEFAULT_LIMITS: InputLimits = { maxChars: 1_000_000, maxDepth: 32 };

/** Why a call's arguments were not read: which limit they are past, and in words. */
export interface UnreadInput {
  readonly problem: 'too-large' | 'too-deep';
  readonly detail: string;
}

/**
 * A call's arguments, checked against the limits before anything walks them. Cursor passes them as
 * JSON text: text that parses is read as its value, other text is an argument nothing can read.
 */
export function readInput(input: unknown, limits: InputLimits): Result<unknown, UnreadInput> {
  let args = input;
  if (typeof input === 'string') {
    if (input.length > limits.maxChars) return tooLarge(limits);
    args = parseJson(input);
  }
  const problem = exceeds(args, limits);
  if (problem === 'too-large') return tooLarge(limits);
  if (problem === 'too-deep') return err({ problem, detail: `its arguments nest deeper than ${limits.maxDepth} levels` });
  return ok(args);
}

function tooLarge(limits: InputLimits): Result<never, UnreadInput> {
  return err({ problem: 'too-large', detail: `its arguments are longer than ${limits.maxChars} characters` });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Walks without recursion, so neither a deep nor a cyclic value can overflow the stack first. */
function exceeds(root: unknown, limits: InputLimits): 'too-large' | 'too-deep' | undefined {
  let chars = 0;
  const stack: [unknown, number][] = [[root, 0]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [value, depth] = next;
    if (value !== null && typeof value === 'object') {
      if (depth >= limits.maxDepth) return 'too-deep';
      for (const [key, child] of Object.entries(value)) {
        chars += key.length + 1;
        stack.push([child, depth + 1]);
      }
    } else {
      chars += String(value).length;
    }
    if (chars > limits.maxChars) return 'too-large';
  }
  return undefined;
}
