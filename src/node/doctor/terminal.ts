import { existsSync, readFileSync } from 'node:fs';
import type { TerminalFacts } from '../../core/doctor/facts';
import { isGuardedShell } from '../../core/doctor/guardedShell';
import { ancestorsOf } from '../processTree';

type Env = Readonly<Record<string, string | undefined>>;

/** Whether this process runs under a guarded terminal's shell: its ancestors' argv and starting environment, from /proc (Linux). */
export function terminalFacts(env: Env, pid = process.pid): TerminalFacts {
  if (!existsSync(`/proc/${pid}/cmdline`)) return { kind: 'unknown', reason: 'this system has no /proc to read the shell from' };
  for (const ancestor of ancestorsOf(pid).slice(1)) {
    const argv = nulSeparated(`/proc/${ancestor}/cmdline`);
    const environ = Object.fromEntries(nulSeparated(`/proc/${ancestor}/environ`).map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
    if (isGuardedShell(argv, environ)) return { kind: 'guarded' };
  }
  return { kind: 'plain', vscode: env.TERM_PROGRAM === 'vscode' };
}

/** A /proc file of NUL-separated strings; none when it cannot be read (another user's process, one that ended). */
function nulSeparated(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}
