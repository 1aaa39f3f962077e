import { type AgentProcessOutcome, runAgentProcess } from './agentProcess';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { quoteWord } from '../../../../src/core/shell/quote';
import { claudeBin, harnessDir } from '../paths';

/**
 * The real Claude Code CLI, offline, against the scripted model of claudeModel.ts: a private HOME, the
 * model's URL as ANTHROPIC_BASE_URL, a dummy key, no telemetry or other traffic, and one `-p` turn in
 * bypassPermissions mode (root may not use --dangerously-skip-permissions; IS_SANDBOX=1 lets root run
 * at all). Its Bash tool then runs whatever the model asks, as Claude Code runs it for a person who
 * allowed everything; only a PreToolUse hook stands in the way.
 */
export const CLAUDE_CODE_VERSION = '2.1.328';

/** The installed claude, or why it is not there (test/e2e/install.sh puts it there). */
export function installedClaude(): { readonly binary: string } | { readonly missing: string } {
  const dir = join(harnessDir, 'agents', 'claude');
  return existsSync(join(dir, `.installed-${CLAUDE_CODE_VERSION}`)) && existsSync(claudeBin)
    ? { binary: claudeBin }
    : { missing: `the real Claude Code CLI ${CLAUDE_CODE_VERSION} is not installed in ${dir}; run test/e2e/install.sh` };
}

export interface ClaudeRun {
  /** A private HOME (made if missing): Claude Code keeps its config, sessions and shell snapshots there. */
  readonly home: string;
  /** The scripted model's `url`. */
  readonly modelUrl: string;
  /** For the default script: `RUN: <command>`. */
  readonly prompt: string;
  /** Where the JSON result goes (stdout of `--output-format json`). */
  readonly outFile: string;
  /** The claude to run; default the harness's. */
  readonly claude?: string;
  /** More arguments after claudeArgs (e.g. mcpServer.ts `claudeMcpArgs`). */
  readonly extraArgs?: readonly string[];
}

/**
 * The variables a run needs beside what it inherits. HOME is private so no real ~/.claude (settings,
 * hooks, credentials) applies; IS_SANDBOX=1 only as root, where Claude Code refuses to skip
 * permissions without it. XDG_DATA_HOME stays the data folder of the environment the run inherits
 * (`inherited`): Countersign's hook entries find their launcher there, and a private HOME would hide it.
 */
export function claudeVariables(home: string, modelUrl: string, inherited: Readonly<Record<string, string | undefined>> = process.env): Record<string, string> {
  return {
    HOME: home,
    XDG_DATA_HOME: inherited.XDG_DATA_HOME || join(inherited.HOME || homedir(), '.local', 'share'),
    ANTHROPIC_BASE_URL: modelUrl,
    ANTHROPIC_API_KEY: 'test',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    ...(process.getuid?.() === 0 ? { IS_SANDBOX: '1' } : {}),
  };
}

/** The argv after `claude` of one non-interactive turn that may run anything without asking. */
export function claudeArgs(prompt: string): string[] {
  return ['-p', prompt, '--permission-mode', 'bypassPermissions', '--output-format', 'json'];
}

const PROFILE_NOTE = '# Private HOME of a scripted Claude Code run (test/e2e/harness/agents/claude.ts): sets nothing, so PATH stays as inherited.\n';

/**
 * Makes the private HOME with shell profile files that set nothing. Claude Code builds its Bash tool's
 * shell snapshot by running the user's shell as a login shell that reads these files; it keeps their
 * aliases and functions but exports the PATH Claude Code itself inherited. Files that exist are kept.
 */
export function prepareClaudeHome(home: string): void {
  mkdirSync(home, { recursive: true });
  for (const name of ['.profile', '.bashrc', '.zshrc']) {
    const file = join(home, name);
    if (!existsSync(file)) writeFileSync(file, PROFILE_NOTE);
  }
}

/**
 * The line a test types into a terminal: the variables, then claude with its JSON result sent to
 * `outFile` (stderr goes to `<outFile>.stderr`) and stdin closed. Everything else — PATH above all,
 * and the gate variables of a VS Code terminal — comes from the terminal. Prepares the HOME.
 */
export function claudeCommandLine(run: ClaudeRun): string {
  prepareClaudeHome(run.home);
  const variables = Object.entries(claudeVariables(run.home, run.modelUrl)).map(([name, value]) => `${name}=${quoteWord(value)}`);
  const argv = [run.claude ?? claudeBin, ...claudeArgs(run.prompt), ...(run.extraArgs ?? [])].map(quoteWord);
  return [...variables, ...argv, '<', '/dev/null', '>', quoteWord(run.outFile), '2>', quoteWord(`${run.outFile}.stderr`)].join(' ');
}

export interface RunClaudeOptions extends ClaudeRun {
  /** The folder claude works in (its project: `.claude/settings.json` there is read). */
  readonly cwd: string;
  /** The environment before claudeVariables are added; default process.env. Undefined values are removed. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Killed (SIGKILL, with its process group) after this long; default 60 s. */
  readonly timeoutMs?: number;
}

export interface ClaudeOutcome extends AgentProcessOutcome {
  /** The parsed JSON result, when stdout held one. */
  readonly result?: ClaudeResult;
}

/** Spawns claude directly (no terminal), with stdin closed; its stdout is also written to `outFile`. */
export function runClaude(options: RunClaudeOptions): Promise<ClaudeOutcome> {
  prepareClaudeHome(options.home);
  const env: NodeJS.ProcessEnv = {};
  const inherited = options.env ?? process.env;
  for (const [name, value] of Object.entries({ ...inherited, ...claudeVariables(options.home, options.modelUrl, inherited) })) {
    if (value !== undefined) env[name] = value;
  }
  return runAgentProcess(options.claude ?? claudeBin, [...claudeArgs(options.prompt), ...(options.extraArgs ?? [])], { cwd: options.cwd, env, timeoutMs: options.timeoutMs }).then((run) => {
    writeFileSync(options.outFile, run.stdout);
    writeFileSync(`${options.outFile}.stderr`, run.stderr);
    const result = parseClaudeResult(run.stdout);
    return { ...run, ...(result ? { result } : {}) };
  });
}

/** One entry of the result's `permission_denials`: a tool call that did not run. */
export interface PermissionDenial {
  readonly tool_name: string;
  readonly tool_use_id: string;
  readonly tool_input: { readonly command?: string; readonly [key: string]: unknown };
}

/** The parts of `--output-format json`'s result the tests read (the rest stays in `raw`). */
export interface ClaudeResult {
  readonly isError: boolean;
  /** The model's last text. */
  readonly result: string;
  readonly permissionDenials: readonly PermissionDenial[];
  readonly subtype?: string;
  readonly numTurns?: number;
  readonly durationMs?: number;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** Reads the JSON result a run wrote to `outFile`; throws when there is none. */
export function readClaudeResult(outFile: string): ClaudeResult {
  const text = readFileSync(outFile, 'utf8');
  const result = parseClaudeResult(text);
  if (!result) throw new Error(`no Claude Code JSON result in ${outFile}: ${JSON.stringify(text.slice(0, 500))}`);
  return result;
}

/** The JSON result in claude's stdout (the last line that parses as a `result` object), or undefined. */
export function parseClaudeResult(stdout: string): ClaudeResult | undefined {
  const lines = stdout.split('\n').filter((line) => line.trim() !== '');
  for (let i = lines.length - 1; i >= 0; i--) {
    let value: unknown;
    try {
      value = JSON.parse(lines[i]);
    } catch {
      continue;
    }
    if (typeof value !== 'object' || value === null || (value as { type?: unknown }).type !== 'result') continue;
    const raw = value as Record<string, unknown>;
    return {
      isError: raw.is_error === true,
      result: typeof raw.result === 'string' ? raw.result : '',
      permissionDenials: Array.isArray(raw.permission_denials) ? (raw.permission_denials as PermissionDenial[]) : [],
      ...(typeof raw.subtype === 'string' ? { subtype: raw.subtype } : {}),
      ...(typeof raw.num_turns === 'number' ? { numTurns: raw.num_turns } : {}),
      ...(typeof raw.duration_ms === 'number' ? { durationMs: raw.duration_ms } : {}),
      raw,
    };
  }
  return undefined;
}
