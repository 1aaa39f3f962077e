import type { HookRun } from '../../core/doctor/facts';
import { startProcess } from '../processRun';

/** Far more than any answer; a runaway entry is cut here. */
const MAX_OUTPUT_CHARS = 64 * 1024;

/**
 * Runs a hook entry as the agent does (its command through /bin/sh, the hook input on stdin) and
 * collects its answer; the entry and whatever it started are killed after `seconds`.
 */
export function runHookEntry(command: string, input: string, options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv; readonly seconds: number }): Promise<HookRun> {
  return new Promise((settle) => {
    // Its own process group, so the timeout takes the launcher and the CLI with it.
    const { child, done } = startProcess('/bin/sh', ['-c', command], { cwd: options.cwd, env: options.env, input, detached: true, maxOutputChars: MAX_OUTPUT_CHARS });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      settle({ kind: 'timeout', seconds: options.seconds });
    }, options.seconds * 1000);
    void done
      .then(
        ({ code, signal, stdout, stderr }) => settle(signal ? { kind: 'failed', reason: `killed by ${signal}` } : { kind: 'exited', exitCode: code ?? -1, stdout, stderr }),
        (error: Error) => settle({ kind: 'failed', reason: error.message }),
      )
      .finally(() => clearTimeout(timer));
  });
}
