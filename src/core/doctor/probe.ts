import type { HookAgent } from '../hooks/agentHooks';
import { OPENCODE_EVENT, OPENCODE_SHELL_TOOL } from '../hooks/opencodeProtocol';
import { isRecord } from '../json';

/**
 * The line every probe asks about. It pauses at every severity threshold (high: a recursive delete
 * outside the project) and touches nothing even if it ran: the folder does not exist, and no probe runs
 * it. The gate probe withdraws it as soon as the verdict arrives; the hook probe never reaches a gate.
 */
export const PROBE_COMMAND = 'rm -rf /countersign-doctor-probe';

/** The name the gate's card and audit record give the probe's request. */
export const PROBE_AGENT = 'Countersign doctor';

/** The hook input each agent sends before a shell command (src/core/hooks/agentHooks.ts reads it). */
export function probeHookInput(agent: HookAgent, cwd: string): string {
  const shell = (event: string, tool: string): object => ({ hook_event_name: event, tool_name: tool, tool_input: { command: PROBE_COMMAND }, cwd });
  const input = {
    claude: shell('PreToolUse', 'Bash'),
    codex: shell('PreToolUse', 'Bash'),
    gemini: shell('BeforeTool', 'run_shell_command'),
    cursor: { hook_event_name: 'beforeShellExecution', command: PROBE_COMMAND, cwd, workspace_roots: [cwd] },
    opencode: { event: OPENCODE_EVENT, tool: OPENCODE_SHELL_TOOL, args: { command: PROBE_COMMAND }, directory: cwd },
  }[agent];
  return JSON.stringify(input);
}

/**
 * Whether the hook's stdout is the agent's answer that holds the command: `ask` or `deny` for Claude
 * Code, `deny` for the others (Codex runs the command on `ask`; Cursor's and Gemini CLI's `ask` is not
 * reliably honoured, so the hook never gives it).
 */
export function holdsCommand(agent: HookAgent, stdout: string): boolean {
  let answer: unknown;
  try {
    answer = JSON.parse(stdout);
  } catch {
    return false;
  }
  if (!isRecord(answer)) return false;
  switch (agent) {
    case 'claude':
    case 'codex': {
      const decision = isRecord(answer.hookSpecificOutput) ? answer.hookSpecificOutput.permissionDecision : undefined;
      return decision === 'deny' || (agent === 'claude' && decision === 'ask');
    }
    case 'cursor':
      return answer.permission === 'deny';
    case 'gemini':
    case 'opencode':
      return answer.decision === 'deny';
  }
}
