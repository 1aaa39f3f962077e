import { dirname } from 'node:path';
import * as vscode from 'vscode';

/** Editors and terraform write a file in several steps: one change per folder is reported once they settle. */
const SETTLE_MS = 300;

/**
 * Fires with the folder whose terraform configuration (`*.tf`, `*.tf.json`), variables files
 * (`*.tfvars`, `*.tfvars.json`) or workspace selection (`.terraform/environment`) changed in the
 * workspace: a plan previewed there before no longer shows what the command would do.
 */
export function watchTerraformConfiguration(listener: (dir: string) => void): vscode.Disposable {
  const timers = new Map<string, NodeJS.Timeout>();
  const changed = (dir: string): void => {
    clearTimeout(timers.get(dir));
    timers.set(
      dir,
      setTimeout(() => {
        timers.delete(dir);
        listener(dir);
      }, SETTLE_MS),
    );
  };
  const files = vscode.workspace.createFileSystemWatcher('**/*.{tf,tf.json,tfvars,tfvars.json}');
  const workspace = vscode.workspace.createFileSystemWatcher('**/.terraform/environment');
  const inFolder = (uri: vscode.Uri): void => changed(dirname(uri.fsPath));
  const selection = (uri: vscode.Uri): void => changed(dirname(dirname(uri.fsPath)));
  const disposables = [
    files,
    workspace,
    ...[files.onDidChange, files.onDidCreate, files.onDidDelete].map((event) => event(inFolder)),
    ...[workspace.onDidChange, workspace.onDidCreate, workspace.onDidDelete].map((event) => event(selection)),
  ];
  return new vscode.Disposable(() => {
    for (const timer of timers.values()) clearTimeout(timer);
    for (const d of disposables) d.dispose();
  });
}
