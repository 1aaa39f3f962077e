import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { codeServerEntry, node24 } from './paths';
import { stopTree } from './processTree';

export interface CodeServerOptions {
  /** Fresh folder for this server's user data, extensions, logs, HOME and TMPDIR. */
  runDir: string;
  /** 0 or absent: a free port. */
  port?: number;
  /** Folders put in front of PATH for the server, hence for every terminal and extension host. */
  pathPrefix?: string[];
  /** Extra environment for the server (the extension host and terminals inherit it). */
  env?: Record<string, string>;
  /** Makes the workbench honour the `payload` URL parameter (extensionDevelopmentPath/extensionTestsPath). */
  smokeTestDriver?: boolean;
  /** How long an extension host outlives its closed tab (code-server's default is 3 hours). */
  reconnectionGraceSeconds?: number;
  /**
   * Workspace trust on, as VS Code ships (off by default here, for a quiet workbench): a folder opens
   * in Restricted Mode, without the prompt, until someone trusts it.
   */
  workspaceTrust?: boolean;
  /** Settings over the quiet defaults below (the sandbox lets the walkthrough open, as VS Code ships). */
  settings?: Record<string, unknown>;
}

export interface WorkbenchTarget {
  folder: string;
  /** Loads this folder as the extension under development (needs smokeTestDriver). */
  extensionDevelopmentPath?: string;
  /** Runs this module's `run()` in the extension host (must lie inside extensionDevelopmentPath). */
  extensionTestsPath?: string;
}

export interface CodeServer {
  readonly port: number;
  readonly pid: number;
  readonly runDir: string;
  readonly logFile: string;
  /** Resolves with the exit code if the server dies before stop(). */
  readonly exited: Promise<number | null>;
  workbenchUrl(target: WorkbenchTarget): string;
  stop(): Promise<void>;
}

/** Quiet, offline, deterministic workbench: no telemetry, welcome pages, trust prompts or GPU terminal. */
const settings = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  // the chat side bar would take a third of the window, empty, offline
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'window.restoreWindows': 'none',
  // the DOM renderer keeps terminal text in .xterm-rows, where the UI driver reads it
  'terminal.integrated.gpuAcceleration': 'off',
};

/**
 * Settings VS Code registers with machine scope. A remote window (code-server's is one) takes them
 * from the server's Machine settings and ignores them in User settings, where the extension host was
 * seen to read the default instead.
 */
const MACHINE_SCOPED = new Set(['workbench.welcomePage.walkthroughs.openOnInstall']);

/** The User and Machine settings files of a server's user data folder. */
export function settingsFiles(userDataDir: string): Record<'user' | 'machine', string> {
  return { user: path.join(userDataDir, 'User', 'settings.json'), machine: path.join(userDataDir, 'Machine', 'settings.json') };
}

/** Writes `all` to the User settings, but for the machine-scoped ones, which go to the Machine settings. */
function writeSettings(userDataDir: string, all: Record<string, unknown>): void {
  const files = settingsFiles(userDataDir);
  const entries = Object.entries(all);
  for (const [file, keep] of [[files.user, false], [files.machine, true]] as const) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(Object.fromEntries(entries.filter(([key]) => MACHINE_SCOPED.has(key) === keep)), null, 2));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The caller's environment without what `npm run` adds (npm_* settings, node_modules/.bin on PATH). */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^npm_/i.test(key)) env[key] = value;
  }
  env.PATH = (env.PATH ?? '/usr/local/bin:/usr/bin:/bin')
    .split(':')
    .filter((dir) => !dir.endsWith('/node_modules/.bin') && !dir.includes('/node-gyp-bin'))
    .join(':');
  return env;
}

async function waitForHealth(port: number, exited: Promise<number | null>, logFile: string): Promise<void> {
  let dead = false;
  void exited.then(() => (dead = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (dead) throw new Error(`code-server exited during start-up:\n${tail(logFile)}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer /healthz within 60 s:\n${tail(logFile)}`);
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * The folders of a server on `runDir` (HOME, user data, extensions, TMPDIR), created, and its config
 * file, empty: that keeps code-server from creating and reading ~/.config/code-server/config.yaml (a
 * password). Shared with code-server's CLI (installVsix), so both see the same extensions. The user
 * data sits in HOME where code-server keeps it by default, so what the extension stores there reads
 * as a person's would (`~/.local/share/code-server/User/globalStorage/…`).
 */
export function runDirLayout(runDir: string): { dirs: Record<'userData' | 'extensions' | 'home' | 'tmp', string>; config: string } {
  const home = path.join(runDir, 'home');
  const dirs = { userData: path.join(home, '.local', 'share', 'code-server'), extensions: path.join(runDir, 'extensions'), home, tmp: path.join(runDir, 'tmp') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const config = path.join(runDir, 'config.yaml');
  writeFileSync(config, '');
  return { dirs, config };
}

/** Starts code-server on 127.0.0.1 with --auth none, an empty config and fresh profile dirs. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const { runDir } = options;
  const { dirs, config } = runDirLayout(runDir);
  const trust = options.workspaceTrust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {};
  writeSettings(dirs.userData, { ...settings, ...trust, ...options.settings });

  const port = options.port || (await freePort());
  const logFile = path.join(runDir, 'code-server.log');
  const base = cleanEnv();
  const env = {
    ...base,
    ...options.env,
    PATH: [...(options.pathPrefix ?? []), base.PATH].join(':'),
    HOME: dirs.home,
    // VS Code's ipc sockets and the browser profiles land in TMPDIR: keep them inside the run folder
    TMPDIR: dirs.tmp,
  };
  const args = [
    codeServerEntry,
    '--config', config,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--disable-telemetry', '--disable-update-check', ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override', '--ignore-last-opened',
    // Without this the server replaces the extension host's and terminals' environment with a login
    // shell's (/etc/profile resets PATH), so PATH from `pathPrefix` or the caller would be lost.
    '--vscode-option', 'force-disable-user-env',
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(options.reconnectionGraceSeconds ? ['--reconnection-grace-time', String(options.reconnectionGraceSeconds)] : []),
    '--log', 'info',
  ];
  const log = openSync(logFile, 'a');
  // Own process group: a Ctrl-C in the caller's terminal reaches us, not code-server, and we stop it in order.
  const child = spawn(node24, args, { cwd: runDir, env, stdio: ['ignore', log, log], detached: true });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${node24}`);
  try {
    await waitForHealth(port, exited, logFile);
  } catch (error) {
    await stopTree(pid);
    throw error;
  }

  const authority = `127.0.0.1:${port}`;
  const remote = (p: string) => `vscode-remote://${authority}${path.resolve(p)}`;
  let stopping: Promise<void> | undefined;
  return {
    port,
    pid,
    runDir,
    logFile,
    exited,
    workbenchUrl(target) {
      const payload: [string, string][] = [['skipWelcome', 'true']];
      if (target.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(target.extensionDevelopmentPath)]);
      if (target.extensionTestsPath) payload.push(['extensionTestsPath', remote(target.extensionTestsPath)]);
      const query = `folder=${encodeURIComponent(path.resolve(target.folder))}`;
      return `http://${authority}/?${query}` + (payload.length > 1 ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : '');
    },
    stop: () => (stopping ??= stopTree(pid)),
  };
}
