/**
 * The gate's socket protocol: how a PATH shim or an agent hook asks the gate in the extension host.
 *
 * Newline-delimited JSON, one request per connection, every line at most MAX_LINE_BYTES.
 * client → server: `{"v":1,"token":"<hex>","type":"check","request":{...SocketCheckRequest}}`
 * server → client: `{"v":1,"type":"verdict","verdict":...}` at once, then `{"v":1,"type":"decision","decision":...}`
 * when the gate settles it (both at once for an allowed command). Anything else a client sends (another
 * type such as "approve", a wrong token, a malformed or overlong line, a second line) is answered
 * `{"v":1,"type":"error","error":"..."}` and the connection is closed: the socket carries requests only,
 * and no message on it can approve anything. A client that goes away while waiting withdraws its request.
 */
import type { Verdict } from '../verdict';
import { SEVERITIES } from '../verdict';
import { CANCEL_REASONS, type Decision, type ToolCall } from './types';
import { commandLine } from '../shell/quote';
import { isRecord } from '../json';
import { err, ok, type Result } from '../result';

export const SOCKET_PROTOCOL_VERSION = 1;

/**
 * A request carries the caller's environment for the plan preview (tens of KB is usual; Linux caps one
 * variable at 128 KiB); a verdict carries its findings. Beyond this a line is not ours to read.
 */
export const MAX_LINE_BYTES = 1 << 20;

export const SOCKET_SOURCES = ['shim', 'hook'] as const;
export type SocketSource = (typeof SOCKET_SOURCES)[number];

/** What a door asks the gate about: the exact command line, where it runs, and with what environment. */
export interface SocketCheckRequest {
  /** The line the gate checks; for a shim, commandLine(argv). */
  readonly command: string;
  /** The words the shim will exec; when given, `command` must be exactly commandLine(argv). */
  readonly argv?: readonly string[];
  /** Absolute. */
  readonly cwd: string;
  readonly source: SocketSource;
  /** The agent's display name, when the door knows it (hooks do). */
  readonly agent?: string;
  /** The command's environment, for the plan preview. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The process that will exec the command (a shim's launcher, which execs the real tool in place): the
   * gate tells from it which guarded terminal, and which line there, started the exec.
   */
  readonly pid?: number;
  /** A hook's tool call that is not a shell command (an MCP tool): the gate judges it, and shows its own rendering of it as the command. */
  readonly tool?: ToolCall;
  /**
   * A shim that ran the saved plan a person approved, which terraform refused as stale (the state it
   * was planned against moved on: another apply, a backend's copy): that plan's SHA-256. The gate asks
   * again, with a new card and a new plan; it can only make a request stricter.
   */
  readonly stalePlan?: string;
}

export type ServerMessage =
  | { readonly v: 1; readonly type: 'verdict'; readonly verdict: Verdict }
  | { readonly v: 1; readonly type: 'decision'; readonly decision: Decision }
  | { readonly v: 1; readonly type: 'error'; readonly error: string };

export type ParsedClientLine = Result<{ readonly token: string; readonly request: SocketCheckRequest }>;

const MAX_AGENT_LENGTH = 64;

/** One protocol line: JSON and the newline that ends it. */
export function encodeLine(message: ServerMessage | { readonly v: 1; readonly token: string; readonly type: 'check'; readonly request: SocketCheckRequest }): string {
  return `${JSON.stringify(message)}\n`;
}

export function checkLine(token: string, request: SocketCheckRequest): string {
  return encodeLine({ v: SOCKET_PROTOCOL_VERSION, token, type: 'check', request });
}

/**
 * Reads a client's line (without its newline). The token is returned for the server to compare in
 * constant time; everything else is validated here.
 */
export function parseClientLine(line: string): ParsedClientLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return err('not JSON');
  }
  if (!isRecord(value)) return err('not a JSON object');
  if (value.v !== SOCKET_PROTOCOL_VERSION) return err(`protocol version must be ${SOCKET_PROTOCOL_VERSION}`);
  if (typeof value.token !== 'string' || value.token === '') return err('no token');
  if (value.type !== 'check') return err('only "check" requests are accepted: nothing on this socket can approve or decide');
  const request = parseRequest(value.request);
  return typeof request === 'string' ? err(request) : ok({ token: value.token, request });
}

function parseRequest(value: unknown): SocketCheckRequest | string {
  if (!isRecord(value)) return '"request" must be an object';
  const { command, argv, cwd, source, agent, env, pid, tool, stalePlan } = value;
  if (typeof command !== 'string' || command.trim() === '' || command.includes('\0')) return '"request.command" must be a non-empty string without NUL';
  if (typeof cwd !== 'string' || !cwd.startsWith('/') || cwd.includes('\0')) return '"request.cwd" must be an absolute path';
  if (typeof source !== 'string' || !(SOCKET_SOURCES as readonly string[]).includes(source)) return `"request.source" must be one of ${SOCKET_SOURCES.join(', ')}`;
  if (argv !== undefined) {
    if (!Array.isArray(argv) || argv.length === 0 || !argv.every((word) => typeof word === 'string' && !word.includes('\0'))) {
      return '"request.argv" must be a non-empty array of strings without NUL';
    }
    // What the person reviews must be what runs.
    if (commandLine(argv as string[]) !== command) return '"request.command" is not the command line of "request.argv"';
  }
  // eslint-disable-next-line no-control-regex -- an agent name is shown in the panel: no control characters
  if (agent !== undefined && (typeof agent !== 'string' || agent === '' || agent.length > MAX_AGENT_LENGTH || /[\x00-\x1f\x7f]/.test(agent))) {
    return `"request.agent" must be a printable name of at most ${MAX_AGENT_LENGTH} characters`;
  }
  if (env !== undefined && !isEnvironment(env)) return '"request.env" must map variable names to string values';
  if (pid !== undefined && !(Number.isSafeInteger(pid) && (pid as number) > 0)) return '"request.pid" must be a positive whole number';
  if (tool !== undefined && !isToolCall(tool)) return `"request.tool" must be {"name": a printable tool name of at most ${MAX_TOOL_NAME_LENGTH} characters, "input": its arguments}`;
  if (tool !== undefined && source !== 'hook') return '"request.tool" comes only from a hook';
  if (stalePlan !== undefined && (typeof stalePlan !== 'string' || !/^[0-9a-f]{64}$/.test(stalePlan))) return '"request.stalePlan" must be a SHA-256 in hex';
  if (stalePlan !== undefined && source !== 'shim') return '"request.stalePlan" comes only from a shim, which ran the plan';
  return {
    command,
    cwd,
    source: source as SocketSource,
    ...(argv !== undefined ? { argv: argv as string[] } : {}),
    ...(agent !== undefined ? { agent } : {}),
    ...(env !== undefined ? { env } : {}),
    ...(pid !== undefined ? { pid: pid as number } : {}),
    ...(tool !== undefined ? { tool: tool as ToolCall } : {}),
    ...(stalePlan !== undefined ? { stalePlan: stalePlan as string } : {}),
  };
}

const MAX_TOOL_NAME_LENGTH = 256;

function isToolCall(value: unknown): value is ToolCall {
  // eslint-disable-next-line no-control-regex -- a tool name is shown in the panel: no control characters
  return isRecord(value) && typeof value.name === 'string' && value.name !== '' && value.name.length <= MAX_TOOL_NAME_LENGTH && !/[\x00-\x1f\x7f]/.test(value.name) && 'input' in value;
}

/** Reads a server line (without its newline); undefined when it is not a message of this protocol. */
export function parseServerLine(line: string): ServerMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || value.v !== SOCKET_PROTOCOL_VERSION) return undefined;
  if (value.type === 'verdict' && isVerdict(value.verdict)) return { v: 1, type: 'verdict', verdict: value.verdict };
  if (value.type === 'decision' && isDecision(value.decision)) return { v: 1, type: 'decision', decision: value.decision };
  if (value.type === 'error' && typeof value.error === 'string') return { v: 1, type: 'error', error: value.error };
  return undefined;
}

function isVerdict(value: unknown): value is Verdict {
  if (!isRecord(value) || (value.verdict !== 'allow' && value.verdict !== 'pause') || !Array.isArray(value.findings)) return false;
  return value.findings.every(
    (f: unknown) => isRecord(f) && typeof f.ruleId === 'string' && typeof f.title === 'string' && typeof f.why === 'string' && (SEVERITIES as readonly unknown[]).includes(f.severity),
  );
}

function isDecision(value: unknown): value is Decision {
  if (!isRecord(value)) return false;
  if (value.kind === 'run') return value.savedPlan === undefined || isSavedPlanRun(value.savedPlan);
  return value.kind === 'cancel' && typeof value.reason === 'string' && (CANCEL_REASONS as readonly string[]).includes(value.reason);
}

function isSavedPlanRun(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(value.sha256) &&
    Array.isArray(value.args) &&
    value.args.length > 0 &&
    value.args.every((a: unknown) => typeof a === 'string' && !a.includes('\0'))
  );
}

function isEnvironment(value: unknown): value is Readonly<Record<string, string>> {
  return isRecord(value) && Object.entries(value).every(([name, v]) => /^[^=\0]+$/.test(name) && typeof v === 'string' && !v.includes('\0'));
}
