import * as vscode from 'vscode';
import type { TerminalFacts } from '../core/doctor/facts';
import { formatReport, verdictLine } from '../core/doctor/format';
import { deadDoors, type DoctorReport } from '../core/doctor/judge';
import { errorMessage } from '../core/errorMessage';
import { runDoctor } from '../node/doctor/doctor';
import { CHECK_PROTECTION_COMMAND } from './ids';
import type { Registry } from './lateRegistry';
import type { GuardedTerminals } from './terminal/terminals';

export interface DoctorDeps {
  readonly context: vscode.ExtensionContext;
  readonly terminals: GuardedTerminals;
  readonly output: vscode.OutputChannel;
  readonly workspaceFolder: () => string;
}

/**
 * "Countersign: Check Protection": the doctor's report for the workspace folder and the active
 * terminal, in the output channel, with a warning when a door is dead. Returns the report.
 */
export function registerDoctorCommand(registry: Registry, deps: DoctorDeps): vscode.Disposable {
  return registry.registerCommand(CHECK_PROTECTION_COMMAND, () => checkProtection(deps));
}

async function checkProtection(deps: DoctorDeps): Promise<DoctorReport | undefined> {
  const { env, terminal } = activeTerminal(deps);
  let report: DoctorReport;
  try {
    report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Countersign: checking protection' }, () =>
      runDoctor({ folder: deps.workspaceFolder(), env, terminal }),
    );
  } catch (error) {
    void vscode.window.showErrorMessage(`Countersign: the protection check failed: ${errorMessage(error)}`);
    return undefined;
  }
  deps.output.appendLine(formatReport(report));
  deps.output.show(true);
  if (deadDoors(report).length > 0) void vscode.window.showWarningMessage(`Countersign: ${verdictLine(report)} See the Countersign output for what to do.`);
  return report;
}

/** The active terminal's environment and kind: a guarded one's own, else what VS Code gives its terminals (this window's environment collection). */
function activeTerminal(deps: DoctorDeps): { env: Record<string, string | undefined>; terminal: TerminalFacts } {
  const active = vscode.window.activeTerminal;
  const guarded = deps.terminals.forTerminal(active);
  if (guarded) return { env: guarded.env, terminal: { kind: 'guarded', name: guarded.name } };
  return { env: terminalEnvironment(deps.context.environmentVariableCollection), terminal: { kind: 'plain', vscode: active !== undefined } };
}

/** The extension host's environment with this window's changes for terminals applied, as a new VS Code terminal gets it. */
function terminalEnvironment(collection: vscode.EnvironmentVariableCollection): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  collection.forEach((name, mutator) => {
    const current = env[name] ?? '';
    if (mutator.type === vscode.EnvironmentVariableMutatorType.Prepend) env[name] = mutator.value + current;
    else if (mutator.type === vscode.EnvironmentVariableMutatorType.Append) env[name] = current + mutator.value;
    else env[name] = mutator.value;
  });
  return env;
}
