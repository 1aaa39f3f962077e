import { readdirSync, readFileSync } from 'node:fs';
import { processIds, processStat } from './foreground';

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGKILL';

/** What the kill switch did to a terminal's foreground job. */
export type ForegroundStop =
  /** The shell itself holds the terminal: nothing runs in the foreground. */
  | { readonly kind: 'idle' }
  /** The job's process group was signalled; `stopped` when no live process is left in it. */
  | { readonly kind: 'stopped' | 'survived'; readonly group: number; readonly name: string; readonly signals: readonly StopSignal[] }
  /** Nothing could be signalled without hitting the shell; `why` says what runs. */
  | { readonly kind: 'unreachable'; readonly why: string };

/** How long the job has after SIGINT before SIGTERM, and after SIGTERM before SIGKILL. */
const INTERRUPT_GRACE_MS = 500;
const TERMINATE_GRACE_MS = 1500;
/** How long SIGKILL may take to show: the kernel, then the shell reaping the job. */
const KILL_WAIT_MS = 1000;
const POLL_MS = 25;

/**
 * Stops whatever runs in the foreground of the shell's terminal, as a person at the keyboard would
 * and then harder: SIGINT, SIGTERM after a grace, SIGKILL after another. Only the foreground process
 * group is signalled (read from the terminal, /proc/<shell>/stat tpgid), never the shell's own group,
 * so the shell survives and takes commands again once input flows.
 */
export async function stopForeground(shellPid: number): Promise<ForegroundStop> {
  const shell = processStat(shellPid);
  if (!shell) return { kind: 'unreachable', why: processStat(process.pid) ? 'the shell is gone' : 'this system has no /proc to find the terminal’s foreground job' };
  const group = shell.tpgid;
  if (group <= 0) return { kind: 'unreachable', why: 'the shell has no terminal' };
  if (group === shell.pgrp) {
    // Without job control a command shares the shell's group; signalling that group would end the shell.
    return hasChildren(shellPid) ? { kind: 'unreachable', why: 'a command runs in the shell’s own process group (job control is off)' } : { kind: 'idle' };
  }
  const name = processStat(group)?.comm ?? `process group ${group}`;
  const signals: StopSignal[] = [];
  const steps: [StopSignal, number][] = [
    ['SIGINT', INTERRUPT_GRACE_MS],
    ['SIGTERM', TERMINATE_GRACE_MS],
    ['SIGKILL', KILL_WAIT_MS],
  ];
  for (const [signal, grace] of steps) {
    // A group gone before the first signal ended by itself: nothing ran any more.
    if (!signalGroup(group, signal)) return signals.length > 0 ? { kind: 'stopped', group, name, signals } : { kind: 'idle' };
    signals.push(signal);
    if (await goneWithin(group, grace)) return { kind: 'stopped', group, name, signals };
  }
  return { kind: 'survived', group, name, signals };
}

/** One line for the terminal and the log; nothing when nothing ran. */
export function describeStop(stop: ForegroundStop): string | undefined {
  switch (stop.kind) {
    case 'idle':
      return undefined;
    case 'unreachable':
      return `nothing was stopped: ${stop.why}`;
    case 'stopped':
      return `stopped ${stop.name} (process group ${stop.group}) with ${stop.signals.join(', then ')}`;
    case 'survived':
      return `${stop.name} (process group ${stop.group}) is still running after ${stop.signals.join(', ')}`;
  }
}

/** False when the group has no process left to signal. */
function signalGroup(group: number, signal: StopSignal): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

async function goneWithin(group: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (!groupAlive(group)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** A group whose members are all zombies is gone: they only wait for their parent to reap them. */
function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  return processIds().some((pid) => {
    const stat = processStat(pid);
    return stat !== undefined && stat.pgrp === group && stat.state !== 'Z';
  });
}

function hasChildren(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/task`).some((task) => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim() !== '');
  } catch {
    return false;
  }
}

