import * as vscode from 'vscode';

export const WALKTHROUGH_ID = 'countersign.gettingStarted';
const OFFERED_KEY = 'countersign.walkthroughOffered';

/**
 * Opens "Get started with Countersign" the first time Countersign runs for this user, as VS Code does
 * for a walkthrough of an extension installed from the Marketplace; an extension that was already
 * there when VS Code started (a sandbox, a profile copied over) would otherwise never show it. The
 * person's `workbench.welcomePage.walkthroughs.openOnInstall` decides, as it does for VS Code's own.
 */
export async function offerWalkthroughOnce(context: vscode.ExtensionContext, log: (line: string) => void): Promise<void> {
  if (context.globalState.get<boolean>(OFFERED_KEY)) return;
  if (vscode.workspace.getConfiguration('workbench.welcomePage.walkthroughs').get<boolean>('openOnInstall') === false) return;
  await context.globalState.update(OFFERED_KEY, true);
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false);
  log('opened the walkthrough: Countersign runs here for the first time');
}

/**
 * Context keys the walkthrough's steps complete on (`onContext:`), set when the person does the step
 * by any route: a guarded terminal from the profile menu counts as much as one from the command.
 */
export const STEP_CONTEXT = {
  guardedTerminalOpened: 'countersign.step.guardedTerminalOpened',
} as const;

export function markStepDone(key: string): void {
  void vscode.commands.executeCommand('setContext', key, true);
}
