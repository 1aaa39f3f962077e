import { homedir, userInfo } from 'node:os';
import { delimiter, sep } from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import { loginShellKind, PROFILE_LINE, PROFILE_SCRIPT } from '../../core/shell/profileLine';
import { installProfileLine, profileLineStatus, removeProfileLine } from '../../node/shims/loginProfile';
import { type LoginShellCheck, loginShellLosesShims } from '../../node/shims/loginShell';
import type { Registry } from '../lateRegistry';
import { guardedShellEnv } from './terminalEnv';

/** Must match `contributes.commands` in package.json. */
export const KEEP_SHIMS_COMMAND = 'countersign.keepShimsInLoginShells';
const COMMAND_TITLE = 'Countersign: Keep the PATH Shims in Login Shells';

/** A login profile that takes longer than this is reported as not known to keep the shims. */
const CHECK_TIMEOUT_MS = 5_000;

const ADD = 'Add the Line';
const REMOVE = 'Remove the Line';
const FIX = 'Keep the Shims First…';

/** The shell agents start for their commands: the user's login shell (Codex's default), else $SHELL. */
function loginShell(): string {
  try {
    const shell = userInfo().shell;
    if (shell) return shell;
  } catch {
    // no passwd entry for this uid (some containers)
  }
  return process.env.SHELL || '/bin/sh';
}

/** The command that adds Countersign's line to the login profile, or, when it is there, removes it. */
export function registerLoginShellCommands(registry: Registry): vscode.Disposable {
  return registry.registerCommand(KEEP_SHIMS_COMMAND, () => toggleProfileLine(homedir(), loginShell()));
}

async function toggleProfileLine(home: string, shell: string): Promise<void> {
  if (process.platform === 'win32') {
    void vscode.window.showInformationMessage('Countersign: the PATH shims, and so this line, are Unix only.');
    return;
  }
  if (!loginShellKind(shell)) {
    void vscode.window.showWarningMessage(
      `Countersign: your login shell is ${shell}; Countersign adds its line only to the profiles of bash, zsh and sh. ` +
        `Put the shim folder ($COUNTERSIGN_SHIM_DIR) first on PATH at the end of that shell's login setup instead.`,
    );
    return;
  }
  try {
    const status = await profileLineStatus(home, shell);
    const file = shortPath(status.file, home);
    if (status.installed) {
      const choice = await vscode.window.showInformationMessage(
        `Countersign's line is in ${file}. Remove it?`,
        { modal: true, detail: `Login shells then keep whatever PATH the profile builds, and commands an agent runs through one may find the real tools before the PATH shims.\n\n${PROFILE_LINE}` },
        REMOVE,
      );
      if (choice !== REMOVE) return;
      const changed = await removeProfileLine(home, shell);
      void vscode.window.showInformationMessage(`Countersign: removed its line from ${changed.map((f) => shortPath(f, home)).join(', ') || file}.`);
      return;
    }
    const choice = await vscode.window.showWarningMessage(
      `Add this line to the end of ${file}?`,
      {
        modal: true,
        detail:
          `${PROFILE_LINE}\n\n` +
          `In a terminal of a VS Code window with Countersign, it puts the PATH shim folder first again after your login profile has rebuilt PATH ` +
          `(agents such as Codex run every command through a login shell). Anywhere else it does nothing. ` +
          `It sources ~/${PROFILE_SCRIPT}, which Countersign writes now. Run this command again to remove the line.`,
      },
      ADD,
    );
    if (choice !== ADD) return;
    await installProfileLine(home, shell);
    void vscode.window.showInformationMessage(
      `Countersign: added its line to ${file}. Terminals opened from now on keep the shims first in login shells; restart agents already running (Codex reads its login shell once, when it starts).`,
    );
  } catch (error) {
    void vscode.window.showErrorMessage(`Countersign: ${errorMessage(error)}`);
  }
}

export interface LoginShellWarningOptions {
  /** The folder the environment collection prepends to PATH. */
  readonly shimDir: string;
  /**
   * Exactly the variables the collection sets beside PATH (the gate's socket and token, and
   * COUNTERSIGN_SHIM_DIR = shimDir), so the login shell checked sees what a terminal's would.
   */
  readonly variables: Readonly<Record<string, string>>;
  readonly log: (message: string) => void;
}

/**
 * Starts a login shell with the environment a VS Code terminal gets and, when it does not keep the shim
 * folder first, warns with a button that runs the command. Resolves to a one-line banner for a terminal
 * to print, or undefined when login shells keep the shims.
 */
export async function warnIfLoginShellsLoseShims(options: LoginShellWarningOptions): Promise<string | undefined> {
  const shell = loginShell();
  const home = homedir();
  const env = guardedShellEnv(process.env, vscode.version, { PATH: `${options.shimDir}${delimiter}${process.env.PATH ?? ''}`, ...options.variables });
  let check: LoginShellCheck;
  try {
    check = await loginShellLosesShims(env, shell, CHECK_TIMEOUT_MS);
  } catch (error) {
    check = { losesShims: true, detail: `${shell} -l could not be checked (${errorMessage(error)})` };
  }
  options.log(`login shells: ${check.detail}`);
  if (!check.losesShims) return undefined;

  const installed = loginShellKind(shell) !== undefined && (await profileLineStatus(home, shell).catch(() => undefined))?.installed;
  const problem = `Countersign: ${check.detail}, so commands an agent runs through a login shell (Codex does) are not reviewed.`;
  if (installed) {
    void vscode.window.showWarningMessage(`${problem} Its line is in your login profile, but something that runs after it changes PATH: move the line to the very end.`);
    return `${problem} Move Countersign's line to the end of your login profile.`;
  }
  void vscode.window.showWarningMessage(problem, FIX).then((choice) => {
    if (choice === FIX) void vscode.commands.executeCommand(KEEP_SHIMS_COMMAND);
  });
  return `${problem} Run "${COMMAND_TITLE}".`;
}

/** `~/.profile` rather than the whole home path, in messages. */
function shortPath(file: string, home: string): string {
  return file.startsWith(home + sep) ? `~${file.slice(home.length)}` : file;
}
