import { quoteWord } from '../shell/quote';
import type { Word } from '../shell/words';
import { literalStdin } from './stdin';
import type { Unwrapped, Wrapped } from './wrapped';

/**
 * Text tools whose own little language can start a command: sed's `e`, awk's `system()` and pipes,
 * tar's checkpoint actions and filter programs, expect's `spawn` and `exec`. What they run is read
 * out of their program text and checked as shell; a part only known from the data they read stays
 * dynamic (`${awk_expression}`), so the rules see an unknown word there, never nothing.
 */

/** The values of options (`--name=value`, `--name value`, `-x value`, `-xvalue`) among `args`. */
function optionValues(args: readonly Word[], long: readonly string[], short: readonly string[] = []): string[] {
  const values: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i].value;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0 && long.includes(a.slice(2, eq))) values.push(a.slice(eq + 1));
    else if ((a.startsWith('--') && long.includes(a.slice(2))) || short.includes(a.slice(1))) values.push(args[++i]?.value ?? '');
    else if (/^-[^-]/.test(a) && short.some((s) => a.startsWith(`-${s}`))) values.push(a.slice(2));
  }
  return values;
}

function runs(texts: readonly string[]): Unwrapped {
  return texts.length > 0 ? { kind: 'script', text: texts.join('\n'), self: true } : { kind: 'none' };
}

// ------------------------------------------------------------------------------------------ sed

const SED_TEXT_COMMANDS = new Set(['a', 'i', 'c', 'r', 'R', 'w', 'W', 'b', 't', 'T', ':', 'q', 'Q', 'l', 'L', 'v', 'e', '#']);

/** The commands a sed script runs: `e COMMAND` literally; `e` alone or `s///e` runs text from the input. */
function sedRuns(script: string): { commands: string[]; fromInput: boolean } {
  const commands: string[] = [];
  let fromInput = false;
  let i = 0;
  const restOfLine = (): string => {
    const end = script.indexOf('\n', i);
    const text = script.slice(i, end < 0 ? undefined : end);
    i = end < 0 ? script.length : end;
    return text.trim();
  };
  const delimited = (delimiter: string): void => {
    for (i++; i < script.length && script[i] !== delimiter; i++) if (script[i] === '\\') i++;
  };
  while (i < script.length) {
    const c = script[i];
    if (/[\s;{}!,0-9$~+]/.test(c)) {
      i++;
    } else if (c === '/' || c === '\\') {
      // An address: /re/ or \cREc.
      if (c === '\\') i++;
      delimited(script[i]);
      i++;
    } else if (c === 's' || c === 'y') {
      const delimiter = script[++i];
      for (let part = 0; part < 2; part++) delimited(delimiter);
      i++;
      if (c === 's') {
        const flags = /^[0-9gpIiMme]*/.exec(script.slice(i))?.[0] ?? '';
        if (flags.includes('e')) fromInput = true;
        i += flags.length;
        if (script[i] === 'w') restOfLine();
      }
    } else if (SED_TEXT_COMMANDS.has(c)) {
      i++;
      const text = restOfLine();
      if (c === 'e') {
        if (text) commands.push(text);
        else fromInput = true;
      }
    } else {
      i++;
    }
  }
  return { commands, fromInput };
}

/** sed's scripts: `-e S` (also in a cluster, `-ne S`), else its first operand unless `-f FILE` gives them. */
function sedScripts(args: readonly Word[]): string[] {
  const scripts: string[] = [];
  let fromFile = false;
  let operand: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i].value;
    if (a.startsWith('--')) {
      const [name, value] = a.slice(2).split(/=(.*)/s);
      const takesValue = ['expression', 'file', 'line-length'].includes(name);
      const v = takesValue && value === undefined ? args[++i]?.value : value;
      if (name === 'expression' && v !== undefined) scripts.push(v);
      if (name === 'file') fromFile = true;
    } else if (a.startsWith('-') && a !== '-') {
      // `-i` takes the rest as its suffix (`-ie` is -i with suffix e); e, f and l take a value.
      const at = a.slice(1).search(/[efli]/);
      const letter = a[at + 1];
      if (at < 0 || letter === 'i') continue;
      const value = a.slice(at + 2) || args[++i]?.value;
      if (letter === 'e' && value !== undefined) scripts.push(value);
      if (letter === 'f') fromFile = true;
    } else if (a !== '') operand ??= a; // BSD `sed -i '' SCRIPT`: the empty word is -i's suffix
  }
  return scripts.length > 0 || fromFile || operand === undefined ? scripts : [operand];
}

/** The e command and the s///e flag run commands (not under --sandbox). */
function unwrapSed(w: Wrapped): Unwrapped {
  const args = w.words.slice(1);
  if (args.some((a) => a.value === '--sandbox')) return { kind: 'none' };
  const read = sedScripts(args).map(sedRuns);
  if (read.some((r) => r.fromInput)) return { kind: 'opaque', reason: 'sed runs the lines it edits as commands (the e command or the s///e flag)', self: true };
  return runs(read.flatMap((r) => r.commands));
}

// ------------------------------------------------------------------------------------------ awk

const AWK_STRING = /"((?:[^"\\]|\\.)*)"/g;
const AWK_VALUE_OPTIONS = new Set(['-F', '-v', '--field-separator', '--assign']);

/** An awk expression as shell text: its string literals spelled out, any other part left dynamic. */
function awkToShell(expression: string): string {
  let out = '';
  let last = 0;
  const computed = (text: string): string => (text.trim() ? '${awk_expression}' : '');
  for (const m of expression.matchAll(AWK_STRING)) {
    out += computed(expression.slice(last, m.index)) + m[1].replace(/\\(.)/g, (_, ch: string) => (ch === 'n' ? '\n' : ch));
    last = (m.index ?? 0) + m[0].length;
  }
  return out + computed(expression.slice(last));
}

/**
 * `system(EXPR)`, `EXPR | getline`, and `print ... | EXPR`, whose command reads what awk prints:
 * data only known at run time (`print | "sh"` runs the input as commands).
 */
function awkRuns(program: string): string[] {
  const runs: string[] = [];
  for (const m of program.matchAll(/\bsystem\s*\(((?:[^()"]|"(?:[^"\\]|\\.)*"|\([^()]*\))*)\)/g)) runs.push(awkToShell(m[1]));
  for (const m of program.matchAll(/([^{};\n|]*?)\|\s*getline\b/g)) runs.push(awkToShell(m[1]));
  for (const m of program.matchAll(/\bprintf?\b[^{};\n|]*\|\s*([^{};\n]+)/g)) runs.push(`printf '%s' "\${awk_expression}" | ${awkToShell(m[1])}`);
  return runs.filter((r) => r.trim());
}

/** awk's program is its first operand (or `--source TEXT`); `-f FILE` runs a file the line does not show. */
function unwrapAwk(w: Wrapped): Unwrapped {
  const args = w.words.slice(1);
  const sources = optionValues(args, ['source'], ['e']);
  if (optionValues(args, ['file', 'include'], ['f', 'i']).length > 0) return runs(sources.flatMap(awkRuns));
  for (let i = 0; sources.length === 0 && i < args.length; i++) {
    const a = args[i];
    if (AWK_VALUE_OPTIONS.has(a.value)) i++;
    else if (a.value === '--' || !a.value.startsWith('-')) {
      const program = a.value === '--' ? args[i + 1] : a;
      if (program && !program.static) return { kind: 'opaque', reason: `runs an awk program only known at run time: ${program.raw}`, self: true };
      if (program) sources.push(program.value);
    }
  }
  return runs(sources.flatMap(awkRuns));
}

// ------------------------------------------------------------------------------------------ tar

/** GNU tar runs commands for `--checkpoint-action=exec=`, `--to-command`, `-I`/`--use-compress-program`, `-F`/`--info-script`. */
function unwrapTar(w: Wrapped): Unwrapped {
  const args = w.words.slice(1);
  const actions = optionValues(args, ['checkpoint-action'])
    .filter((a) => a.startsWith('exec='))
    .map((a) => a.slice(5));
  const commands = optionValues(args, ['to-command', 'use-compress-program', 'info-script', 'new-volume-script', 'rsh-command'], ['I', 'F']);
  return runs([...actions, ...commands]);
}

// --------------------------------------------------------------------------------------- expect

/** Tcl words of one command: `{braced}` and `"quoted"` kept whole, `\r` and `\n` unescaped. */
function tclCommands(script: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let i = 0;
  const end = (): void => {
    if (words.length > 0) commands.push(words);
    words = [];
  };
  while (i < script.length) {
    const c = script[i];
    if (c === '\n' || c === ';') {
      end();
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === '#' && words.length === 0) {
      while (i < script.length && script[i] !== '\n') i++;
    } else if (c === '{') {
      let depth = 0;
      const start = i;
      for (; i < script.length; i++) {
        if (script[i] === '{') depth++;
        else if (script[i] === '}' && --depth === 0) break;
      }
      words.push(script.slice(start + 1, i++));
    } else {
      let word = '';
      const quoted = c === '"';
      if (quoted) i++;
      for (; i < script.length && (quoted ? script[i] !== '"' : !/[\s;]/.test(script[i])); i++) {
        if (script[i] === '\\' && i + 1 < script.length) word += { r: '\r', n: '\n', t: '\t' }[script[++i]] ?? script[i];
        else word += script[i];
      }
      if (quoted) i++;
      words.push(word);
    }
  }
  end();
  return commands;
}

/**
 * `spawn CMD` and `exec CMD` run CMD; what the script `send`s answers its prompts, so the spawned
 * command is checked with that text on its input, as `yes | terraform apply` would be.
 */
function expectRuns(script: string): string[] {
  const commands = tclCommands(script);
  const answers = commands.filter((c) => c[0] === 'send').map((c) => c[c.length - 1]);
  const out: string[] = [];
  for (const [name, ...args] of commands) {
    const argv = args.filter((a, i) => !(name === 'spawn' && i === 0 && a.startsWith('-')));
    if ((name !== 'spawn' && name !== 'exec') || argv.length === 0) continue;
    const line = argv.map((a) => (/[$[]/.test(a) ? `"\${expect_value}"` : quoteWord(a))).join(' ');
    out.push(name === 'spawn' && answers.length > 0 ? `${line} <<'EXPECT_SEND'\n${answers.join('\n')}\nEXPECT_SEND` : line);
  }
  return out;
}

/** `expect -c SCRIPT`, or a script on stdin; `expect FILE` runs a file the line does not show. */
function unwrapExpect(w: Wrapped): Unwrapped {
  const args = w.words.slice(1);
  const inline = optionValues(args, [], ['c']);
  if (inline.length > 0) return runs(inline.flatMap(expectRuns));
  if (args.some((a) => !a.value.startsWith('-'))) return { kind: 'none' };
  const stdin = literalStdin(w.stdin);
  return stdin === undefined ? { kind: 'none' } : runs(expectRuns(stdin));
}

type Unwrapper = (w: Wrapped) => Unwrapped;

export const TEXT_TOOLS: ReadonlyMap<string, Unwrapper> = new Map<string, Unwrapper>([
  ...['sed', 'gsed'].map((t): [string, Unwrapper] => [t, unwrapSed]),
  ...['awk', 'gawk', 'mawk', 'nawk'].map((t): [string, Unwrapper] => [t, unwrapAwk]),
  ...['tar', 'gtar'].map((t): [string, Unwrapper] => [t, unwrapTar]),
  ['expect', unwrapExpect],
]);
