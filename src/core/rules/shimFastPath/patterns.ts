/**
 * Shell `case` patterns for the PATH shims' fast path, built from what rule data says: rule globs,
 * option names and the literal text a regular expression needs. Each over-approximates: an argument a
 * rule could act on always matches; a harmless one may match too (the call is then only asked about).
 * The launchers run under dash (bytes) or bash (characters), so a pattern never depends on how many
 * bytes a character has: `?` is written as `*`, and bracket expressions hold ASCII only.
 */

/** Characters a `case` pattern may hold bare; anything else is quoted. `~` is not: a pattern is tilde-expanded. */
const BARE = /^[A-Za-z0-9_./:@%+,=-]$/;

/** `c` as a pattern matching it literally, and in either case when it is a letter and `anyCase` is set. */
function literal(c: string, anyCase: boolean): string {
  if (anyCase && /^[A-Za-z]$/.test(c)) return `[${c.toUpperCase()}${c.toLowerCase()}]`;
  if (BARE.test(c)) return c;
  return c === "'" ? "\\'" : `'${c}'`;
}

/** Text as a pattern matching exactly it (case-sensitive). */
export function exactPattern(text: string): string {
  return [...text].map((c) => literal(c, false)).join('');
}

/** Arguments holding `text` anywhere, in any case (the engine's regular expressions ignore case). */
export function containsPattern(text: string): string {
  return `*${[...text].map((c) => literal(c, true)).join('')}*`;
}

/**
 * A rule glob (`delete-*|terminate-*`, matched by the engine whole and case-insensitively) as
 * patterns. Text outside printable ASCII becomes `*`: the engine may fold its case in ways a byte
 * pattern cannot follow.
 */
export function globPatterns(glob: string): string[] {
  return glob.split('|').map((alternative) =>
    /[^\x20-\x7e]/.test(alternative)
      ? '*'
      : [...alternative]
          .map((c) => (c === '*' || c === '?' ? '*' : literal(c, true)))
          .join('')
          .replace(/\*+/g, '*'),
  );
}

/**
 * Every way an argument can give the engine's option `name` (see parseArguments): `-x`, a cluster
 * holding x (`-rfx`), `-x=v`, `--x`, `--x=v`; a longer name also single-dashed (`-name`, `-name=v`).
 */
export function optionPatterns(name: string): string[] {
  const n = exactPattern(name);
  const long = [`--${n}`, `--${n}=*`];
  return [...name].length === 1 ? [`-${n}*`, `-[!-]*${n}*`, ...long] : [...long, `-${n}`, `-${n}=*`];
}

/** Whether `value` matches a pattern made here (POSIX fnmatch for `*`, `?`, brackets, quotes and `\`). */
export function matchesPattern(pattern: string, value: string): boolean {
  return patternRegex(pattern).test(value);
}

const compiled = new Map<string, RegExp>();

function patternRegex(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (re) return re;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') source += '[\\s\\S]*';
    else if (c === '?') source += '[\\s\\S]';
    else if (c === '\\') source += escapeRegex(pattern[++i] ?? '');
    else if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      source += escapeRegex(pattern.slice(i + 1, end));
      i = end;
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      const body = pattern.slice(i + 1, end);
      source += body.startsWith('!') ? `[^${escapeClass(body.slice(1))}]` : `[${escapeClass(body)}]`;
      i = end;
    } else source += escapeRegex(c);
  }
  re = new RegExp(`^${source}$`);
  compiled.set(pattern, re);
  return re;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function escapeClass(text: string): string {
  return text.replace(/[\\\]^-]/g, '\\$&');
}

/**
 * Literal text that every match of a regular expression contains, one per top-level alternative
 * (the longest run of characters it requires), or undefined when some alternative requires none that
 * this reading can see. Groups, classes, escapes with a meaning and optional atoms only end a run;
 * nothing is ever read into them, so a text listed here is always required.
 */
export function requiredLiterals(source: string): string[] | undefined {
  const found: string[] = [];
  for (const alternative of topLevelAlternatives(source)) {
    const runs = requiredRuns(alternative);
    if (runs === undefined) return undefined;
    const longest = runs.reduce((a, b) => (b.length > a.length ? b : a), '');
    if (longest === '') return undefined;
    found.push(longest);
  }
  return found;
}

function topLevelAlternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(source, i);
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(source.slice(start, i));
      start = i + 1;
    }
  }
  out.push(source.slice(start));
  return out;
}

/** The index of the `]` closing the class that opens at `open`. */
function classEnd(source: string, open: number): number {
  let i = open + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  for (; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
  return i;
}

/** The index of the `)` closing the group that opens at `open`. */
function groupEnd(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(source, i);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return source.length;
}

/** Escapes that stand for their own character; a letter or digit after `\` means something else. */
const LITERAL_ESCAPE = /^[^A-Za-z0-9]$/;

/** What follows `\x`, `\u`, `\c`, `\p`, `\k` and back references as part of the same escape. */
const ESCAPE_BODIES: Readonly<Record<string, RegExp>> = {
  x: /^[0-9a-fA-F]{0,2}/,
  u: /^(?:\{[^}]*\}|[0-9a-fA-F]{0,4})/,
  c: /^[A-Za-z]?/,
  p: /^(?:\{[^}]*\})?/,
  P: /^(?:\{[^}]*\})?/,
  k: /^(?:<[^>]*>)?/,
};

/** How many characters after `\` and `letter` (read from `from`) still belong to the escape. */
function escapeBodyLength(source: string, from: number, letter: string): number {
  const body = ESCAPE_BODIES[letter] ?? (/\d/.test(letter) ? /^\d*/ : undefined);
  return body?.exec(source.slice(from))?.[0].length ?? 0;
}

/** Runs of required literal characters in one alternative; undefined when it cannot be read. */
function requiredRuns(alternative: string): string[] | undefined {
  const runs: string[] = [];
  let run = '';
  const end = (): void => {
    runs.push(run);
    run = '';
  };
  for (let i = 0; i < alternative.length; i++) {
    const c = alternative[i];
    let atom: string | undefined;
    if (c === '\\') {
      const next = alternative[i + 1];
      if (next === undefined) return undefined;
      if (LITERAL_ESCAPE.test(next)) atom = next;
      i += 1 + escapeBodyLength(alternative, i + 2, next);
    } else if (c === '[') i = classEnd(alternative, i);
    else if (c === '(') i = groupEnd(alternative, i);
    else if (c === ')' || c === '|') return undefined;
    else if (!'.^$*+?{}'.includes(c)) atom = c;
    else if ('*+?{'.includes(c)) return undefined; // a quantifier with nothing before it
    // A quantifier that may skip the atom ends the run without it; one that repeats it, right after it.
    const tail = alternative.slice(i + 1);
    const optional = /^(?:[*?]|\{0+(?:,\d*)?\})\??/.exec(tail);
    const repeated = /^(?:\+|\{0*[1-9]\d*(?:,\d*)?\})\??/.exec(tail);
    if (optional) {
      i += optional[0].length;
      end();
      continue;
    }
    if (atom !== undefined) run += atom;
    if (atom === undefined || repeated) {
      i += repeated?.[0].length ?? 0;
      end();
    }
  }
  end();
  return runs;
}
