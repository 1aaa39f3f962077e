import { RETRY_GRANT_MS } from '../gate/grants';
import type { CancelReason, Decision, ToolCall } from '../gate/types';
import { oneLine } from '../oneLine';
import type { Verdict } from '../verdict';
import { joinPath } from '../engine/recipes';
import { isRecord } from '../json';
import { OPENCODE_EVENT, OPENCODE_OWN_TOOLS, OPENCODE_SHELL_TOOL, type OpencodeDecision } from './opencodeProtocol';
import { isVsCodeAgentInput, VSCODE_AGENT_NAME, VSCODE_MCP_PREFIX, VSCODE_TERMINAL_TOOL, vsCodeEventName } from './vscodeAgent';

/**
 * The hook protocols of the agents that run shell commands as their own child processes: what they
 * send on stdin before a shell command, and the answer each one reads back.
 *
 * - Claude Code, PreToolUse: https://code.claude.com/docs/en/hooks
 * - Cursor, beforeShellExecution: https://cursor.com/docs/hooks
 * - Gemini CLI, BeforeTool: https://geminicli.com/docs/hooks/reference (and /docs/hooks)
 * - Codex, PreToolUse: https://developers.openai.com/codex/hooks (Claude Code's shapes; answers measured with 0.169.0)
 * - opencode, through Countersign's plugin: opencodeProtocol.ts
 */
export const HOOK_AGENTS = ['claude', 'cursor', 'gemini', 'codex', 'opencode'] as const;

/** The input is one JSON document; a few MiB is far beyond any command an agent writes. */
export const HOOK_MAX_INPUT_BYTES = 4 << 20;
/** The agent writes its input and closes stdin at once; a hook left waiting on a terminal must not hang. */
export const HOOK_STDIN_SECONDS = 10;
export type HookAgent = (typeof HOOK_AGENTS)[number];

export function isHookAgent(value: string): value is HookAgent {
  return (HOOK_AGENTS as readonly string[]).includes(value);
}

/** How the person reviewing sees the agent (the gate request's `agent`). */
export const AGENT_DISPLAY_NAMES: Readonly<Record<HookAgent, string>> = {
  claude: 'Claude Code',
  cursor: 'Cursor',
  gemini: 'Gemini CLI',
  // As the shims name it (CODEX_THREAD_ID), so a person sees one name whichever door asked.
  codex: 'Codex',
  opencode: 'opencode',
};

/**
 * The event each agent fires before a shell command, the tool name that is a shell command, and the
 * prefix of the MCP tools it reports through the same hook (Claude Code and Codex: `mcp__<server>__<tool>`).
 */
const PROTOCOL: Readonly<Record<HookAgent, { readonly event: string; readonly shellTool?: string; readonly mcpPrefix?: string }>> = {
  claude: { event: 'PreToolUse', shellTool: 'Bash', mcpPrefix: 'mcp__' },
  // beforeShellExecution carries the command; an MCP server's tool comes as beforeMCPExecution (CURSOR_MCP_EVENT).
  cursor: { event: 'beforeShellExecution' },
  // Gemini CLI names an MCP server's tool `mcp_<server>_<tool>` and says which server in `mcp_context` (measured, 0.61.0).
  gemini: { event: 'BeforeTool', shellTool: 'run_shell_command', mcpPrefix: 'mcp_' },
  // Codex reports its exec_command tool as "Bash", with `tool_input: {command}`, and an MCP server's
  // tool as Claude Code does (`mcp__<server>__<tool>`, its arguments as `tool_input`; measured, 0.169.0).
  codex: { event: 'PreToolUse', shellTool: 'Bash', mcpPrefix: 'mcp__' },
  // Through Countersign's plugin, in a shape of its own (opencodeProtocol.ts).
  opencode: { event: OPENCODE_EVENT, shellTool: OPENCODE_SHELL_TOOL },
};

/** A shell command an agent is about to run, or a tool of an MCP server (then `command` is its rendering). */
export interface HookCall {
  readonly command: string;
  /** An MCP server's tool (`mcp__<server>__<tool>`) and its arguments: judged by the gate from both. */
  readonly tool?: ToolCall;
  /** Absolute, when the agent said where it runs. */
  readonly cwd?: string;
  /** The project the agent works in, when the input names it (Cursor's workspace_roots). */
  readonly root?: string;
  /** Who asked, when not the agent the entry was written for (VS Code's agent runs Claude Code's entry). */
  readonly agent?: string;
}

export type HookInput =
  | { readonly kind: 'command'; readonly call: HookCall }
  /** Another tool (the matcher let it through): not ours to decide. */
  | { readonly kind: 'other-tool'; readonly tool: string }
  | { readonly kind: 'malformed'; readonly reason: string };

/** Reads what the agent wrote on stdin; anything that is not the documented shape is malformed. */
export function parseHookInput(agent: HookAgent, stdin: string): HookInput {
  let value: unknown;
  try {
    value = JSON.parse(stdin);
  } catch (error) {
    return malformed(`the hook input is not JSON (${(error as Error).message})`);
  }
  if (!isRecord(value)) return malformed('the hook input is not a JSON object');
  if (agent === 'opencode') return opencodeCall(value);
  const { event, shellTool, mcpPrefix } = PROTOCOL[agent];
  // VS Code's agent runs the entry written for Claude Code, with input of its own (vscodeAgent.ts).
  const fromVsCode = agent === 'claude' && isVsCodeAgentInput(value);
  const eventName = fromVsCode ? vsCodeEventName(value) : value.hook_event_name;
  if (agent === 'cursor' && eventName === CURSOR_MCP_EVENT) return cursorMcpCall(value);
  if (eventName !== event) {
    return malformed(`expected hook_event_name "${event}", got ${describe(eventName)}`);
  }
  const cwd = value.cwd;
  if (cwd !== undefined && cwd !== '' && !isAbsolute(cwd)) return malformed(`"cwd" must be an absolute path, got ${describe(cwd)}`);
  const where = typeof cwd === 'string' && cwd !== '' ? cwd : undefined;
  if (fromVsCode) return vsCodeAgentCall(value, where);

  if (agent === 'cursor') {
    if (typeof value.command !== 'string') return malformed(`"command" must be a string, got ${describe(value.command)}`);
    const roots = value.workspace_roots;
    const root = Array.isArray(roots) && isAbsolute(roots[0]) ? roots[0] : undefined;
    return command({ command: value.command, cwd: where ?? root, root });
  }

  if (typeof value.tool_name !== 'string') return malformed(`"tool_name" must be a string, got ${describe(value.tool_name)}`);
  if (mcpPrefix !== undefined && value.tool_name.startsWith(mcpPrefix)) {
    // Arguments the pack cannot read are judged by the tool's name: the call is never dropped for its shape.
    const tool: ToolCall = { name: agent === 'gemini' ? geminiMcpToolName(value.tool_name, value.mcp_context) : value.tool_name, input: value.tool_input ?? null };
    return { kind: 'command', call: { command: toolLine(tool), tool, ...(where ? { cwd: where } : {}) } };
  }
  if (value.tool_name !== shellTool) return { kind: 'other-tool', tool: value.tool_name };
  const input = value.tool_input;
  if (!isRecord(input)) return malformed(`"tool_input" must be an object, got ${describe(input)}`);
  if (typeof input.command !== 'string') return malformed(`"tool_input.command" must be a string, got ${describe(input.command)}`);
  if (agent === 'gemini') {
    // run_shell_command takes the folder to run in relative to the project (`dir_path`; `directory` in older releases).
    const dir = input.dir_path ?? input.directory;
    if (dir !== undefined && typeof dir !== 'string') return malformed(`"tool_input.dir_path" must be a string, got ${describe(dir)}`);
    return command({ command: input.command, cwd: dir ? inFolder(where, dir) : where });
  }
  return command({ command: input.command, cwd: where });
}

/** VS Code's agent's tool call: its MCP tools, and any tool that carries a shell command (see vscodeAgent.ts). */
function vsCodeAgentCall(value: Record<string, unknown>, cwd: string | undefined): HookInput {
  const name = value.tool_name;
  if (typeof name !== 'string') return malformed(`"tool_name" must be a string, got ${describe(name)}`);
  const asked = (call: HookCall): HookInput => command({ ...call, agent: VSCODE_AGENT_NAME });
  if (name.startsWith(VSCODE_MCP_PREFIX)) {
    const tool: ToolCall = { name, input: value.tool_input ?? null };
    return asked({ command: toolLine(tool), tool, ...(cwd ? { cwd } : {}) });
  }
  const input = value.tool_input;
  if (isRecord(input) && typeof input.command === 'string') return asked({ command: input.command, cwd });
  if (name === VSCODE_TERMINAL_TOOL) return malformed(`"tool_input.command" must be a string, got ${describe(isRecord(input) ? input.command : input)}`);
  return { kind: 'other-tool', tool: name };
}

/**
 * What Countersign's opencode plugin sends (opencodeProtocol.ts): `bash` is a shell command, in its
 * `workdir` from opencode's folder; opencode's own tools are not ours; any other tool (an MCP server's
 * `<server>_<tool>`) is judged by the MCP pack, by its name and arguments.
 */
function opencodeCall(value: Record<string, unknown>): HookInput {
  const { event, tool, args, directory } = value;
  if (event !== OPENCODE_EVENT) return malformed(`expected event "${OPENCODE_EVENT}", got ${describe(event)}`);
  if (typeof tool !== 'string') return malformed(`"tool" must be a string, got ${describe(tool)}`);
  if (!isAbsolute(directory)) return malformed(`"directory" must be an absolute path, got ${describe(directory)}`);
  if (tool !== OPENCODE_SHELL_TOOL) {
    if (OPENCODE_OWN_TOOLS.includes(tool)) return { kind: 'other-tool', tool };
    const call: ToolCall = { name: tool, input: args ?? null };
    return command({ command: toolLine(call), tool: call, cwd: directory, root: directory });
  }
  if (!isRecord(args)) return malformed(`"args" must be an object, got ${describe(args)}`);
  if (typeof args.command !== 'string') return malformed(`"args.command" must be a string, got ${describe(args.command)}`);
  if (args.workdir !== undefined && typeof args.workdir !== 'string') return malformed(`"args.workdir" must be a string, got ${describe(args.workdir)}`);
  return command({ command: args.command, cwd: args.workdir ? inFolder(directory, args.workdir) : directory, root: directory });
}

/**
 * Cursor's `beforeMCPExecution`, as documented (https://cursor.com/docs/agent/hooks; not measured: no
 * Cursor client runs here): `tool_name` (`MCP:<server>:<tool>` in recent releases, the bare tool name in
 * earlier ones), `tool_input` (an object, or its JSON text), and the server's `url` or `command`. The
 * call goes on as `mcp__<server>__<tool>` when the server is named; arguments that cannot be read are
 * judged by the name alone.
 */
const CURSOR_MCP_EVENT = 'beforeMCPExecution';

function cursorMcpCall(value: Record<string, unknown>): HookInput {
  const name = value.tool_name;
  if (typeof name !== 'string' || name === '') return malformed(`"tool_name" must be a string, got ${describe(name)}`);
  const named = /^MCP:([^:]+):(.+)$/.exec(name);
  const roots = value.workspace_roots;
  const root = Array.isArray(roots) && isAbsolute(roots[0]) ? roots[0] : undefined;
  const tool: ToolCall = { name: named ? `mcp__${named[1]}__${named[2]}` : name, input: parsedInput(value.tool_input) };
  return command({ command: toolLine(tool), tool, ...(root ? { cwd: root, root } : {}) });
}

/** A tool's arguments as an object: Cursor has sent them as JSON text too. Text that is not JSON stays text. */
function parsedInput(input: unknown): unknown {
  if (typeof input !== 'string') return input ?? null;
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return input;
  }
}

/**
 * Gemini CLI's `mcp_<server>_<tool>` cannot be split where a server's name holds `_`; its `mcp_context`
 * names both, so the call goes on as `mcp__<server>__<tool>`, the name the gate's MCP pack splits (and
 * shows) for every agent. Without that context the name goes on as Gemini gave it, judged by its words.
 */
function geminiMcpToolName(name: string, context: unknown): string {
  if (!isRecord(context)) return name;
  const { server_name: server, tool_name: tool } = context;
  return typeof server === 'string' && server !== '' && typeof tool === 'string' && tool !== '' ? `mcp__${server}__${tool}` : name;
}

/**
 * A tool call on one line for the hook's own messages. The gate shows its own rendering of the call
 * (src/core/mcp), so the hook's thin client need not load the MCP pack.
 */
function toolLine(tool: ToolCall): string {
  const json = JSON.stringify(tool.input);
  return oneLine(json === undefined ? tool.name : `${tool.name} ${json}`, MAX_TOOL_LINE);
}

const MAX_TOOL_LINE = 300;

/** What Countersign says about the command; each agent's answer is rendered from it. */
export type HookOutcome =
  /** The engine allows it: say nothing, so the agent's own permission rules stay in force. */
  | { readonly kind: 'no-decision' }
  /** A person approved this exact command in the review panel. */
  | { readonly kind: 'approved' }
  | { readonly kind: 'denied'; readonly reason: string }
  /** The engine alone (no VS Code) pauses it: let the agent ask its user, with our findings. */
  | { readonly kind: 'ask'; readonly reason: string }
  | { readonly kind: 'killed' };

/** What the hook process writes and how it exits. */
export interface HookAnswer {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

const APPROVED_REASON = "A person approved this exact command in Countersign's review panel.";
export const KILLED_REASON =
  "Countersign's kill switch is engaged: every command is denied until a person re-arms it in VS Code.";

/** The documented JSON answer for an outcome, exit 0. */
export function renderHookAnswer(agent: HookAgent, outcome: HookOutcome): HookAnswer {
  const out = (json: object): HookAnswer => ({ stdout: `${JSON.stringify(json)}\n`, stderr: '', exitCode: 0 });
  const reason = reasonOf(outcome);
  const permission = outcome.kind === 'approved' ? 'allow' : outcome.kind === 'ask' ? 'ask' : 'deny';
  switch (agent) {
    case 'claude':
      // No output at all leaves the decision to Claude Code's own permission flow.
      if (outcome.kind === 'no-decision') return { stdout: '', stderr: '', exitCode: 0 };
      return out({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: permission, permissionDecisionReason: reason } });
    case 'cursor':
      // Cursor expects JSON on every path; an empty object carries no permission.
      if (outcome.kind === 'no-decision') return out({});
      if (outcome.kind === 'approved') return out({ permission: 'allow' });
      // "ask" is documented, but has been reported ignored in Cursor's auto-review mode (the command
      // then runs): the conservative answer to a pause is deny, with the findings for person and agent.
      return out({ permission: 'deny', user_message: reason, agent_message: reason });
    case 'gemini':
      if (outcome.kind === 'no-decision') return out({});
      if (outcome.kind === 'approved') return out({ decision: 'allow' });
      // The hooks reference documents allow and deny only ("ask" came later and is not in every
      // release), so a pause is a deny: the reason goes to the agent, the system message to the person.
      return out({ decision: 'deny', reason, systemMessage: firstLine(reason) });
    case 'codex':
      // Codex 0.169.0 takes "allow" and "ask" as a failed hook and runs the command: only deny is an
      // answer. Silence leaves an allowed or approved command to Codex's own approval policy, and a
      // pause is a deny.
      if (outcome.kind === 'no-decision' || outcome.kind === 'approved') return { stdout: '', stderr: '', exitCode: 0 };
      return out({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } });
    case 'opencode': {
      // The plugin blocks on anything but allow and no-decision; opencode has no "ask" a plugin can raise, so a pause is a deny.
      const decision: OpencodeDecision = outcome.kind === 'no-decision' ? 'no-decision' : outcome.kind === 'approved' ? 'allow' : 'deny';
      return out(decision === 'deny' ? { decision, reason } : { decision });
    }
  }
}

function reasonOf(outcome: HookOutcome): string {
  switch (outcome.kind) {
    case 'no-decision':
      return '';
    case 'approved':
      return APPROVED_REASON;
    case 'killed':
      return KILLED_REASON;
    default:
      return outcome.reason;
  }
}

/** Long enough for any reason we write; the agent shows it to the model and the person. */
const MAX_REASON_CHARS = 300;

/**
 * For input we cannot read: exit 2 with the reason on stderr, which all four document as "block"
 * whatever the event, so a malformed or misrouted call is never let through. The reason is one line
 * (an error message may quote the input, newlines and all), and short.
 */
export function malformedAnswer(reason: string): HookAnswer {
  const line = reason.replace(/[\s\p{Cc}]+/gu, ' ').trim();
  const short = line.length > MAX_REASON_CHARS ? `${line.slice(0, MAX_REASON_CHARS - 3)}...` : line;
  return { stdout: '', stderr: `countersign: blocked: ${short}\n`, exitCode: 2 };
}

/** The gate's answer, as an outcome: allow only for a paused command a person approved. */
export function outcomeFromGate(verdict: Verdict, decision: Decision): HookOutcome {
  if (decision.kind === 'run') return verdict.verdict === 'allow' ? { kind: 'no-decision' } : { kind: 'approved' };
  if (decision.reason === 'killed') return { kind: 'killed' };
  return { kind: 'denied', reason: CANCEL_REASONS[decision.reason] };
}

/** What the agent hears when it stopped waiting first: its card stays, and a person's approval there lets one retry through. */
export const ASK_AGAIN_REASON =
  'Nobody reviewed this command in Countersign before the agent stopped waiting, so it was not run. Its card stays in the review panel: ' +
  `once a person approves it there, run exactly the same command again within ${RETRY_GRANT_MS / 60_000} minutes and it runs once.`;

const CANCEL_REASONS: Readonly<Record<Exclude<CancelReason, 'killed'>, string>> = {
  denied: "A person denied this command in Countersign's review panel.",
  interrupted: 'The Countersign review of this command was withdrawn before anyone decided.',
  timeout: 'Nobody reviewed this command in Countersign in time, so it was not run.',
  'dry-run': 'Countersign is in dry run: the command was reviewed but is not run.',
  superseded: 'A newer request replaced this one in Countersign before anyone decided.',
  abandoned: ASK_AGAIN_REASON,
};

/** The engine alone: allowed commands get no decision, paused ones are put to the agent's user. */
export function outcomeFromVerdict(verdict: Verdict): HookOutcome {
  return verdict.verdict === 'allow' ? { kind: 'no-decision' } : { kind: 'ask', reason: pauseReason(verdict) };
}

const MAX_FINDINGS = 4;

/** The findings as plain text a person can act on: what fired, why, and the safer way. */
export function pauseReason(verdict: Verdict): string {
  const head = `Countersign paused this command${verdict.severity ? ` (${verdict.severity})` : ''}.`;
  const lines = verdict.findings.slice(0, MAX_FINDINGS).map((f) => `- ${f.title} [${f.ruleId}, ${f.severity}]: ${f.why} Safer: ${f.saferAlternative}`);
  const more = verdict.findings.length - MAX_FINDINGS;
  if (more > 0) lines.push(`- and ${more} more`);
  return [head, ...lines].join('\n');
}

function command(call: HookCall): HookInput {
  return { kind: 'command', call };
}

function malformed(reason: string): HookInput {
  return { kind: 'malformed', reason };
}

/** `dir` from the agent's project folder; without that folder only an absolute `dir` is known. */
function inFolder(base: string | undefined, dir: string): string | undefined {
  return base === undefined && !dir.startsWith('/') ? undefined : joinPath(base ?? '', dir);
}

function isAbsolute(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('/');
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end < 0 ? text : text.slice(0, end);
}
