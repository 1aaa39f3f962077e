import type { Word } from '../shell/words';
import type { Unwrapped } from './wrapped';

/*
 * Wrappers that pass the rest of their arguments on as a command (sudo, env, timeout, setsid,
 * systemd-run, strace...), each described as data: its options, its own operands, and whether it
 * moves the command to another folder or hands it over as shell text.
 */

/** A wrapper that passes the rest of its arguments on as a command, described as data. */
interface WrapperGrammar {
  readonly names: readonly string[];
  readonly valueOptions?: readonly string[];
  /** Options whose value is shell text (`su -c`, `script -c`, `flock -c`). */
  readonly commandOptions?: readonly string[];
  /** Options whose value is split into more words (`env -S`). */
  readonly splitOptions?: readonly string[];
  /** Options that mean the wrapper runs nothing (`command -v`, `sudo -l`). */
  readonly inertOptions?: readonly string[];
  /** Options that run the command in another folder (`env -C DIR`, `sudo -D DIR`), as `cd DIR` would. */
  readonly chdirOptions?: readonly string[];
  /** `NAME=value` words before the command (`env`). */
  readonly assignments?: boolean;
  /** Positionals the wrapper takes before the command (`timeout 5s`, `flock FILE`, `chroot DIR`). */
  readonly leadingPositionals?: number;
  /** Options whose presence means there are no leading positionals (`runuser -u USER -- CMD`). */
  readonly noLeadingWith?: readonly string[];
  /** A lone `-` is an option (`su - user`: a login shell), not the command's first word. */
  readonly loginDash?: boolean;
  /** The rest is joined and handed to `sh -c` (`watch`), rather than run as argv. */
  readonly restIsShellText?: boolean;
}

const WRAPPER_GRAMMARS: readonly WrapperGrammar[] = [
  {
    names: ['sudo'],
    valueOptions: ['u', 'g', 'h', 'p', 'C', 'D', 'r', 't', 'U', 'T', 'user', 'group', 'host', 'prompt', 'chdir', 'role', 'type', 'other-user', 'close-from', 'command-timeout'],
    inertOptions: ['l', 'list', 'v', 'validate', 'k', 'K', 'reset-timestamp', 'remove-timestamp', 'V', 'version', 'e', 'edit', 'h', 'help'],
    chdirOptions: ['D', 'chdir'],
  },
  { names: ['doas'], valueOptions: ['u', 'C'] },
  {
    names: ['env'],
    valueOptions: ['u', 'unset', 'C', 'chdir', 'S', 'split-string', 'P'],
    splitOptions: ['S', 'split-string'],
    chdirOptions: ['C', 'chdir'],
    assignments: true,
  },
  { names: ['command'], inertOptions: ['v', 'V'] },
  { names: ['builtin', 'nohup', 'busybox', 'unbuffer', 'caffeinate'] },
  { names: ['exec'], valueOptions: ['a'] },
  { names: ['nice'], valueOptions: ['n', 'adjustment'] },
  { names: ['ionice'], valueOptions: ['c', 'class', 'n', 'classdata', 'p', 'pid', 'P', 'pgid', 'u', 'uid'] },
  { names: ['time'], valueOptions: ['f', 'format', 'o', 'output'] },
  { names: ['timeout'], valueOptions: ['s', 'signal', 'k', 'kill-after'], leadingPositionals: 1 },
  { names: ['stdbuf'], valueOptions: ['i', 'o', 'e', 'input', 'output', 'error'] },
  { names: ['flock'], valueOptions: ['w', 'wait', 'timeout', 'E', 'conflict-exit-code'], commandOptions: ['c', 'command'], leadingPositionals: 1 },
  { names: ['watch'], valueOptions: ['n', 'interval', 'q', 'equexit'], restIsShellText: true },
  { names: ['script'], valueOptions: ['E', 'echo', 'O', 'log-out', 'I', 'log-in', 'T', 'log-timing', 'm', 'logging-format'], commandOptions: ['c', 'command'] },
  // su and runuser take the user before or after their options: `su - deploy -c CMD`, `runuser -u deploy -- CMD`.
  { names: ['su'], valueOptions: ['s', 'shell', 'g', 'group', 'G', 'supp-group', 'w', 'whitelist-environment'], commandOptions: ['c', 'command'], leadingPositionals: 1, loginDash: true },
  { names: ['runuser'], valueOptions: ['u', 'user', 'g', 'group', 'G', 'supp-group', 's', 'shell', 'w', 'whitelist-environment'], commandOptions: ['c', 'command'], leadingPositionals: 1, noLeadingWith: ['u', 'user'], loginDash: true },
  { names: ['chroot'], valueOptions: ['userspec', 'groups'], leadingPositionals: 1 },
  // Sessions, schedulers and sandboxes that run their command as given.
  { names: ['setsid', 'chronic', 'dbus-run-session', 'dbus-launch', 'catchsegv', 'torsocks'] },
  { names: ['unshare'], valueOptions: ['S', 'setuid', 'G', 'setgid', 'R', 'root', 'w', 'wd', 'propagation', 'setgroups'], chdirOptions: ['w', 'wd'] },
  { names: ['taskset'], inertOptions: ['p', 'pid'], leadingPositionals: 1 },
  { names: ['chrt', 'faketime'], inertOptions: ['p', 'pid'], leadingPositionals: 1 },
  {
    names: ['systemd-run'],
    valueOptions: ['u', 'unit', 'p', 'property', 'description', 'slice', 'E', 'setenv', 'uid', 'gid', 'nice', 'M', 'machine', 'H', 'host', 'working-directory', 'on-active', 'on-boot', 'on-startup', 'on-unit-active', 'on-unit-inactive', 'on-calendar', 'timer-property', 'path-property', 'socket-property', 'service-type'],
    chdirOptions: ['working-directory'],
  },
  { names: ['sg'], commandOptions: ['c'], leadingPositionals: 1 },
  { names: ['pkexec'], valueOptions: ['user'] },
  { names: ['sshpass'], valueOptions: ['p', 'f', 'd', 'P'] },
  { names: ['proxychains', 'proxychains4'], valueOptions: ['f'] },
  { names: ['xvfb-run'], valueOptions: ['n', 'server-num', 'e', 'error-file', 'f', 'auth-file', 'p', 'xauth-protocol', 's', 'server-args', 'w', 'wait'] },
  { names: ['numactl'], valueOptions: ['N', 'cpunodebind', 'm', 'membind', 'C', 'physcpubind', 'i', 'interleave', 'p', 'preferred'] },
  { names: ['cgexec'], valueOptions: ['g'] },
  // Tracers run the program they trace.
  { names: ['strace', 'ltrace'], valueOptions: ['e', 'o', 'p', 's', 'u', 'E', 'P', 'I', 'a', 'b', 'X', 'O', 'S', 'A', 'n'] },
  { names: ['valgrind', 'firejail', 'prlimit', 'setpriv'] },
  // Watchers run their command again on every change: `entr -s` and watchexec take shell text.
  { names: ['entr'], commandOptions: ['s'] },
  { names: ['watchexec'], valueOptions: ['e', 'exts', 'w', 'watch', 'i', 'ignore', 'f', 'filter', 'd', 'debounce', 's', 'signal', 'shell', 'delay-run', 'poll', 'project-origin', 'workdir', 'env', 'E'], restIsShellText: true },
  { names: ['nodemon'], valueOptions: ['w', 'watch', 'e', 'ext', 'i', 'ignore', 'd', 'delay', 'signal', 'config'], commandOptions: ['x', 'exec'] },
];

const BY_NAME = new Map<string, WrapperGrammar>();
for (const g of WRAPPER_GRAMMARS) for (const n of g.names) BY_NAME.set(n, g);

/** `text` split at blanks into words placed where `near` is (`env -S`, literal xargs input). */
export function splitWords(near: Word, text: string): Word[] {
  return text.split(/\s+/).filter(Boolean).map((value) => ({ ...near, value }));
}

function isAssignment(word: Word): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*=/.test(word.value);
}

/** What `tool ARGS` runs when `tool` is a wrapper described here; undefined when it is not one. */
export function unwrapByGrammar(tool: string, args: readonly Word[]): Unwrapped | undefined {
  const g = BY_NAME.get(tool);
  if (!g) return undefined;
  const read = readWrapper(g, args);
  if ('kind' in read) return read;
  if (read.inert || read.words.length === 0) return { kind: 'none' };
  if (g.restIsShellText) return { kind: 'script', text: read.words.map((w) => w.value).join(' ') };
  return { kind: 'argv', words: read.words, env: read.env };
}

/**
 * The words a wrapper described here hands on, whether it runs them (`sudo CMD`), reads them as shell
 * text (`watch CMD`) or only names them (`sudo -l CMD`); undefined when `tool` is not one or an option
 * holds its command (`su -c TEXT`). For a reader that steps over wrappers to the program named.
 */
export function handedWords(tool: string, args: readonly Word[]): readonly Word[] | undefined {
  const g = BY_NAME.get(tool);
  const read = g && readWrapper(g, args);
  return read && !('kind' in read) ? read.words : undefined;
}

type ShellText = Extract<Unwrapped, { kind: 'script' }>;

/** A wrapper's arguments read up to the words it hands on. */
interface WrapperReading {
  readonly words: Word[];
  readonly env: Map<string, Word>;
  /** An option says it runs nothing (`sudo -l`, `command -v`). */
  readonly inert: boolean;
}

function readWrapper(g: WrapperGrammar, args: readonly Word[]): WrapperReading | ShellText {
  const valueOptions = new Set(g.valueOptions ?? []);
  const env = new Map<string, Word>();
  const seen = new Set<string>();
  let rest = [...args];
  let leading = g.leadingPositionals ?? 0;
  // Options, then the wrapper's own positionals (options may follow those too: `flock FILE -c CMD`).
  for (;;) {
    const options = readWrapperOptions(g, valueOptions, rest, env, seen);
    if (options.kind !== 'argv') return options;
    rest = options.words;
    if (g.noLeadingWith?.some((o) => seen.has(o))) leading = 0;
    if (leading === 0 || rest.length === 0) break;
    rest = rest.slice(1);
    leading--;
  }
  if (g.assignments) {
    while (rest.length > 0 && isAssignment(rest[0])) {
      const w = rest.shift() as Word;
      const eq = w.value.indexOf('=');
      env.set(w.value.slice(0, eq), { ...w, value: w.value.slice(eq + 1) });
    }
  }
  return { words: rest, env, inert: g.inertOptions?.some((o) => seen.has(o)) ?? false };
}

/**
 * Reads leading options into `env` (a folder change is PWD) and their names into `seen`; returns what
 * remains, or the shell text an option gives (`-c TEXT`).
 */
function readWrapperOptions(g: WrapperGrammar, valueOptions: ReadonlySet<string>, args: Word[], env: Map<string, Word>, seen: Set<string>): { kind: 'argv'; words: Word[] } | ShellText {
  let rest = [...args];
  while (rest.length > 0 && rest[0].value.startsWith('-')) {
    const word = rest.shift() as Word;
    if (word.value === '-') {
      // `env -` is `env -i`, `su -` is `su -l`; for the other wrappers a lone dash is the command's first word.
      if (g.assignments || g.loginDash) continue;
      rest.unshift(word);
      break;
    }
    if (word.value === '--') break;
    const names: { name: string; value?: string }[] = [];
    if (word.value.startsWith('--')) {
      const [name, ...v] = word.value.slice(2).split('=');
      names.push({ name, value: v.length ? v.join('=') : undefined });
    } else {
      const body = word.value.slice(1);
      for (let j = 0; j < body.length; j++) {
        if (valueOptions.has(body[j]) || g.commandOptions?.includes(body[j])) {
          names.push({ name: body[j], value: body.slice(j + 1) || undefined });
          break;
        }
        names.push({ name: body[j] });
      }
    }
    for (const { name, value } of names) {
      seen.add(name);
      const takesValue = valueOptions.has(name) || g.commandOptions?.includes(name);
      const valueWord = value !== undefined ? { ...word, value } : takesValue ? rest.shift() : undefined;
      const optionValue = valueWord?.value;
      if (g.commandOptions?.includes(name) && optionValue !== undefined) return { kind: 'script', text: optionValue };
      if (g.splitOptions?.includes(name) && optionValue !== undefined) rest = [...splitWords(word, optionValue), ...rest];
      if (g.chdirOptions?.includes(name) && valueWord) env.set('PWD', valueWord);
    }
  }
  return { kind: 'argv', words: rest };
}

