import { readFileSync } from 'node:fs';
import { processIds, processStat } from '../../src/node/pty/foreground';

/** A process's command line as its words, joined by spaces; empty once it is gone. */
export function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return ''; // gone meanwhile
  }
}

/** The first process running exactly `commandLine` (a test's own `sleep 7654321`), if any. */
export function processRunning(commandLine: string): number | undefined {
  return processIds().find((pid) => commandLineOf(pid) === commandLine);
}

/** Every process whose command line holds `text`. */
export function processesNaming(text: string): number[] {
  return processIds().filter((pid) => commandLineOf(pid).includes(text));
}

/** Every process (zombies too) in process group `group`. */
export function groupMembers(group: number): number[] {
  return processIds().filter((pid) => processStat(pid)?.pgrp === group);
}
