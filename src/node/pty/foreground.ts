import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * Programs that read command lines of their own: input typed into them does not reach our hook.
 * (Any other program in the foreground just gets its input; the prompt watch covers Terraform's.)
 */
const COMMAND_READERS =
  /^(?:(?:sh|dash|ash|bash|zsh|ksh|mksh|yash|fish|tcsh|csh|nu|xonsh|elvish|pwsh|busybox|su|sudo|doas|ssh|mosh-client|telnet|screen|tmux|nix-shell|python[0-9.]*|ipython[0-9.]*|node|deno|bun|ruby|irb|pry|perl|php|lua[0-9.]*|R|julia|ghci|iex|erl|psql|mysql|mariadb|sqlite3|mongo|mongosh|redis-cli|kubectl|docker|podman|gdb|lldb))$/;

export interface Foreground {
  /** Our own shell is reading the terminal (same process, same program). */
  readonly isOurShell: boolean;
  /** Something that runs typed lines as commands: a nested shell, REPL, ssh. */
  readonly readsCommands: boolean;
  readonly name: string;
}

/**
 * Who owns the terminal now. The name comes from node-pty; on Linux the foreground process group from
 * /proc tells our shell from a nested one of the same name (`bash` inside `bash`).
 */
export function foregroundOf(shellPid: number, shellName: string, processName: string): Foreground {
  const name = programName(processName);
  const group = foregroundGroup(shellPid);
  const isOurShell = name === programName(shellName) && (group === undefined || group === shellPid);
  return { isOurShell, readsCommands: !isOurShell && COMMAND_READERS.test(name), name };
}

/** node-pty reports argv[0] ("/bin/bash", "-zsh" for a login shell): the bare program name. */
function programName(argv0: string): string {
  return basename(argv0.split(' ')[0]).replace(/^-/, '');
}

function foregroundGroup(pid: number): number | undefined {
  const tpgid = processStat(pid)?.tpgid;
  return tpgid !== undefined && tpgid > 0 ? tpgid : undefined;
}

/** What /proc/<pid>/stat says of a process, or nothing when it is gone (or there is no /proc). */
export interface ProcessStat {
  readonly comm: string;
  /** R, S, D, Z, T, … */
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  /** The foreground process group of the process's controlling terminal; -1 without one. */
  readonly tpgid: number;
}

export function processStat(pid: number): ProcessStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid pgrp session tty_nr tpgid ...; comm may hold spaces and parentheses.
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    return { comm: stat.slice(stat.indexOf('(') + 1, close), state: fields[0], ppid: Number(fields[1]), pgrp: Number(fields[2]), tpgid: Number(fields[5]) };
  } catch {
    return undefined;
  }
}

/** Every process id on this machine (Linux /proc). */
export function processIds(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}
