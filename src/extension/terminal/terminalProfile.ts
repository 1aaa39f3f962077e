import * as vscode from 'vscode';
import { NEW_GUARDED_TERMINAL_COMMAND, PROFILE_ID } from '../ids';
import type { Registry } from '../lateRegistry';
import { terminalOsKey } from '../settings';
import { GuardedTerminalRequest, GuardedTerminals } from './terminals';

/** VS Code matches `terminal.integrated.defaultProfile.<os>` against a contributed profile's title. */
export const PROFILE_TITLE = 'Countersign: guarded shell';

const ICON = new vscode.ThemeIcon('shield');

/** The profile, and the commands that open a guarded terminal, make it the default and toggle dry run. */
export function registerGuardedTerminalCommands(registry: Registry, terminals: GuardedTerminals): vscode.Disposable[] {
  return [
    registry.registerTerminalProfileProvider(PROFILE_ID, {
      provideTerminalProfile() {
        const pty = terminals.create();
        return new vscode.TerminalProfile({ name: pty.name, pty, iconPath: ICON });
      },
    }),
    registry.registerCommand(NEW_GUARDED_TERMINAL_COMMAND, (request?: unknown) => showGuardedTerminal(terminals, asTerminalRequest(request))),
    registry.registerCommand('countersign.makeGuardedShellDefault', makeGuardedShellDefault),
    registry.registerCommand('countersign.toggleDryRun', (terminal?: vscode.Terminal) => {
      const pty = terminals.forTerminal(terminal ?? vscode.window.activeTerminal);
      if (!pty) {
        void vscode.window.showInformationMessage('Countersign: the active terminal is not a guarded terminal.');
        return;
      }
      pty.dryRun = !pty.dryRun;
      void vscode.window.showInformationMessage(
        pty.dryRun ? `Countersign: dry run in ${pty.name}. Approved lines are not run.` : `Countersign: ${pty.name} runs approved lines again.`,
      );
    }),
  ];
}

/** Opens a guarded terminal in the panel and shows it. */
export function showGuardedTerminal(terminals: GuardedTerminals, request: GuardedTerminalRequest): vscode.Terminal {
  const pty = terminals.create(request);
  const terminal = vscode.window.createTerminal({ name: pty.name, pty, iconPath: ICON });
  terminal.show();
  return terminal;
}

/** Callers (other extensions, tests, keybindings) may pass `{ cwd, env }`; anything else is ignored. */
function asTerminalRequest(value: unknown): GuardedTerminalRequest {
  if (typeof value !== 'object' || value === null) return {};
  const { cwd, env } = value as Record<string, unknown>;
  return {
    cwd: typeof cwd === 'string' ? cwd : undefined,
    env: typeof env === 'object' && env !== null ? (env as GuardedTerminalRequest['env']) : undefined,
  };
}

/**
 * Writes the user-level default profile for this OS. It applies to terminals VS Code opens (the +
 * button, Ctrl+Shift+`, Terminal: Create New Terminal); VS Code does not apply a contributed default
 * profile to terminals that extensions create themselves.
 */
async function makeGuardedShellDefault(): Promise<void> {
  const key = `defaultProfile.${terminalOsKey()}`;
  await vscode.workspace.getConfiguration('terminal.integrated').update(key, PROFILE_TITLE, vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(`Countersign: new terminals now open as "${PROFILE_TITLE}" (terminal.integrated.${key}).`);
}
