import * as vscode from 'vscode';

/** The `countersign.*` settings, read fresh each time: a change applies to the next terminal. */
export interface CountersignSettings {
  /** Default for new guarded terminals: paused lines are reviewed, and an approval does not run them. */
  readonly dryRun: boolean;
  /** Adds the DEBUG-trap layer behind the Enter hook in new guarded terminals. */
  readonly strictMode: boolean;
}

export function readSettings(): CountersignSettings {
  const config = vscode.workspace.getConfiguration('countersign');
  return { dryRun: config.get<boolean>('dryRun', false), strictMode: config.get<boolean>('strictMode', false) };
}

/** VS Code's key for this OS in `terminal.integrated.*.<os>` settings. */
export function terminalOsKey(): 'linux' | 'osx' | 'windows' {
  if (process.platform === 'darwin') return 'osx';
  return process.platform === 'win32' ? 'windows' : 'linux';
}

/** `terminal.integrated.env.<os>`: the user's additions to every terminal's environment (null unsets). */
export function terminalEnvSetting(): Record<string, string | null> {
  return vscode.workspace.getConfiguration('terminal.integrated').get<Record<string, string | null>>(`env.${terminalOsKey()}`) ?? {};
}
