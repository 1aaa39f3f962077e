import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { createGate } from '../core/gate/gate';
import type { Gate } from '../core/gate/types';
import { loadEngine } from '../node/engine';
import { nodeFileReader } from '../node/fileReader';
import { loadNodePty } from '../node/pty/loadNodePty';
import { askForApprovals } from './approvals';
import { checkCommandLine } from './checkCommand';
import { registerGuardedTerminalCommands } from './terminalProfile';
import { GuardedTerminals } from './terminals';

/** What activate() returns: tests decide through the gate; in the product only the person's UI does. */
export interface CountersignApi {
  readonly gate: Gate;
}

function workspaceFolder(): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? homedir();
}

export async function activate(context: vscode.ExtensionContext): Promise<CountersignApi> {
  const output = vscode.window.createOutputChannel('Countersign');
  context.subscriptions.push(output);
  const log = (message: string): void => output.appendLine(message);

  // One engine and one gate per window: every door asks the same gate.
  const engine = await loadEngine(workspaceFolder(), undefined, log);
  const gate = createGate(engine, {
    // Asked at approve time; the terminal that sent the request knows whether it is in dry run.
    dryRun: (request) => terminals.dryRunFor(request),
    contextFor: (request) => ({ cwd: request.cwd, reader: nodeFileReader }),
  });
  const terminals = new GuardedTerminals({
    gate,
    nodePty: () => loadNodePty(vscode.env.appRoot),
    appRoot: vscode.env.appRoot,
    defaultCwd: workspaceFolder,
  });
  context.subscriptions.push(
    terminals,
    askForApprovals(gate, log),
    ...registerGuardedTerminalCommands(terminals),
    vscode.commands.registerCommand('countersign.checkCommand', () => checkCommandLine(engine, workspaceFolder(), output)),
  );
  return { gate };
}
