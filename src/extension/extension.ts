import * as vscode from 'vscode';
import type { Engine } from '../core';
import { loadEngine } from '../node/engine';
import { nodeFileReader } from '../node/fileReader';

let engine: Promise<Engine> | undefined;

function workspaceFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/** Asks for a command line and shows the engine's verdict; the guarded terminal and panel come next. */
async function checkCommandLine(output: vscode.OutputChannel): Promise<void> {
  const line = await vscode.window.showInputBox({ prompt: 'Command line to check', placeHolder: 'terraform destroy -auto-approve' });
  if (!line) return;
  const cwd = workspaceFolder() ?? process.cwd();
  engine ??= loadEngine(cwd, undefined, (message) => output.appendLine(message));
  const verdict = (await engine).check(line, { cwd, reader: nodeFileReader });
  output.appendLine(`${verdict.verdict.toUpperCase()} ${line}`);
  for (const f of verdict.findings) output.appendLine(`  ${f.ruleId} [${f.severity}] ${f.title} — ${f.command}`);
  const summary = verdict.verdict === 'allow' ? 'would run' : `would pause (${verdict.severity}): ${verdict.findings.map((f) => f.title).join('; ')}`;
  void vscode.window.showInformationMessage(`Countersign: ${line} ${summary}`);
}

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Countersign');
  context.subscriptions.push(output, vscode.commands.registerCommand('countersign.checkCommand', () => checkCommandLine(output)));
}

export function deactivate(): void {
  engine = undefined;
}
