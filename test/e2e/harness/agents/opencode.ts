import { type AgentProcessOutcome, runAgentProcess } from './agentProcess';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { harnessDir } from '../paths';
import type { RailwayMcp } from './mcpServer';

/**
 * The real opencode CLI (`opencode-ai`), offline, against the scripted model of opencodeModel.ts: a
 * private HOME and XDG config, cache and state folders, opencode's downloads and sharing off, and
 * `$XDG_CONFIG_HOME/opencode/opencode.json` naming the model as an OpenAI-compatible provider
 * (`@ai-sdk/openai-compatible`, which opencode bundles: it ran with the npm registry unreachable). One
 * `opencode run "<prompt>"` turn then runs whatever the model asks: opencode runs every tool without
 * asking unless its config says otherwise; only a plugin's `tool.execute.before` stands in the way.
 */
export const OPENCODE_VERSION = '1.18.33';

const installDir = join(harnessDir, 'agents', 'opencode');
const binary = join(installDir, 'node_modules', '.bin', 'opencode');

/** The installed opencode, or why it is not there (test/e2e/install.sh puts it there). */
export function installedOpencode(): { readonly binary: string } | { readonly missing: string } {
  return existsSync(join(installDir, `.installed-${OPENCODE_VERSION}`)) && existsSync(binary)
    ? { binary }
    : { missing: `the real opencode CLI ${OPENCODE_VERSION} is not installed in ${installDir}; run test/e2e/install.sh` };
}

export interface OpencodeRun {
  /** A private folder (made if missing): HOME and the XDG config, cache and state folders go in it. */
  readonly home: string;
  /** The scripted model's `baseUrl`. */
  readonly baseUrl: string;
  /** `RUN: <command>` or `MCP: <tool> <json>` (opencodeModel.ts). */
  readonly prompt: string;
  /** The project opencode works in. */
  readonly cwd: string;
  /** What the run inherits (PATH above all: what the command finds); XDG_DATA_HOME is where Countersign's launcher is found. */
  readonly env: NodeJS.ProcessEnv;
  /** A stdio MCP server for opencode to load as `railway` (mcpServer.ts). */
  readonly mcp?: RailwayMcp;
  /** Default 60 s; then opencode and its children are killed. */
  readonly timeoutMs?: number;
}

export type OpencodeOutcome = AgentProcessOutcome;

/** Runs one `opencode run` turn with stdin closed; resolves when opencode has exited (or was killed at the timeout). */
export function runOpencode(run: OpencodeRun): Promise<OpencodeOutcome> {
  const env = opencodeEnvironment(run);
  markPluginPackageInstalled(join(env.XDG_CONFIG_HOME!, 'opencode'));
  // opencode looks for `.opencode` folders from the project up; ours holds Countersign's plugin.
  if (existsSync(join(run.cwd, '.opencode'))) markPluginPackageInstalled(join(run.cwd, '.opencode'));
  return runAgentProcess(installedBinary(), ['run', run.prompt], { cwd: run.cwd, env, timeoutMs: run.timeoutMs });
}

function installedBinary(): string {
  const found = installedOpencode();
  if ('missing' in found) throw new Error(found.missing);
  return found.binary;
}

/**
 * The run's environment, with its config written: nothing of an enclosing opencode (OPENCODE_*), PWD
 * the project (opencode takes its folder from PWD before its cwd), and XDG_DATA_HOME as inherited
 * (`${XDG_DATA_HOME:-$HOME/.local/share}` of `run.env`), where Countersign's plugin finds its launcher
 * and opencode keeps its database.
 */
function opencodeEnvironment(run: OpencodeRun): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(run.env).filter(([name]) => !name.startsWith('OPENCODE_')));
  const folders = { HOME: join(run.home, 'home'), XDG_CONFIG_HOME: join(run.home, 'config'), XDG_CACHE_HOME: join(run.home, 'cache'), XDG_STATE_HOME: join(run.home, 'state') };
  for (const folder of Object.values(folders)) mkdirSync(folder, { recursive: true });
  writeConfig(join(folders.XDG_CONFIG_HOME, 'opencode'), run);
  return {
    ...inherited,
    ...folders,
    XDG_DATA_HOME: run.env.XDG_DATA_HOME || join(run.env.HOME || homedir(), '.local', 'share'),
    PWD: run.cwd,
    OPENCODE_DISABLE_AUTOUPDATE: '1',
    OPENCODE_DISABLE_MODELS_FETCH: '1',
    OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
    OPENCODE_DISABLE_SHARE: '1',
  };
}

/** opencode.json: the scripted model as the default (and title) model, and the MCP server when given. */
function writeConfig(dir: string, run: OpencodeRun): void {
  mkdirSync(dir, { recursive: true });
  const model = { name: 'Scripted model', tool_call: true, limit: { context: 200_000, output: 8_192 } };
  const config = {
    $schema: 'https://opencode.ai/config.json',
    model: 'scripted/scripted',
    small_model: 'scripted/scripted',
    autoupdate: false,
    share: 'disabled',
    provider: { scripted: { npm: '@ai-sdk/openai-compatible', name: 'Scripted model', options: { baseURL: run.baseUrl, apiKey: 'offline' }, models: { scripted: model } } },
    ...(run.mcp ? { mcp: { railway: { type: 'local', command: [run.mcp.server.command, ...run.mcp.server.args], environment: run.mcp.server.env, enabled: true } } } : {}),
  };
  writeFileSync(join(dir, 'opencode.json'), `${JSON.stringify(config, null, 2)}\n`);
}

/**
 * opencode installs `@opencode-ai/plugin` (64 MB, from the npm registry) into each config folder it
 * uses (its own and a project's `.opencode`) unless that folder's node_modules exists and its
 * package-lock.json lists the package; the plugins wait for it. Measured with 1.18.33: about 5 s with
 * the registry up, about 70 s of retries with it unreachable before the run goes on. Countersign's
 * plugin imports nothing of it, so the harness marks it installed: no run downloads anything.
 */
export function markPluginPackageInstalled(dir: string): void {
  const dependencies = { '@opencode-ai/plugin': OPENCODE_VERSION };
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ dependencies }, null, 2)}\n`);
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify({ lockfileVersion: 3, requires: true, packages: { '': { dependencies } } }, null, 2)}\n`);
}
