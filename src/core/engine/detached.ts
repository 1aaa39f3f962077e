import { quoteWord } from '../shell/quote';
import type { Word } from '../shell/words';
import { literalStdin } from './stdin';
import type { Unwrapped, Wrapped } from './wrapped';

/**
 * Commands that run a command later or somewhere else on this machine: in a terminal multiplexer's
 * new window or typed into its pane (tmux, screen), on a signal or at exit (trap), beside the shell
 * (coproc), at a time (at, batch), or on a schedule (crontab). What they run is checked now, as if it
 * ran now.
 */

function words(list: readonly Word[]): string[] {
  return list.map((w) => w.value);
}

/** The shell text of argv words, as the shell would run them; unknown words stay unknown. */
function asShellText(list: readonly Word[]): string {
  return list.map((w) => (w.static ? quoteWord(w.value) : '"${unknown}"')).join(' ');
}

/** Keys tmux and screen read as key names, not text typed into the pane. */
const KEY_NAMES = /^(Enter|C-m|C-j|KPEnter|Escape|Tab|Space|BSpace|C-[a-z])$/;

/** Words after the options: `valueOptions` take the next word, the others are flags (clusters allowed). */
function afterOptions(args: readonly Word[], valueOptions: string): Word[] {
  let i = 0;
  for (; i < args.length && args[i].value.startsWith('-') && args[i].value !== '-'; i++) {
    if (args[i].value === '--') return args.slice(i + 1);
    const letters = args[i].value.slice(1);
    const at = [...letters].findIndex((l) => valueOptions.includes(l));
    if (at >= 0 && at === letters.length - 1) i++;
  }
  return args.slice(i);
}

/** tmux commands whose last words are a shell command, with the letters of their options that take a value. */
const TMUX_RUNS_TEXT: ReadonlyMap<string, string> = new Map([
  ...['new-session', 'new'].map((c): [string, string] => [c, 'cefnstxyF']),
  ...['new-window', 'neww'].map((c): [string, string] => [c, 'ceFnt']),
  ...['split-window', 'splitw'].map((c): [string, string] => [c, 'ceFlt']),
  ...['respawn-pane', 'respawnp', 'respawn-window', 'respawnw'].map((c): [string, string] => [c, 'cet']),
  ...['run-shell', 'run'].map((c): [string, string] => [c, 'dt']),
  ...['display-popup', 'popup'].map((c): [string, string] => [c, 'bcdehsSTtwxy']),
]);

/** `tmux new -d 'CMD'`, `tmux split-window CMD`, `tmux -c CMD`; `tmux send-keys 'CMD' Enter` types it into a shell. */
function unwrapTmux(w: Wrapped): Unwrapped {
  const global = w.words.slice(1);
  const inline = global.findIndex((a) => a.value === '-c');
  const args = afterOptions(global, 'LSfTc');
  if (inline >= 0 && inline < global.length - args.length && global[inline + 1]) return { kind: 'script', text: global[inline + 1].value };
  const sub = args[0]?.value ?? '';
  const valueLetters = TMUX_RUNS_TEXT.get(sub);
  if (valueLetters !== undefined) {
    const rest = afterOptions(args.slice(1), valueLetters);
    return rest.length > 0 ? { kind: 'script', text: words(rest).join(' ') } : { kind: 'none' };
  }
  if (sub === 'send-keys' || sub === 'send') {
    const typed = afterOptions(args.slice(1), 'tN').filter((k) => !KEY_NAMES.test(k.value));
    return typed.length > 0 ? { kind: 'script', text: words(typed).join(' ') } : { kind: 'none' };
  }
  return { kind: 'none' };
}

/** `screen -dmS NAME CMD ARGS` runs CMD; `screen -S NAME -X stuff 'CMD\n'` types it into the session. */
function unwrapScreen(w: Wrapped): Unwrapped {
  const args = w.words.slice(1);
  const rest = afterOptions(args, 'SceEhpTsX');
  if (args.some((a) => /^-[A-Za-z]*X$/.test(a.value))) {
    const x = args.findIndex((a) => /^-[A-Za-z]*X$/.test(a.value));
    const [command, text] = args.slice(x + 1);
    return command?.value === 'stuff' && text ? { kind: 'script', text: text.value.replace(/\\[nr]|\^M/g, '\n') } : { kind: 'none' };
  }
  return rest.length > 0 ? { kind: 'argv', words: rest } : { kind: 'none' };
}

/** `trap 'CMD' EXIT`: the handler runs when the signal comes or the shell exits. `trap -p`, `trap - SIG`: nothing. */
function unwrapTrap(w: Wrapped): Unwrapped {
  const handler = w.words.slice(1).find((a) => a.value !== '--');
  if (!handler || handler.value === '-' || /^-[lp]$/.test(handler.value)) return { kind: 'none' };
  if (!handler.static) return { kind: 'opaque', reason: `sets a trap handler only known at run time: ${handler.raw}` };
  return { kind: 'script', text: handler.value };
}

/** `coproc CMD ARGS`, or `coproc NAME { CMD; }` (the parser ends the words at the first `;`). */
function unwrapCoproc(w: Wrapped): Unwrapped {
  const args = w.words.slice(1);
  const brace = args.findIndex((a) => a.value === '{' || a.value === '(');
  const command = brace >= 0 && brace <= 1 ? args.slice(brace + 1).filter((a) => a.value !== '}' && a.value !== ')') : args;
  return command.length > 0 ? { kind: 'script', text: asShellText(command) } : { kind: 'none' };
}

/** `at TIME` and `batch` run the shell text they read; `-f FILE` runs a file, `-l`/`-r`/`-c` manage the queue. */
function unwrapAt(w: Wrapped): Unwrapped {
  if (w.words.slice(1).some((a) => /^-[A-Za-z]*[fldrc]/.test(a.value))) return { kind: 'none' };
  if (!w.stdin) return { kind: 'none' };
  const text = literalStdin(w.stdin);
  return text !== undefined ? { kind: 'script', text } : { kind: 'opaque', reason: 'schedules shell text read from its input' };
}

/** A crontab line's command: after the five time fields or an `@daily`-style nickname, up to cron's first unescaped `%` (the job's input). */
function cronCommand(line: string): string | undefined {
  const trimmed = line.trim();
  // blank, a comment, or an environment line (`SHELL=/bin/bash`)
  if (trimmed === '' || trimmed.startsWith('#') || /^[A-Za-z_][A-Za-z0-9_]*\s*=/.test(trimmed)) return undefined;
  const schedule = /^(@\w+|(?:\S+\s+){4}\S+)\s+(.*)$/s.exec(trimmed);
  if (!schedule) return undefined;
  return schedule[2].split(/(?<!\\)%/)[0].replace(/\\%/g, '%');
}

/**
 * `crontab -` (or no file) installs the table it reads as the user's schedule, replacing the old one;
 * `crontab FILE` installs a file, not read here; `-l` lists, `-e` opens an editor, `-r` removes (a
 * rule of its own).
 */
function unwrapCrontab(w: Wrapped): Unwrapped {
  const args = afterOptions(w.words.slice(1), 'u');
  if (w.words.slice(1).some((a) => /^-[A-Za-z]*[lerTV]/.test(a.value))) return { kind: 'none' };
  // self: the crontab call itself is still for the packs (an empty table removes the old one).
  if (args.length > 0 && args[0].value === '/dev/null') return { kind: 'none' };
  if (args.length > 0 && args[0].value !== '-') return { kind: 'opaque', reason: `installs the schedule in ${args[0].raw}, which is not read here`, self: true };
  const table = literalStdin(w.stdin);
  if (table === undefined) return { kind: 'opaque', reason: 'installs a schedule read from its input', self: true };
  const commands = table.split('\n').map(cronCommand).filter((c): c is string => c !== undefined);
  return commands.length > 0 ? { kind: 'script', text: commands.join('\n'), self: true } : { kind: 'none' };
}

type Unwrapper = (w: Wrapped) => Unwrapped;

export const DETACHED: ReadonlyMap<string, Unwrapper> = new Map<string, Unwrapper>([
  ['tmux', unwrapTmux],
  ['screen', unwrapScreen],
  ['trap', unwrapTrap],
  ['coproc', unwrapCoproc],
  ['at', unwrapAt],
  ['batch', unwrapAt],
  ['crontab', unwrapCrontab],
]);
