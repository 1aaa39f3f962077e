import { readFileSync } from 'node:fs';

/**
 * A process's command line and the environment it started with, from /proc (Linux). Empty when they
 * cannot be read (no /proc, another user's process, one that ended): callers treat that as unknown.
 */
export function processArgv(pid: number): string[] {
  return nulSeparated(`/proc/${pid}/cmdline`);
}

/** The environment `pid` started with (a later `export` in a shell is not in it); undefined when unreadable. */
export function processEnvironment(pid: number): Record<string, string> | undefined {
  const entries = nulSeparated(`/proc/${pid}/environ`);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.filter((entry) => entry.includes('=')).map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

/** A /proc file of NUL-separated strings; none when it cannot be read. */
function nulSeparated(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}
