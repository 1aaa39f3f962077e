import { delimiter, join } from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../core/errorMessage';
import type { Gate } from '../core/gate/types';
import type { HookCommandSpec } from '../core/hooks/hookLauncher';
import { DisposableStore, type IDisposable, toDisposable } from '../core/lifecycle';
import { AGENT_DISPLAY_NAMES } from '../core/hooks/agentHooks';
import { GATE_PORT_ENV } from '../core/hooks/hookRelayProtocol';
import { relayedHookAnswer } from '../node/hooks/answerHook';
import { engineVerdict } from '../node/hooks/engineVerdict';
import { type HookFileResult, installAgentHooks, uninstallAgentHooks } from '../node/hooks/installHooks';
import { writeHookLauncher } from '../node/hooks/launcher';
import { readPolicy } from '../node/engine';
import { setShimsKilled, writeShims } from '../node/shims/shimDir';
import { advertiseGate, GATE_SOCKET_ENV, GATE_TOKEN_ENV } from '../node/socket/advertise';
import { startGateServer, type ProcessOrigin } from '../node/socket/gateServer';
import { startHookRelay } from '../node/socket/hookRelay';
import { SHIM_DIR_ENV } from '../core/shell/profileLine';
import { warnIfLoginShellsLoseShims } from './terminal/loginShell';
import type { Registry } from './lateRegistry';
import type { ExecDoor } from './terminal/terminals';

export interface DoorsOptions {
  readonly gate: Gate;
  readonly log: (message: string) => void;
  readonly workspaceFolder: () => string;
  /** Which guarded terminal (and line) a shim's process runs under. */
  readonly originOf: ProcessOrigin;
}

/** Disposing closes every door this opened. */
export interface Doors extends IDisposable {
  /** The shims and the gate's address for guarded terminals; undefined where there are none (Windows). */
  readonly execDoor?: ExecDoor;
  /** Resolves to a line for guarded terminals to print when a login shell would lose the shims (the window warns too). */
  readonly loginShellNotice?: Promise<string | undefined>;
}

/** The hook launcher runs the hook's thin client, which loads the engine only when no window answers. */
function hookSpec(context: vscode.ExtensionContext): HookCommandSpec {
  return { nodePath: process.execPath, cliPath: context.asAbsolutePath('dist/hook.js') };
}

/** "Install Agent Hooks" and "Uninstall Agent Hooks": they work whether or not the doors opened. */
export function registerHookCommands(registry: Registry, context: vscode.ExtensionContext, workspaceFolder: () => string): vscode.Disposable[] {
  return [
    registry.registerCommand('countersign.installAgentHooks', () => reportHooks('installed', installAgentHooks(workspaceFolder(), hookSpec(context)))),
    registry.registerCommand('countersign.uninstallAgentHooks', () => reportHooks('removed', uninstallAgentHooks(workspaceFolder()))),
  ];
}

/**
 * The doors beyond the guarded terminal, all into the same gate: a Unix socket (requests only, a
 * token per window), the hook relay for agent hooks in VS Code's terminals, PATH shims in every VS Code
 * terminal through the environment collection, and the socket advertised per workspace folder for agent
 * hooks started outside VS Code. What opened before a failure is closed again before it is thrown.
 */
export async function openDoors(context: vscode.ExtensionContext, options: DoorsOptions): Promise<Doors> {
  const store = new DisposableStore();
  if (process.platform === 'win32') {
    options.log('the gate socket and PATH shims are Unix only; on Windows only the guarded terminal gates commands');
    return store;
  }
  try {
    return { ...(await openUnixDoors(context, options, store)), dispose: () => store.dispose() };
  } catch (error) {
    store.dispose();
    throw error;
  }
}

async function openUnixDoors(context: vscode.ExtensionContext, options: DoorsOptions, store: DisposableStore): Promise<Omit<Doors, 'dispose'>> {
  const cliPath = context.asAbsolutePath('dist/cli.js');
  // The installed hook entries run this launcher: rewritten at each start, it names this install's node
  // and CLI after an update moved them (it blocks the agent's commands while it names a gone one).
  void writeHookLauncher(hookSpec(context)).then(
    (path) => options.log(`agent hook launcher ${path}`),
    (error: unknown) => options.log(`the agent hook launcher could not be written, so installed hooks block every command: ${errorMessage(error)}`),
  );
  const server = await startGateServer(options.gate, { log: options.log, originOf: options.originOf });
  store.add(toDisposable(() => void server.dispose()));
  // Hooks in this window's terminals ask through the relay with a bash client: no node start per call.
  // Without it they start node, as outside VS Code: the other doors must not go down with it.
  const relay = await startHookRelay({ token: server.token, answer: relayedHookAnswer(server, engineVerdict), log: options.log }).catch((error: unknown) => {
    options.log(`the hook relay could not start, so agent hooks start node for each call: ${errorMessage(error)}`);
    return undefined;
  });
  if (relay) store.add(toDisposable(() => void relay.dispose()));
  // Hooks started outside VS Code find the gate by the advertisement: first, before the slower shims.
  const advertised = new Map<string, { dispose(): void }>();
  const advertise = (): void => {
    const folders = new Set((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
    for (const [folder, ad] of advertised) {
      if (folders.has(folder)) continue;
      ad.dispose();
      advertised.delete(folder);
    }
    for (const folder of folders) {
      if (advertised.has(folder)) continue;
      try {
        // Kept while the window runs: a removed advertisement is written again (the socket keeps itself too).
        advertised.set(folder, advertiseGate(folder, server.socketPath, server.token, undefined, { log: options.log }));
      } catch (error) {
        options.log(`agent hooks outside VS Code will not find this window's gate for ${folder}: ${errorMessage(error)}`);
      }
    }
  };
  advertise();
  store.add(vscode.workspace.onDidChangeWorkspaceFolders(advertise));
  store.add(
    toDisposable(() => {
      for (const ad of advertised.values()) ad.dispose();
      advertised.clear();
    }),
  );

  // The workspace policy's rules narrow the launchers' fast paths as the built-in ones do (its errors were reported when the engine loaded it).
  const policyRules = readPolicy(options.workspaceFolder(), undefined, () => undefined).rules;
  const shimDir = writeShims(join(context.globalStorageUri.fsPath, 'shims'), { cliPath, nodePath: process.execPath, policyRules });
  // While the kill switch is on, no call takes a launcher's fast path: every one asks, and the gate refuses.
  let killed = false;
  const followKillSwitch = (): void => {
    if (options.gate.killed === killed) return;
    killed = options.gate.killed;
    setShimsKilled(shimDir, killed);
  };
  store.add(options.gate.onDidChange(followKillSwitch));
  store.add(toDisposable(() => setShimsKilled(shimDir, false)));
  const env = context.environmentVariableCollection;
  // A reloaded window has a new socket and token: nothing of this one should outlive it.
  env.persistent = false;
  env.description = 'Countersign: PATH shims ask the review gate before terraform, kubectl, aws, psql and other destructive tools run.';
  env.prepend('PATH', `${shimDir}${delimiter}`);
  const variables = { [GATE_SOCKET_ENV]: server.socketPath, [GATE_TOKEN_ENV]: server.token, ...(relay ? { [GATE_PORT_ENV]: String(relay.port) } : {}), [SHIM_DIR_ENV]: shimDir };
  for (const [name, value] of Object.entries(variables)) env.replace(name, value);
  store.add(toDisposable(() => env.clear()));

  options.log(`gate socket ${server.socketPath}; shims in ${shimDir}`);
  const loginShellNotice = warnIfLoginShellsLoseShims({ shimDir, variables, log: options.log });
  return { execDoor: { shimDir, variables }, loginShellNotice };
}

async function reportHooks(verb: 'installed' | 'removed', results: Promise<HookFileResult[]>): Promise<void> {
  let list: HookFileResult[];
  try {
    list = await results;
  } catch (error) {
    void vscode.window.showErrorMessage(`Countersign: the agent hooks could not be ${verb}: ${errorMessage(error)}`);
    return;
  }
  const lines = list.map((r) => `${AGENT_DISPLAY_NAMES[r.agent]} (${vscode.workspace.asRelativePath(r.file)}): ${fileOutcome(verb, r)}`);
  const untrusted = list.some((r) => r.trust?.trusted === false);
  const codexUntrusted = list.some((r) => r.agent === 'codex' && r.trust?.trusted === false);
  const notes =
    verb === 'installed'
      ? [
          'Each entry blocks the command whenever Countersign cannot answer (its launcher missing, crashed or stuck).',
          // Documented, not measured: VS Code's agent loads .claude/settings*.json (src/core/hooks/vscodeAgent.ts).
          ...(list.some((r) => r.agent === 'claude' && r.status !== 'refused')
            ? ["VS Code's own agent runs Claude Code's entry too (it reads .claude/settings.local.json): its terminal commands and MCP tool calls get the same review."]
            : []),
          ...(codexUntrusted ? ['Codex skips a hook nobody trusted: run codex, type /hooks and trust the Countersign hook.'] : []),
          ...(list.some((r) => r.everyFolder === true && r.status !== 'refused')
            ? ["Gemini CLI's entry is also in your user settings (~/.gemini/settings.json), where it runs in every folder, trusted or not, and with --skip-trust."]
            : []),
          // opencode's docs: plugin files are loaded at startup (https://opencode.ai/docs/plugins).
          ...(list.some((r) => r.agent === 'opencode' && r.status === 'changed') ? ['opencode loads its plugins when it starts: restart an opencode already running here.'] : []),
        ]
      : [];
  const show = list.some((r) => r.status === 'refused') || untrusted ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(`Countersign: agent hooks ${verb}. ${lines.join('; ')}.${notes.map((note) => ` ${note}`).join('')}`);
}

function fileOutcome(verb: 'installed' | 'removed', r: HookFileResult): string {
  const done = {
    changed: verb,
    removed: 'removed (the file held nothing else)',
    unchanged: 'already so',
    skipped: `skipped: ${r.reason}`,
    refused: `left untouched — ${r.reason ?? 'refused'}`,
  }[r.status];
  if (!r.trust) return done;
  if (r.agent === 'gemini') return r.trust.trusted ? `${done}; Gemini CLI runs it in this folder` : `${done}, but Gemini CLI will not run it: ${r.trust.reason}`;
  return r.trust.trusted ? `${done}, and trusted in Codex (for every project)` : `${done}, but not trusted in Codex (${r.trust.reason})`;
}
