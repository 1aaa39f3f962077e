import { processIds, processStat } from '../../../src/node/pty/foreground';

/** Parent pid and state of every live process, from /proc (pgrep would need one call per level). */
function processTable(): Map<number, { ppid: number; zombie: boolean }> {
  const table = new Map<number, { ppid: number; zombie: boolean }>();
  for (const pid of processIds()) {
    const stat = processStat(pid); // undefined: it exited while we listed /proc
    if (stat) table.set(pid, { ppid: stat.ppid, zombie: stat.state === 'Z' });
  }
  return table;
}

/** The pids of `roots` and everything descending from them that is still alive (zombies count as gone). */
export function liveTree(roots: Iterable<number>): Set<number> {
  const table = processTable();
  const tree = new Set<number>();
  const visit = (pid: number): void => {
    if (tree.has(pid)) return;
    const info = table.get(pid);
    if (info && !info.zombie) tree.add(pid);
    for (const [child, c] of table) if (c.ppid === pid) visit(child);
  };
  for (const pid of roots) visit(pid);
  return tree;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The chain of parents of `pid`, nearest first, up to (not including) init. */
export function ancestors(pid: number): number[] {
  const table = processTable();
  const chain: number[] = [];
  for (let p = table.get(pid)?.ppid; p && p > 1; p = table.get(p)?.ppid) chain.push(p);
  return chain;
}

function signal(pids: Iterable<number>, sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stops `pid` and its whole tree. code-server keeps extension hosts alive after the browser leaves (for
 * reconnection) and node-pty's shells run in their own sessions, so signalling the process group is not
 * enough: SIGTERM the root, wait for every descendant, SIGTERM stragglers, SIGKILL after `graceMs`.
 */
export async function stopTree(pid: number, graceMs = 10_000): Promise<void> {
  let members = liveTree([pid]);
  signal([pid], 'SIGTERM');
  const start = Date.now();
  let nudged = false;
  while (members.size > 0) {
    await sleep(100);
    members = liveTree(members);
    const elapsed = Date.now() - start;
    if (!nudged && elapsed > graceMs / 2) {
      signal(members, 'SIGTERM');
      nudged = true;
    }
    if (elapsed > graceMs) {
      signal(members, 'SIGKILL');
      await sleep(100);
      return;
    }
  }
}
