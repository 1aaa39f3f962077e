import * as vscode from 'vscode';
import { agentCliOfProcess } from '../../core/agents/agentCli';
import { processArgv } from '../../node/processEnvironment';
import { ancestorsOf } from '../../node/processTree';
import type { ProcessOrigin } from '../../node/socket/gateServer';

/**
 * Where a shim's process comes from, for the card: the guarded terminal (and line) when it runs under
 * one, else the VS Code terminal whose shell it descends from, and the agent CLI among its ancestors
 * (Claude Code, Codex, Gemini CLI, opencode…). Shown to the person; it grants nothing.
 */
export class ProcessOrigins implements vscode.Disposable {
  /** Each plain terminal's shell, by pid (a guarded terminal's pseudoterminal has none). */
  private readonly shells = new Map<number, vscode.Terminal>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly guardedOrigin: ProcessOrigin) {
    for (const terminal of vscode.window.terminals) void this.track(terminal);
    this.subscriptions = [
      vscode.window.onDidOpenTerminal((terminal) => void this.track(terminal)),
      vscode.window.onDidCloseTerminal((terminal) => {
        for (const [pid, known] of this.shells) if (known === terminal) this.shells.delete(pid);
      }),
    ];
  }

  readonly originOf: ProcessOrigin = (pid) => {
    const chain = ancestorsOf(pid);
    const guarded = this.guardedOrigin(pid);
    const shell = chain.find((ancestor) => this.shells.has(ancestor));
    const terminal = guarded?.terminal ?? (shell !== undefined ? this.shells.get(shell)?.name : undefined);
    const agent = chain.slice(1).map((ancestor) => agentCliOfProcess(processArgv(ancestor))).find((found) => found !== undefined)?.name;
    if (terminal === undefined && agent === undefined) return undefined;
    return { ...guarded, ...(terminal !== undefined ? { terminal } : {}), ...(agent !== undefined ? { agent } : {}) };
  };

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.shells.clear();
  }

  private async track(terminal: vscode.Terminal): Promise<void> {
    const pid = await terminal.processId;
    if (pid !== undefined && vscode.window.terminals.includes(terminal)) this.shells.set(pid, terminal);
  }
}
