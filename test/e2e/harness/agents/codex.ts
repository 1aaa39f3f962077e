import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { quoteWord } from '../../../../src/core/shell/quote';
import { type ProcessRun, startProcess } from '../../../../src/node/processRun';
import { harnessDir } from '../paths';

/**
 * The real OpenAI Codex CLI, offline: a private HOME and CODEX_HOME whose config.toml names the
 * scripted model (codexModel.ts) as a custom provider, and `codex exec` with approvals and the sandbox
 * off, so each command the model asks for runs as Codex runs it for a person who allowed everything.
 */
export const CODEX_VERSION = '0.169.0';

const installDir = join(harnessDir, 'agents', 'codex');
const binary = join(installDir, 'node_modules', '.bin', 'codex');

/** The installed codex, or why it is not there (test/e2e/install.sh puts it there). */
export function installedCodex(): { readonly binary: string } | { readonly missing: string } {
  return existsSync(join(installDir, `.installed-${CODEX_VERSION}`)) && existsSync(binary)
    ? { binary }
    : { missing: `the real Codex CLI ${CODEX_VERSION} is not installed in ${installDir}; run test/e2e/install.sh` };
}

/** The variable config.toml's `env_key` names; Codex wants a key there, the scripted model ignores it. */
const KEY_VARIABLE = 'COUNTERSIGN_SCRIPTED_MODEL_KEY';

/**
 * Writes `<home>/.codex/config.toml` for the scripted model at `baseUrl` and returns the environment
 * Codex runs with: HOME and CODEX_HOME private, the key variable set, retries off so a broken script
 * fails at once. Everything else comes from `base` (PATH above all: what the command finds).
 */
export function codexEnvironment(home: string, baseUrl: string, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...base, ...codexVariables(home, baseUrl) };
}

/**
 * Writes `<home>/.codex/config.toml` as codexEnvironment does and returns only the variables a run
 * sets beside what it inherits: HOME, CODEX_HOME and the key variable.
 */
export function codexVariables(home: string, baseUrl: string): Record<string, string> {
  const codexHome = join(home, '.codex');
  mkdirSync(codexHome, { recursive: true });
  writeFileSync(
    join(codexHome, 'config.toml'),
    [
      'model = "scripted"',
      'model_provider = "scripted"',
      '',
      '[model_providers.scripted]',
      'name = "Scripted model"',
      `base_url = ${JSON.stringify(baseUrl)}`,
      'wire_api = "responses"',
      `env_key = "${KEY_VARIABLE}"`,
      'request_max_retries = 0',
      'stream_max_retries = 0',
      '',
    ].join('\n'),
  );
  return { HOME: home, CODEX_HOME: codexHome, [KEY_VARIABLE]: 'offline' };
}

/**
 * Adds a stdio MCP server named `name` to `codexHome`'s config.toml (after codexVariables wrote it):
 * `[mcp_servers.<name>]` with its command, arguments and environment. Codex offers its tools to the
 * model as the namespace `mcp__<name>` and reports a call to hooks as `mcp__<name>__<tool>`.
 */
export function addCodexMcpServer(codexHome: string, name: string, server: { readonly command: string; readonly args: readonly string[]; readonly env: Readonly<Record<string, string>> }): void {
  const env = Object.entries(server.env).map(([key, value]) => `${JSON.stringify(key)} = ${JSON.stringify(value)}`);
  appendFileSync(
    join(codexHome, 'config.toml'),
    [`[mcp_servers.${name}]`, `command = ${JSON.stringify(server.command)}`, `args = ${JSON.stringify(server.args)}`, `env = { ${env.join(', ')} }`, ''].join('\n'),
  );
}

/** The argv of one non-interactive Codex turn that may run anything without asking. */
export function codexExecArgs(prompt: string): string[] {
  return ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', prompt];
}

export interface CodexRun {
  /** A private HOME (made if missing): Codex reads its login shell's profile there and keeps CODEX_HOME in it. */
  readonly home: string;
  /** The scripted model's `baseUrl`. */
  readonly baseUrl: string;
  /** For the scripted model: `RUN: <command>`. */
  readonly prompt: string;
  /** Where Codex's stdout goes (its last message); stderr goes to `<outFile>.stderr`. */
  readonly outFile: string;
  /** The codex to run; default the harness's. */
  readonly codex?: string;
}

/**
 * The line a test types into a terminal: codexVariables, then one `codex exec` turn with stdin closed
 * and its output sent to `outFile`. Everything else — PATH and the gate variables of a VS Code
 * terminal above all — comes from the terminal. Writes the config.
 */
export function codexCommandLine(run: CodexRun): string {
  const variables = Object.entries(codexVariables(run.home, run.baseUrl)).map(([name, value]) => `${name}=${quoteWord(value)}`);
  const argv = [run.codex ?? binary, ...codexExecArgs(run.prompt)].map(quoteWord);
  return [...variables, ...argv, '<', '/dev/null', '>', quoteWord(run.outFile), '2>', quoteWord(`${run.outFile}.stderr`)].join(' ');
}

/** Runs one `codex exec` turn with stdin closed; resolves when Codex has exited. */
export function runCodex(codex: string, prompt: string, options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv }): Promise<ProcessRun> {
  return startProcess(codex, codexExecArgs(prompt), options).done;
}
