import { spawn } from 'node:child_process';
import type { HookRun } from '../../core/doctor/facts';

/** Far more than any answer; a runaway entry is cut here. */
const MAX_OUTPUT_CHARS = 64 * 1024;

/**
 * Runs a hook entry as the agent does (its command through /bin/sh, the hook input on stdin) and
 * collects its answer; the entry and whatever it started are killed after `seconds`.
 */
export function runHookEntry(command: string, input: string, options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv; readonly seconds: number }): Promise<HookRun> {
  return new Promise((settle) => {
    // Its own process group, so the timeout takes the launcher and the CLI with it.
    const child = spawn('/bin/sh', ['-c', command], { cwd: options.cwd, env: options.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    const collect = (stream: 'stdout' | 'stderr') => (chunk: string) => {
      if (out[stream].length < MAX_OUTPUT_CHARS) out[stream] += chunk;
    };
    child.stdout.setEncoding('utf8').on('data', collect('stdout'));
    child.stderr.setEncoding('utf8').on('data', collect('stderr'));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      settle({ kind: 'timeout', seconds: options.seconds });
    }, options.seconds * 1000);
    child.on('error', (error) => {
      clearTimeout(timer);
      settle({ kind: 'failed', reason: error.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      settle(signal ? { kind: 'failed', reason: `killed by ${signal}` } : { kind: 'exited', exitCode: code ?? -1, ...out });
    });
    child.stdin.on('error', () => undefined); // an entry that exits without reading its input is judged by its answer
    child.stdin.end(input);
  });
}
