import { startProcess } from '../../../../src/node/processRun';

/** How one run of an agent CLI ended. */
export interface AgentProcessOutcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs an agent CLI with stdin closed, in its own process group, so that the timeout takes with it
 * what the agent started (its MCP servers, its commands, a relaunched child of its own).
 */
export async function runAgentProcess(binary: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<AgentProcessOutcome> {
  const started = Date.now();
  const { child, done } = startProcess(binary, args, { cwd: options.cwd, env: options.env, detached: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL'); // the group is gone already, or never formed
    }
  }, options.timeoutMs ?? 60_000);
  try {
    return { ...(await done), timedOut, durationMs: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}
