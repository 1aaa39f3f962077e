import { existsSync } from 'node:fs';
import type { TerminalFacts } from '../../core/doctor/facts';
import { isGuardedShell } from '../../core/doctor/guardedShell';
import { processArgv, processEnvironment } from '../processEnvironment';
import { ancestorsOf } from '../processTree';

type Env = Readonly<Record<string, string | undefined>>;

/** Whether this process runs under a guarded terminal's shell: its ancestors' argv and starting environment, from /proc (Linux). */
export function terminalFacts(env: Env, pid = process.pid): TerminalFacts {
  if (!existsSync(`/proc/${pid}/cmdline`)) return { kind: 'unknown', reason: 'this system has no /proc to read the shell from' };
  for (const ancestor of ancestorsOf(pid).slice(1)) {
    if (isGuardedShell(processArgv(ancestor), processEnvironment(ancestor) ?? {})) return { kind: 'guarded' };
  }
  return { kind: 'plain', vscode: env.TERM_PROGRAM === 'vscode' };
}
