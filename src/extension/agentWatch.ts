import * as vscode from 'vscode';
import { type AgentCli, agentCliInLine } from '../core/agents/agentCli';
import { agentDoor } from '../core/agents/agentDoor';
import { errorMessage } from '../core/errorMessage';
import type { BashParser } from '../core/shell/syntax';
import { agentTerminalFacts } from '../node/agents/agentTerminal';

/** An agent CLI running in a terminal that has no live door. */
export interface UnguardedAgent {
  readonly agent: AgentCli;
  readonly terminal: vscode.Terminal;
  readonly reason: string;
}

export interface AgentWatchDeps {
  readonly parser: BashParser;
  readonly isGuarded: (terminal: vscode.Terminal) => boolean;
  readonly workspaceFolder: () => string;
  /** This window's gate socket, once the socket door is open. */
  readonly windowGateSocket: () => string | undefined;
  readonly log: (message: string) => void;
}

/**
 * Watches what VS Code's shell integration reports starting in terminals: an agent CLI (Claude Code,
 * Codex, …) started where no door is live is listed until it ends or its terminal closes, so the
 * status bar can warn while it runs. A terminal without shell integration reports nothing: the
 * doctor ("Check Protection") covers it.
 */
export class AgentWatch implements vscode.Disposable {
  private readonly unguarded = new Map<vscode.TerminalShellExecution, UnguardedAgent>();
  private readonly ended = new WeakSet<vscode.TerminalShellExecution>();
  private readonly changed = new vscode.EventEmitter<readonly UnguardedAgent[]>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly deps: AgentWatchDeps) {
    this.subscriptions = [
      this.changed,
      vscode.window.onDidStartTerminalShellExecution((e) => {
        this.started(e.terminal, e.execution).catch((error: unknown) => deps.log(`could not read a command started in "${e.terminal.name}" for an agent: ${errorMessage(error)}`));
      }),
      vscode.window.onDidEndTerminalShellExecution((e) => {
        this.ended.add(e.execution);
        if (this.unguarded.delete(e.execution)) this.fire();
      }),
      vscode.window.onDidCloseTerminal((terminal) => {
        const gone = [...this.unguarded].filter(([, entry]) => entry.terminal === terminal);
        for (const [execution] of gone) this.unguarded.delete(execution);
        if (gone.length > 0) this.fire();
      }),
    ];
  }

  list(): readonly UnguardedAgent[] {
    return [...this.unguarded.values()];
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.unguarded.clear();
  }

  private async started(terminal: vscode.Terminal, execution: vscode.TerminalShellExecution): Promise<void> {
    const agent = agentCliInLine(this.deps.parser, execution.commandLine.value);
    if (!agent) return;
    let reason: string;
    try {
      const facts = await agentTerminalFacts(agent, {
        name: terminal.name,
        shellPid: await terminal.processId,
        guarded: this.deps.isGuarded(terminal),
        folder: this.deps.workspaceFolder(),
        windowGateSocket: this.deps.windowGateSocket(),
      });
      const verdict = agentDoor(agent, facts);
      if (verdict.live) {
        this.deps.log(`${agent.name} started in "${terminal.name}": its door is the ${verdict.door}`);
        return;
      }
      reason = verdict.reason;
    } catch (error) {
      // A door nobody could vouch for is no door.
      reason = `${agent.name} started in "${terminal.name}", and whether a door is live there could not be told: ${errorMessage(error)}`;
    }
    this.deps.log(reason);
    if (this.ended.has(execution)) return;
    this.unguarded.set(execution, { agent, terminal, reason });
    this.fire();
  }

  private fire(): void {
    this.changed.fire(this.list());
  }
}
