import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../core/errorMessage';
import { createGate } from '../core/gate/gate';
import type { Gate, PendingRequest } from '../core/gate/types';
import { type IDisposable, toDisposable } from '../core/lifecycle';
import { Reviews } from '../core/review/reviews';
import { loadEngine } from '../node/engine';
import { nodeFileReader } from '../node/fileReader';
import { descendsFrom } from '../node/processTree';
import { loadNodePty } from '../node/pty/loadNodePty';
import { createPlanPreviewer, requestEnv } from '../node/terraform/planPreviewer';
import { BackupIndex } from '../node/backup/backupIndex';
import { defaultBackupFolder } from '../node/backup/backupFolder';
import { BackUpFirst } from './review/backUpFirst';
import { BackupRestore } from './sessions/backupRestore';
import { createBackendChecker } from '../node/terraform/backendChecker';
import { DEFAULT_PULL_TIMEOUT_MS } from '../node/terraform/statePull';
import { SavedPlans } from '../node/terraform/savedPlans';
import { ensureRuntimeDir } from '../node/runtimeDir';
import { GATE_SOCKET_ENV } from '../node/socket/advertise';
import { AgentWatch } from './agentWatch';
import { ProcessOrigins } from './terminal/processOrigin';
import { exportAuditKey, openAuditTrail } from './auditTrail';
import { checkCommandLine } from './checkCommand';
import { reportRequestsLeftWaiting } from './stoppedRequests';
import { registerDemoCommand } from './demo';
import { registerDoctorCommand } from './doctor';
import { openDoors, registerHookCommands } from './doors';
import { SHOW_REVIEW_COMMAND } from './ids';
import { confirmRearm, KillSwitch, registerKillSwitchCommands } from './killSwitch';
import { registerLoginShellCommands } from './terminal/loginShell';
import type { Registry } from './lateRegistry';
import { PendingView } from './review/pendingView';
import { ReviewController } from './review/reviewController';
import { ReviewPanel } from './review/reviewPanel';
import { Sessions } from './sessions/sessions';
import { readBackupLimits, readReviewConfiguration, readSetting } from './settings';
import { StateGuard } from './stateGuard';
import { watchTerraformConfiguration } from './terraformConfigWatch';
import { markStepDone, offerWalkthroughOnce, STEP_CONTEXT } from './walkthrough';
import type { CountersignStatusBar } from './statusBar';
import { registerGuardedTerminalCommands } from './terminal/terminalProfile';
import { GuardedTerminals } from './terminal/terminals';

/** What activate() returns: tests decide through the gate; in the product only the person's UI does. */
export interface CountersignApi {
  readonly gate: Gate;
  readonly stateGuard: StateGuard;
  readonly sessions: Sessions;
  /** Tests re-arm with `rearm({ confirmed: true })`: VS Code refuses the modal in an extension-test window. */
  readonly killSwitch: KillSwitch;
  /** The audit log file of this workspace. */
  readonly auditPath: string;
  /** The commands the runtime handles (the entry registered every contributed one with VS Code). */
  readonly handledCommands: readonly string[];
  /** Agent CLIs running in terminals with no live door (the status bar warns while one runs). */
  readonly agentWatch: AgentWatch;
  readonly statusBar: CountersignStatusBar;
}

/** What the entry made at activation, before the runtime loaded. */
export interface EntryParts {
  readonly output: vscode.OutputChannel;
  readonly statusBar: CountersignStatusBar;
  readonly registry: Registry;
}

function workspaceFolder(): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? homedir();
}

/**
 * Everything behind the entry: the engine, the gate and every door into it, the review panel and the
 * views. Loaded and run just after activation (see extension.ts), so activation itself stays short.
 */
export async function start(context: vscode.ExtensionContext, { output, statusBar, registry }: EntryParts): Promise<CountersignApi> {
  const log = (message: string): void => output.appendLine(message);
  // Built in dependency order, each service the window's from the moment it exists: a throw further on
  // leaves nothing undisposed.
  const own = <T extends IDisposable>(service: T): T => {
    context.subscriptions.push(service);
    return service;
  };

  // One engine and one gate per window: every door asks the same gate.
  const engine = await loadEngine(workspaceFolder(), undefined, log);
  const stateGuard = own(new StateGuard({ storageDir: (context.storageUri ?? context.globalStorageUri).fsPath, root: workspaceFolder(), log }));
  // Previewed plans, kept so that an approval runs the one its card showed.
  const savedPlans = SavedPlans.forWindow(plansFolder(context));
  own(toDisposable(() => savedPlans.dispose()));
  const reviews = new Reviews(
    () => randomBytes(16).toString('hex'),
    () => ({ ...readReviewConfiguration().review, home: homedir() }),
    (pending, path) => stateGuard.affects(pending, path),
  );
  // The one cycle: the guarded terminals submit to the gate, and the gate asks them whether a request is
  // a dry run. Closed as soon as both exist; the gate asks only when a person decides.
  const built: { terminals?: GuardedTerminals } = {};
  const gate = own(
    createGate(engine, {
      // Exec grants of a guarded terminal's approved line are for the processes under its shell.
      descendsFrom,
      // A grant's saved plan runs only while its file holds the bytes the person reviewed.
      verifySavedPlan: (plan) => savedPlans.verify(plan),
      // Asked at approve time; the terminal that sent the request knows whether it is in dry run.
      dryRun: (request) => built.terminals?.dryRunFor(request) ?? false,
      // Directories with an unreviewed state swap hold every terraform command there.
      contextFor: (request) => ({ cwd: request.cwd, reader: nodeFileReader, holds: stateGuard.holds() }),
      // Read per submission, so a change applies to the next command.
      pauseAt: () => readSetting('severityThreshold'),
      // A denied command's plan names what it would have destroyed: the denial remembers those addresses too.
      plannedDeletes: (id) => reviews.plannedDeletes(id),
    }),
  );
  // A state change is an approved command's write only while that command runs: the gate says when.
  stateGuard.follow(gate);
  const terminals = own(new GuardedTerminals({ gate, nodePty: () => loadNodePty(vscode.env.appRoot), appRoot: vscode.env.appRoot, defaultCwd: workspaceFolder }));
  built.terminals = terminals;

  // Before any door opens: every submission from here on is recorded.
  const audit = await openAuditTrail(context, gate, { log, workspaceFolder });
  own(audit.disposable);
  own(stateGuard.onDidRecord((event) => audit.auditor.recordState(event)));
  // What the last window left waiting when it stopped, read before a door can pause anything of this one.
  await reportRequestsLeftWaiting(audit.path, audit.auditor, log);

  const pendingView = own(new PendingView('countersign.pending', SHOW_REVIEW_COMMAND));
  // One panel object for the window: it opens its webview when something pauses and again after the person closes it.
  const panel = own(new ReviewPanel(context.extensionUri, log));
  const terminalEnv = (request: PendingRequest['request']): NodeJS.ProcessEnv => ({ ...terminals.envFor(request) });
  /** The waiting shell's environment when its door can tell, else the terminal's starting one. */
  const pendingEnv = (pending: PendingRequest): Promise<NodeJS.ProcessEnv> => requestEnv(pending, (p) => terminalEnv(p.request));
  const previewer = createPlanPreviewer({
    timeoutMs: () => readReviewConfiguration().previewTimeoutMs,
    env: (pending) => terminalEnv(pending.request),
    blastRadius: () => ({ criticalTypes: readReviewConfiguration().criticalTypes }),
    defaultCwd: workspaceFolder,
    savedPlans,
  });
  // The backups' folder comes from this window's environment, never from the terminal an agent may have set up.
  const backups = new BackupIndex(defaultBackupFolder(process.env));
  const backUpFirst = own(
    new BackUpFirst({
      reviews,
      env: pendingEnv,
      planChange: (id, address) => previewer.change(id, address),
      index: backups,
      limits: readBackupLimits,
      audit: audit.auditor,
      render: () => controller.render(),
      onDidStore: () => sessions.view.refresh(),
      log,
    }),
  );
  const controller = own(
    new ReviewController({
      gate,
      reviews,
      panel,
      previewer,
      backUpFirst,
      backendChecker: createBackendChecker({
        // A backend that does not answer leaves the card saying so within this, not after a whole plan's time.
        timeoutMs: () => Math.min(readReviewConfiguration().previewTimeoutMs, DEFAULT_PULL_TIMEOUT_MS),
        env: pendingEnv,
        trackedBaseline: (path) => stateGuard.recorded(path),
        defaultCwd: workspaceFolder,
      }),
      savedPlans,
      swaps: stateGuard,
      onDidChangeConfiguration: (listener) => watchTerraformConfiguration(listener),
      dryRun: (pending) => terminals.dryRunFor(pending.request),
      now: Date.now,
      log,
      audit: audit.auditor,
      onDidChange: (cards) => {
        statusBar.update({ paused: cards.filter((c) => c.kind === 'request').length, swaps: cards.filter((c) => c.kind === 'swap').length, killed: gate.killed });
        pendingView.update(cards);
      },
    }),
  );
  own(stateGuard.onSwap((swap) => controller.addSwap(swap)));
  const sessions = own(
    new Sessions({
      gate,
      guardedTerminal: (terminal) => terminals.forTerminal(terminal),
      showReviewCommand: SHOW_REVIEW_COMMAND,
      registry,
      onExit: (id, exitCode) => audit.auditor.recordExit(id, exitCode),
      backups: () => backups.list(),
    }),
  );
  own(new BackupRestore({ index: backups, registry, audit: audit.auditor, timeoutMs: () => readBackupLimits().timeoutMs, log }));
  const killSwitch = new KillSwitch({ gate, terminals: () => terminals.all(), confirmRearm, log });
  // Doors beyond the guarded terminal, before any guarded terminal can open, so each gets the shims too.
  // Failing to open them must not take the guarded terminal down.
  let windowGateSocket: string | undefined;
  try {
    const origins = own(new ProcessOrigins(terminals.originOf));
    const doors = own(await openDoors(context, { gate, log, workspaceFolder, originOf: origins.originOf }));
    if (doors.execDoor) terminals.openExecDoor(doors.execDoor);
    windowGateSocket = doors.execDoor?.variables[GATE_SOCKET_ENV];
    void doors.loginShellNotice?.then((notice) => terminals.noteForNewTerminals(notice));
  } catch (error) {
    log(`the gate socket and PATH shims could not start: ${errorMessage(error)}`);
  }
  const agentWatch = own(
    new AgentWatch({
      parser: engine,
      isGuarded: (terminal) => terminals.forTerminal(terminal) !== undefined,
      workspaceFolder,
      windowGateSocket: () => windowGateSocket,
      log,
    }),
  );
  own(agentWatch.onDidChange((agents) => statusBar.warnUnguarded(agents.map((a) => ({ agent: a.agent.name, terminal: a.terminal.name })))));
  // However the person opened it (the command, the profile menu, the default profile).
  own(
    vscode.window.onDidOpenTerminal((terminal) => {
      if (terminals.forTerminal(terminal)) markStepDone(STEP_CONTEXT.guardedTerminalOpened);
    }),
  );
  [
    ...registerGuardedTerminalCommands(registry, terminals),
    registerDemoCommand(registry, context, terminals),
    registerLoginShellCommands(registry),
    ...registerHookCommands(registry, context, workspaceFolder),
    registerDoctorCommand(registry, { context, terminals, output, workspaceFolder }),
    registry.registerCommand('countersign.exportAuditKey', () => exportAuditKey(context.secrets)),
    ...registerKillSwitchCommands(registry, killSwitch),
    registry.registerCommand(SHOW_REVIEW_COMMAND, () => controller.reveal()),
    registry.registerCommand('countersign.checkCommand', () => checkCommandLine(engine, workspaceFolder(), output)),
  ].forEach(own);
  await stateGuard.start();
  void offerWalkthroughOnce(context, log).catch((error: unknown) => log(`the walkthrough could not be opened: ${errorMessage(error)}`));
  return { gate, stateGuard, sessions, killSwitch, auditPath: audit.path, handledCommands: registry.commandIds, agentWatch, statusBar };
}

/** The user's private runtime folder (a tmpfs under systemd); the extension's own storage when that cannot be had. */
function plansFolder(context: vscode.ExtensionContext): string {
  try {
    return join(ensureRuntimeDir(), 'plans');
  } catch {
    return join(context.globalStorageUri.fsPath, 'plans');
  }
}
