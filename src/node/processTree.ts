import { processStat, type ProcessStat } from './pty/foreground';

/** Deeper than any real chain from a terminal's shell to a tool an agent's script starts. */
const MAX_DEPTH = 64;

/**
 * `pid` and its ancestors, nearest first, read from /proc (Linux); only `pid` itself where /proc
 * cannot tell. A process whose parent exited is re-parented (to init or a subreaper), so a
 * detached job no longer descends from the shell that started it.
 */
export function ancestorsOf(pid: number, stat: (pid: number) => Pick<ProcessStat, 'ppid'> | undefined = processStat): number[] {
  const chain = [pid];
  for (let current = pid; chain.length < MAX_DEPTH; ) {
    const parent = stat(current)?.ppid;
    if (parent === undefined || parent <= 0 || chain.includes(parent)) break;
    chain.push(parent);
    current = parent;
  }
  return chain;
}

/** Whether `pid` is `ancestor` or runs under it; false when it cannot be told (fails closed for grants). */
export function descendsFrom(pid: number, ancestor: number, stat?: (pid: number) => Pick<ProcessStat, 'ppid'> | undefined): boolean {
  return ancestorsOf(pid, stat).includes(ancestor);
}

/** Whether a process is alive (one of another user's counts); a window that crashed leaves files behind, and its pid tells. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
