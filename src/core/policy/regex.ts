/**
 * Regular expressions from a workspace policy run on every command line an agent sends, and the agent
 * may be the one who wrote the policy. They are matched by RE2 (the pure-JS port re2js), whose time is
 * linear in the input whatever the pattern, never by the backtracking JS engine: no shape of pattern
 * can make a check hang. What RE2 cannot express (backreferences, lookarounds) is refused when the
 * policy is read. Patterns are written in JS syntax; `\s`, `\w`, `\d` and `\b` are ASCII under RE2.
 */
import { RE2JS } from 're2js';

export const MAX_REGEX_LENGTH = 256;

/** What rule matching needs of a compiled pattern. */
export interface Matcher {
  test(text: string): boolean;
}

/** Policy sources that RE2 compiled. Never shrinks: a source once read from a policy never falls back to the backtracking engine. */
const linear = new Map<string, Matcher>();

/** The RE2 matcher for a source read from a policy; undefined for any other source (a built-in pack's). */
export function policyMatcher(source: string): Matcher | undefined {
  return linear.get(source);
}

/** Why this regex source may not be used in a policy, or undefined when it is fine (it is then compiled for RE2). */
export function unsafeRegex(source: string): string | undefined {
  if (source.length === 0) return 'must not be empty';
  if (source.length > MAX_REGEX_LENGTH) return `is ${source.length} characters long; a policy regex may be at most ${MAX_REGEX_LENGTH}`;
  try {
    new RegExp(source, 'i');
  } catch (error) {
    return `is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')}`;
  }
  const problem = constructProblem(source);
  if (problem) return problem;
  try {
    compileLinear(source);
  } catch (error) {
    const message = (error as Error).message;
    if (/repeat count/.test(message)) return 'is a regular expression whose repeat counts exceed 1000 (nested counts multiply); use * or + instead';
    return `is a regular expression ${CANNOT}: ${message.replace(/^error parsing regexp: /, '')}`;
  }
  return undefined;
}

function compileLinear(source: string): void {
  if (linear.has(source)) return;
  const re = RE2JS.compile(RE2JS.translateRegExp(source), RE2JS.CASE_INSENSITIVE);
  linear.set(source, { test: (text) => re.test(text) });
}

const CANNOT = 'which the linear-time matcher cannot run';
/** Letter escapes that mean the same in JS and, after re2js's translation, in RE2. */
const SHARED_ESCAPES = new Set('dDwWsSbBnrtfvcxu');

/**
 * What RE2 cannot run, named in the policy author's terms. Checked before compiling: re2js's JS
 * translation would quietly turn `\k<name>` into the text `k<name>`, and JS identity escapes such as
 * `\z` or `\Q` into RE2 operators.
 */
function constructProblem(source: string): string | undefined {
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '[') i = classEnd(source, i);
    else if (c === '(' && /^\(\?<?[=!]/.test(source.slice(i, i + 4))) {
      return `is a regular expression with a lookahead or lookbehind, ${CANNOT}; match the text itself, or combine conditions with all/not`;
    } else if (c === '\\') {
      const e = source[++i] ?? '';
      if (/[1-9]/.test(e) || e === 'k') return `is a regular expression with a backreference, ${CANNOT}; write the alternatives out`;
      if (/[a-zA-Z]/.test(e) && !SHARED_ESCAPES.has(e)) return `uses \\${e}, which JavaScript reads as the letter ${e} and RE2 as an operator; write ${e} without the backslash`;
    }
  }
  return undefined;
}

/** The index of the `]` that closes the character class opened at `start`. */
function classEnd(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  for (; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']') return i;
  }
  return source.length - 1;
}
