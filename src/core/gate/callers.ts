/**
 * Which agent a PATH shim runs under, told from the variables the agent sets in its commands'
 * environment, and how long that agent waits for one command. A shim that waits longer than its
 * caller does would let an approval release a command nobody watches any more (Claude Code moves a
 * Bash call past its timeout to the background and reports it done), so the shim gives up first and
 * the card offers a one-time retry instead. The name is shown to the person; it grants nothing.
 */
export interface Caller {
  readonly agent: string;
  /** How long the shim may wait for a person before its caller stops waiting for the command; undefined: as long as a terminal would. */
  readonly waitMs?: number;
}

interface KnownCaller {
  readonly agent: string;
  /** The variable the agent sets in its commands' environment (measured), and its value ('' for any). */
  readonly marker: readonly [string, string];
  /** The agent's default wait for one command, and the variable that changes it (in ms). */
  readonly commandTimeoutMs?: number;
  readonly timeoutVariable?: string;
}

/**
 * Measured with the real CLIs (test/e2e/harness/agents/README.md):
 * - Claude Code 2.1.328: `CLAUDECODE=1`; a Bash call gets 120 s unless BASH_DEFAULT_TIMEOUT_MS says
 *   otherwise, then moves to the background and the agent goes on.
 * - Codex 0.169.0: `CODEX_THREAD_ID`; no wait to fit: it reports a command still running after its
 *   yield time and kills it when the turn ends: the shim's card then says nobody waits any more, and runs nothing.
 * - Gemini CLI 0.61.0: `GEMINI_CLI=1` in run_shell_command's environment; its wait was not measured.
 */
const KNOWN_CALLERS: readonly KnownCaller[] = [
  { agent: 'Claude Code', marker: ['CLAUDECODE', '1'], commandTimeoutMs: 120_000, timeoutVariable: 'BASH_DEFAULT_TIMEOUT_MS' },
  { agent: 'Codex', marker: ['CODEX_THREAD_ID', ''] },
  { agent: 'Gemini CLI', marker: ['GEMINI_CLI', '1'] },
];

/** The shim stops waiting this long before its caller would, to say why before the caller cuts it off. */
const MARGIN_MS = 10_000;
/** Below this the margin would leave a person no time to read the card: the shim then waits half the caller's time. */
const MIN_WAIT_MS = 5_000;

export function callerOf(env: Readonly<Record<string, string | undefined>>): Caller | undefined {
  const known = KNOWN_CALLERS.find(({ marker: [name, value] }) => (value === '' ? !!env[name] : env[name] === value));
  if (!known) return undefined;
  if (known.commandTimeoutMs === undefined) return { agent: known.agent };
  const configured = known.timeoutVariable ? Number(env[known.timeoutVariable]) : NaN;
  const timeoutMs = Number.isFinite(configured) && configured > 0 ? configured : known.commandTimeoutMs;
  // Under a caller too hasty for the margin, half its time: never past it.
  return { agent: known.agent, waitMs: timeoutMs - MARGIN_MS >= MIN_WAIT_MS ? timeoutMs - MARGIN_MS : timeoutMs / 2 };
}
