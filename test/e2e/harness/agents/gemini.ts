import { type AgentProcessOutcome, runAgentProcess } from './agentProcess';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { harnessDir } from '../paths';
import type { RailwayMcp } from './mcpServer';

/**
 * The real Gemini CLI, offline, against the scripted model of geminiModel.ts: a private HOME whose
 * `~/.gemini/settings.json` selects API-key auth and turns off auto-update, usage statistics and
 * telemetry, the model's URL as GOOGLE_GEMINI_BASE_URL, a dummy key, and one `-p` turn with `--yolo`,
 * so each tool call the model asks for runs as Gemini CLI runs it for a person who allowed everything;
 * only a BeforeTool hook stands in the way.
 */
export const GEMINI_CLI_VERSION = '0.61.0';

const installDir = join(harnessDir, 'agents', 'gemini');
const binary = join(installDir, 'node_modules', '.bin', 'gemini');

/** The model name the runs ask for (any name: the scripted model answers them all). */
export const GEMINI_MODEL = 'gemini-2.5-pro';

/** The installed gemini, or why it is not there (test/e2e/install.sh puts it there). */
export function installedGemini(): { readonly binary: string } | { readonly missing: string } {
  return existsSync(join(installDir, `.installed-${GEMINI_CLI_VERSION}`)) && existsSync(binary)
    ? { binary }
    : { missing: `the real Gemini CLI ${GEMINI_CLI_VERSION} is not installed in ${installDir}; run test/e2e/install.sh` };
}

/**
 * How a run treats the project folder. Gemini CLI (0.61.0, measured) reads a project's
 * `.gemini/settings.json` (its hooks, its MCP servers) only in a folder it trusts, and in `-p` mode
 * refuses to start in a folder nobody decided about (exit 55).
 * - `trusted`: the folder is in `~/.gemini/trustedFolders.json`, as a person's "Trust folder" writes it;
 * - `environment`: GEMINI_CLI_TRUST_WORKSPACE=true;
 * - `skip-trust`: the `--skip-trust` flag;
 * - `undecided`: none of these.
 */
export type GeminiTrust = 'trusted' | 'environment' | 'skip-trust' | 'undecided';

export interface GeminiRun {
  /** A private HOME (made if missing): Gemini CLI keeps settings, trust and sessions in `~/.gemini`. */
  readonly home: string;
  /** The scripted model's `url`. */
  readonly modelUrl: string;
  /** For the script: `RUN: <command>` or `MCP: <tool> <json>`. */
  readonly prompt: string;
  /** The folder gemini works in (its project). */
  readonly cwd: string;
  /** Default `trusted`. */
  readonly trust?: GeminiTrust;
  /** User settings beside the ones every run needs (e.g. `mcpServers`). */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** The environment before the run's own variables are added; default process.env. Undefined values are removed. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The gemini to run; default the harness's. */
  readonly gemini?: string;
  /** Killed (SIGKILL, with its process group) after this long; default 60 s. */
  readonly timeoutMs?: number;
}

export type GeminiOutcome = AgentProcessOutcome;

/**
 * Writes `<home>/.gemini/settings.json` (the run's `settings` over what every run needs) and, for
 * `trusted`, `trustedFolders.json` naming `cwd`. Both files are rewritten on each call.
 */
export function prepareGeminiHome(run: Pick<GeminiRun, 'home' | 'cwd' | 'trust' | 'settings'>): void {
  const dir = join(run.home, '.gemini');
  mkdirSync(dir, { recursive: true });
  const settings = {
    security: { auth: { selectedType: 'gemini-api-key' } },
    general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    ...run.settings,
  };
  writeFileSync(join(dir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  writeFileSync(join(dir, 'trustedFolders.json'), `${JSON.stringify((run.trust ?? 'trusted') === 'trusted' ? { [run.cwd]: 'TRUST_FOLDER' } : {}, null, 2)}\n`);
}

/**
 * The variables a run sets beside what it inherits. XDG_DATA_HOME stays the data folder of the
 * environment the run inherits: Countersign's hook entries find their launcher there, and the private
 * HOME would otherwise move it.
 */
export function geminiVariables(run: Pick<GeminiRun, 'home' | 'modelUrl' | 'trust'>, inherited: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return {
    HOME: run.home,
    XDG_DATA_HOME: inherited.XDG_DATA_HOME || join(inherited.HOME ?? run.home, '.local', 'share'),
    GOOGLE_GEMINI_BASE_URL: run.modelUrl,
    GEMINI_API_KEY: 'offline',
    ...(run.trust === 'environment' ? { GEMINI_CLI_TRUST_WORKSPACE: 'true' } : {}),
  };
}

/** The argv after `gemini` of one non-interactive turn that may run anything without asking. */
export function geminiArgs(prompt: string, trust: GeminiTrust = 'trusted'): string[] {
  return ['-p', prompt, '--yolo', '-m', GEMINI_MODEL, ...(trust === 'skip-trust' ? ['--skip-trust'] : [])];
}

/**
 * The `mcpServers` user setting that starts the stand-in Railway server (its tools are then
 * `mcp_railway_<tool>`). Gemini CLI refuses ELECTRON_RUN_AS_NODE in a server's `env` (measured), so
 * the server's command must be a real node.
 */
export function geminiMcpServers(mcp: RailwayMcp): Record<string, unknown> {
  return { railway: { command: mcp.server.command, args: [...mcp.server.args] } };
}

/** Gemini's own variables and those that name another home or trust are not the run's to inherit. */
const NOT_INHERITED = /^(GEMINI_|GOOGLE_)/;

/** Spawns gemini directly (no terminal), stdin closed, in its own process group. */
export function runGemini(run: GeminiRun): Promise<GeminiOutcome> {
  prepareGeminiHome(run);
  const inherited = run.env ?? process.env;
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(inherited)) if (value !== undefined && !NOT_INHERITED.test(name)) env[name] = value;
  Object.assign(env, geminiVariables(run, inherited));
  return runAgentProcess(run.gemini ?? binary, geminiArgs(run.prompt, run.trust), { cwd: run.cwd, env, timeoutMs: run.timeoutMs });
}
