/**
 * VS Code's own agent (Copilot's agent mode, the "Local" harness) loads Claude Code's hook files
 * (`.claude/settings.local.json` and `.claude/settings.json` by default, `chat.hookFilesLocations`)
 * and ignores their matchers, so the entry written for Claude Code runs before every one of its tool
 * calls — with VS Code's own input, not Claude Code's. Documented, not measured (VS Code's agent is
 * not on npm): https://code.visualstudio.com/docs/agent-customization/hooks and
 * https://code.visualstudio.com/docs/agents/reference/hooks-reference.
 *
 * - Common fields `timestamp`, `cwd`, `sessionId`, `hookEventName: "PreToolUse"`, `transcript_path`,
 *   and the tool's `tool_name`, `tool_input`, `tool_use_id`. Claude Code spells every field in
 *   snake_case, so the two camelCase ones tell them apart; so do VS Code's tool names, should a release
 *   send its fields in Claude Code's spelling (one source says it does).
 * - Tool names are VS Code's own and have changed between releases: the terminal tool is
 *   `run_in_terminal` `{command, explanation, isBackground}`; the docs' example checks
 *   `runTerminalCommand` `{command}`. Any tool whose input holds a `command` string is therefore read
 *   as a shell command: a renamed terminal tool is still judged, never waved through.
 * - An MCP server's tool is `mcp_<server>_<tool>` (the name cannot be split where a server's name holds
 *   `_`; the gate's MCP pack reads it by its words).
 * - The answer is Claude Code's (`hookSpecificOutput.permissionDecision` allow, deny or ask; ask makes
 *   VS Code ask its user), and exit 2 blocks; any other exit is a warning and the tool runs.
 */

/** How the review panel names the agent. */
export const VSCODE_AGENT_NAME = 'VS Code agent';

/** Its terminal tool: input without a `command` string is malformed, never another tool. */
export const VSCODE_TERMINAL_TOOL = 'run_in_terminal';

/** VS Code's prefix of an MCP server's tools. */
export const VSCODE_MCP_PREFIX = 'mcp_';

/** Fields of VS Code's common hook input that Claude Code never sends (it spells its own in snake_case). */
const VSCODE_ONLY_FIELDS = ['hookEventName', 'sessionId'] as const;

/** Whether hook input that reached Claude Code's entry came from VS Code's agent. */
export function isVsCodeAgentInput(value: Readonly<Record<string, unknown>>): boolean {
  return VSCODE_ONLY_FIELDS.some((field) => value[field] !== undefined) || isVsCodeToolName(value.tool_name);
}

/** Its terminal tool, or an MCP tool in its spelling: Claude Code has neither (its MCP tools are `mcp__…`). */
function isVsCodeToolName(name: unknown): boolean {
  return typeof name === 'string' && (name === VSCODE_TERMINAL_TOOL || (name.startsWith(VSCODE_MCP_PREFIX) && !name.startsWith('mcp__')));
}

/** The event VS Code names, in its documented camelCase field or else Claude Code's snake_case one. */
export function vsCodeEventName(value: Readonly<Record<string, unknown>>): unknown {
  return value.hookEventName ?? value.hook_event_name;
}
