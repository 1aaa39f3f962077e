import * as vscode from 'vscode';
import type { Engine } from '../core';
import { nodeFileReader } from '../node/fileReader';

/** Asks for a command line and shows the engine's verdict, without running anything. */
export async function checkCommandLine(engine: Engine, cwd: string, output: vscode.OutputChannel): Promise<void> {
  const line = await vscode.window.showInputBox({ prompt: 'Command line to check', placeHolder: 'terraform destroy -auto-approve' });
  if (!line) return;
  const verdict = engine.check(line, { cwd, reader: nodeFileReader });
  output.appendLine(`${verdict.verdict.toUpperCase()} ${line}`);
  for (const f of verdict.findings) output.appendLine(`  ${f.ruleId} [${f.severity}] ${f.title} — ${f.command}`);
  const summary = verdict.verdict === 'allow' ? 'would run' : `would pause (${verdict.severity}): ${verdict.findings.map((f) => f.title).join('; ')}`;
  void vscode.window.showInformationMessage(`Countersign: ${line} ${summary}`);
}
