import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { createGate } from '../core/gate/gate';
import type { Gate } from '../core/gate/types';
import { Reviews } from '../core/review/reviews';
import { loadEngine } from '../node/engine';
import { nodeFileReader } from '../node/fileReader';
import { loadNodePty } from '../node/pty/loadNodePty';
import { createPlanPreviewer } from '../node/terraform/planPreviewer';
import { openAuditTrail } from './auditTrail';
import { checkCommandLine } from './checkCommand';
import { openDoors } from './doors';
import { confirmRearm, KILL_SWITCH_COMMAND, KillSwitch, REARM_COMMAND, registerKillSwitchCommands } from './killSwitch';
import { PendingView } from './review/pendingView';
import { ReviewController } from './review/reviewController';
import { ReviewPanel } from './review/reviewPanel';
import { Sessions } from './sessions/sessions';
import { readReviewConfiguration } from './settings';
import { StateGuard } from './stateGuard';
import { CountersignStatusBar } from './statusBar';
import { registerGuardedTerminalCommands } from './terminalProfile';
import { GuardedTerminals } from './terminals';

/** What activate() returns: tests decide through the gate; in the product only the person's UI does. */
export interface CountersignApi {
  readonly gate: Gate;
  readonly stateGuard: StateGuard;
  readonly sessions: Sessions;
  /** Tests re-arm with `rearm({ confirmed: true })`: VS Code refuses the modal in an extension-test window. */
  readonly killSwitch: KillSwitch;
  /** The audit log file of this workspace. */
  readonly auditPath: string;
}

const SHOW_REVIEW = 'countersign.showReview';

function workspaceFolder(): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? homedir();
}

export async function activate(context: vscode.ExtensionContext): Promise<CountersignApi> {
  const output = vscode.window.createOutputChannel('Countersign');
  context.subscriptions.push(output);
  const log = (message: string): void => output.appendLine(message);

  // One engine and one gate per window: every door asks the same gate.
  const engine = await loadEngine(workspaceFolder(), undefined, log);
  const stateGuard = new StateGuard({ storageDir: (context.storageUri ?? context.globalStorageUri).fsPath, root: workspaceFolder(), log });
  const gate = createGate(engine, {
    // Asked at approve time; the terminal that sent the request knows whether it is in dry run.
    dryRun: (request) => terminals.dryRunFor(request),
    // Directories with an unreviewed state swap hold every terraform command there.
    contextFor: (request) => ({ cwd: request.cwd, reader: nodeFileReader, holds: stateGuard.holds() }),
  });
  const terminals = new GuardedTerminals({
    gate,
    nodePty: () => loadNodePty(vscode.env.appRoot),
    appRoot: vscode.env.appRoot,
    defaultCwd: workspaceFolder,
  });

  // Before any door opens: every submission from here on is recorded.
  const audit = await openAuditTrail(context, gate, { log, workspaceFolder });
  context.subscriptions.push(audit.disposable);

  const reviews = new Reviews(() => randomBytes(16).toString('hex'), () => readReviewConfiguration().review);
  const statusBar = new CountersignStatusBar({ engage: KILL_SWITCH_COMMAND, rearm: REARM_COMMAND, review: SHOW_REVIEW });
  const pendingView = new PendingView('countersign.pending', SHOW_REVIEW);
  // One panel object for the window: it opens its webview when something pauses and again after the person closes it.
  const panel = new ReviewPanel(context.extensionUri, { onCommand: (message) => controller.handle(message), log });
  const controller: ReviewController = new ReviewController({
    gate,
    reviews,
    panel,
    previewer: createPlanPreviewer({
      timeoutMs: () => readReviewConfiguration().previewTimeoutMs,
      env: (pending) => ({ ...terminals.envFor(pending.request) }),
      blastRadius: () => ({ criticalTypes: readReviewConfiguration().criticalTypes }),
      defaultCwd: workspaceFolder,
    }),
    swaps: stateGuard,
    dryRun: (pending) => terminals.dryRunFor(pending.request),
    now: Date.now,
    log,
    audit: audit.auditor,
    onDidChange: (cards) => {
      statusBar.update({ paused: cards.filter((c) => c.kind === 'request').length, swaps: cards.filter((c) => c.kind === 'swap').length, killed: gate.killed });
      pendingView.update(cards);
    },
  });
  const sessions = new Sessions({
    gate,
    guardedTerminal: (terminal) => terminals.forTerminal(terminal),
    showReviewCommand: SHOW_REVIEW,
    onExit: (id, exitCode) => audit.auditor.recordExit(id, exitCode),
  });
  const killSwitch = new KillSwitch({ gate, terminals: () => terminals.all(), confirmRearm, log });
  context.subscriptions.push(
    sessions,
    stateGuard.onSwap((swap) => controller.addSwap(swap)),
    terminals,
    controller,
    statusBar,
    pendingView,
    stateGuard,
    panel,
    ...registerGuardedTerminalCommands(terminals),
    ...registerKillSwitchCommands(killSwitch),
    vscode.commands.registerCommand(SHOW_REVIEW, () => controller.reveal()),
    vscode.commands.registerCommand('countersign.checkCommand', () => checkCommandLine(engine, workspaceFolder(), output)),
  );
  // Doors beyond the guarded terminal: failing to open them must not take the guarded terminal down.
  try {
    context.subscriptions.push(...(await openDoors(context, { gate, log, workspaceFolder })));
  } catch (error) {
    log(`the gate socket and PATH shims could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  await stateGuard.start();
  return { gate, stateGuard, sessions, killSwitch, auditPath: audit.path };
}
