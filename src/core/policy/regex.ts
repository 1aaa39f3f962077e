/**
 * Regular expressions from a policy file run on every command line an agent sends, so they must be
 * cheap to run whatever the input: short, compiled at load time, and free of the constructs that
 * make a backtracking engine take exponential time.
 */

export const MAX_REGEX_LENGTH = 256;

/** Why this regex source may not be used in a policy, or undefined when it is fine. */
export function unsafeRegex(source: string): string | undefined {
  if (source.length === 0) return 'must not be empty';
  if (source.length > MAX_REGEX_LENGTH) return `is ${source.length} characters long; a policy regex may be at most ${MAX_REGEX_LENGTH}`;
  try {
    new RegExp(source, 'i');
  } catch (error) {
    return `is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')}`;
  }
  if (/\\[1-9]|\\k</.test(stripClasses(source))) return 'is a regular expression with a backreference, which can take exponential time; write the alternatives out';
  return nestedQuantifier(source);
}

/** Removes escapes' effect and character classes, so `[\\1]` is not read as a backreference. */
function stripClasses(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      out += source.slice(i, i + 2);
      i++;
    } else if (c === '[') {
      i = classEnd(source, i);
      out += 'x';
    } else out += c;
  }
  return out;
}

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

interface Group {
  /** The group contains a quantifier that can repeat without bound. */
  unbounded: boolean;
  /** First characters of its alternatives, to spot overlapping alternatives under a quantifier. */
  starts: string[];
  atAlternativeStart: boolean;
}

/** A quantifier at `i`: its length and whether it repeats without (practical) bound. */
function quantifierAt(source: string, i: number): { length: number; unbounded: boolean } | undefined {
  const c = source[i];
  let length = 0;
  let unbounded = false;
  if (c === '*' || c === '+') [length, unbounded] = [1, true];
  else if (c === '?') length = 1;
  else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
    if (!m) return undefined;
    length = m[0].length;
    unbounded = m[2] !== undefined && (m[3] === '' || Number(m[3]) > 16);
  } else return undefined;
  if (source[i + length] === '?' || source[i + length] === '+') length++;
  return { length, unbounded };
}

/**
 * Star height above one (`(a+)+`, `(.*x)*`) and quantified overlapping alternatives (`(a|ab)*`,
 * `(.|x)+`) are the classic exponential patterns; both are refused.
 */
function nestedQuantifier(source: string): string | undefined {
  const stack: Group[] = [{ unbounded: false, starts: [], atAlternativeStart: true }];
  const top = (): Group => stack[stack.length - 1];
  const noteStart = (what: string): void => {
    const g = top();
    if (g.atAlternativeStart) {
      g.starts.push(what);
      g.atAlternativeStart = false;
    }
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      noteStart(/[dDwWsSbB]/.test(source[i + 1] ?? '') ? 'class' : (source[i + 1] ?? '').toLowerCase());
      i++;
    } else if (c === '[') {
      noteStart('class');
      i = classEnd(source, i);
    } else if (c === '(') {
      noteStart('group');
      stack.push({ unbounded: false, starts: [], atAlternativeStart: true });
      const m = /^\(\?(:|=|!|<=|<!|<[A-Za-z_][A-Za-z0-9_]*>)/.exec(source.slice(i));
      if (m) i += m[0].length - 1;
      continue;
    } else if (c === '|') {
      top().atAlternativeStart = true;
      continue;
    } else if (c === ')') {
      const group = stack.length > 1 ? stack.pop()! : top();
      const q = quantifierAt(source, i + 1);
      if (q?.unbounded) {
        if (group.unbounded) return 'is a regular expression that repeats a group that itself repeats (like (a+)+), which can take exponential time';
        const starts = group.starts;
        const overlapping = starts.length > 1 && (starts.some((s) => s === 'class' || s === 'group' || s === '.') || new Set(starts).size < starts.length);
        if (overlapping) return 'is a regular expression that repeats alternatives that can match the same text (like (a|ab)*), which can take exponential time';
      }
      if (group.unbounded || q?.unbounded) top().unbounded = true;
      if (q) i += q.length;
      continue;
    } else if (c !== '^' && c !== '$') {
      noteStart(c === '.' ? '.' : c.toLowerCase());
    }
    const q = quantifierAt(source, i + 1);
    if (q) {
      if (q.unbounded) top().unbounded = true;
      i += q.length;
    }
  }
  return undefined;
}
