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
import { checkCommandLine } from './checkCommand';
import { PendingView } from './review/pendingView';
import { ReviewController } from './review/reviewController';
import { ReviewPanel } from './review/reviewPanel';
import { readReviewConfiguration } from './settings';
import { StateGuard } from './stateGuard';
import { CountersignStatusBar } from './statusBar';
import { registerGuardedTerminalCommands } from './terminalProfile';
import { GuardedTerminals } from './terminals';

/** What activate() returns: tests decide through the gate; in the product only the person's UI does. */
export interface CountersignApi {
  readonly gate: Gate;
  readonly stateGuard: StateGuard;
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

  const reviews = new Reviews(() => randomBytes(16).toString('hex'), () => readReviewConfiguration().review);
  const statusBar = new CountersignStatusBar(SHOW_REVIEW);
  const pendingView = new PendingView('countersign.pending', SHOW_REVIEW);
  let panel: ReviewPanel | undefined;
  const controller: ReviewController = new ReviewController({
    gate,
    reviews,
    panel: (): ReviewPanel => {
      if (panel) return panel;
      const made = new ReviewPanel(context.extensionUri, { onCommand: (message) => controller.handle(message), log });
      made.onDidDispose(() => {
        panel = undefined;
        controller.panelClosed();
      });
      return (panel = made);
    },
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
    onDidChange: () => {
      const cards = reviews.cards((pending) => terminals.dryRunFor(pending.request));
      statusBar.update({ paused: cards.filter((c) => c.kind === 'request').length, swaps: cards.filter((c) => c.kind === 'swap').length });
      pendingView.update(cards);
    },
  });
  context.subscriptions.push(
    stateGuard.onSwap((swap) => controller.addSwap(swap)),
    terminals,
    controller,
    statusBar,
    pendingView,
    stateGuard,
    { dispose: () => panel?.dispose() },
    ...registerGuardedTerminalCommands(terminals),
    vscode.commands.registerCommand(SHOW_REVIEW, () => controller.reveal()),
    vscode.commands.registerCommand('countersign.checkCommand', () => checkCommandLine(engine, workspaceFolder(), output)),
  );
  await stateGuard.start();
  return { gate, stateGuard };
}
