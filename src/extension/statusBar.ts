import * as vscode from 'vscode';

export interface StatusCounts {
  readonly paused: number;
  readonly swaps: number;
  /** The kill switch is on. */
  readonly killed: boolean;
}

/** The commands the item runs or links to. */
export interface StatusCommands {
  /** Run by a click while armed. */
  readonly engage: string;
  /** Run by a click while killed (it asks first). */
  readonly rearm: string;
  /** Linked from the tooltip. */
  readonly review: string;
  /** Linked from the tooltip while an agent runs with no live door. */
  readonly checkProtection: string;
  readonly newGuardedTerminal: string;
}

/** An agent CLI running in a terminal with no live door (extension/agentWatch.ts). */
export interface UnguardedAgentNote {
  readonly agent: string;
  readonly terminal: string;
}

const KEYBINDING = process.platform === 'darwin' ? '⌘⌥K' : 'Ctrl+Alt+K';

/**
 * Always visible: armed (with what waits for review and any state swap) or KILLED. It is the kill
 * switch's button: a click while armed engages it at once; a click while killed asks to re-arm.
 * Review is one click away in the tooltip and the Countersign view.
 */
export class CountersignStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('countersign.status', vscode.StatusBarAlignment.Left, 100);
  private counts: StatusCounts = { paused: 0, swaps: 0, killed: false };
  private unguarded: readonly UnguardedAgentNote[] = [];

  constructor(private readonly commands: StatusCommands) {
    this.item.name = 'Countersign';
    this.render();
    this.item.show();
  }

  /** What the item reads (tests read it: the item itself cannot be read back through the API). */
  get text(): string {
    return this.item.text;
  }

  update(counts: StatusCounts): void {
    this.counts = counts;
    this.render();
  }

  /** Agents running where no door is live: the item warns for as long as one runs. */
  warnUnguarded(agents: readonly UnguardedAgentNote[]): void {
    this.unguarded = agents;
    this.render();
  }

  private render(): void {
    const { paused, swaps, killed } = this.counts;
    const unguarded = this.unguarded;
    const waiting = [
      unguarded.length > 0 ? `$(warning) ${unguarded.length === 1 ? `${unguarded[0].agent} unguarded` : `${unguarded.length} agents unguarded`}` : undefined,
      swaps > 0 ? `$(warning) state swap${swaps > 1 ? ` ×${swaps}` : ''}` : undefined,
      paused > 0 ? `$(debug-pause) ${paused} paused` : undefined,
    ].filter(Boolean);
    const review = `[Open the review panel](command:${this.commands.review})`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = { enabledCommands: [this.commands.review, this.commands.checkProtection, this.commands.newGuardedTerminal] };
    if (unguarded.length > 0) {
      tooltip.appendMarkdown(
        unguarded.map((u) => `**${u.agent} runs in "${u.terminal}" with no live door:** what it runs there is not checked.`).join('\n\n') +
          `\n\n[Check Protection](command:${this.commands.checkProtection}) · [New Guarded Terminal](command:${this.commands.newGuardedTerminal})\n\n---\n\n`,
      );
    }
    if (killed) {
      this.item.text = '$(circle-slash) KILLED';
      this.item.command = this.commands.rearm;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      tooltip.appendMarkdown(
        '**Countersign: the kill switch is on.** Every command from every door is refused and guarded terminals drop their input.\n\n' +
          `Click to re-arm (you are asked to confirm). ${review}`,
      );
    } else {
      this.item.text = ['$(shield) Countersign', ...waiting].join(' ');
      this.item.command = this.commands.engage;
      this.item.backgroundColor =
        swaps > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : paused > 0 || unguarded.length > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      const state =
        paused > 0 || swaps > 0
          ? `${paused} command${paused === 1 ? '' : 's'} waiting for review${swaps > 0 ? `, ${swaps} state swap${swaps === 1 ? '' : 's'} to review` : ''}`
          : 'destructive commands wait for your review';
      tooltip.appendMarkdown(
        `**Countersign is armed:** ${state}. ${review} (or the Countersign view: Waiting for review).\n\n` +
          `Click here (or ${KEYBINDING}) to engage the **kill switch**: deny everything waiting, freeze the guarded terminals, stop what runs in them, and refuse every command until you re-arm.`,
      );
    }
    this.item.tooltip = tooltip;
  }

  /** The runtime did not start: nothing is guarded, and the item says so until the window reloads. */
  failed(reason: string): void {
    this.item.text = '$(error) Countersign: not running';
    this.item.command = undefined;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    this.item.tooltip = `Countersign could not start, so nothing is guarded in this window: ${reason}. The Countersign output channel has the details.`;
  }

  dispose(): void {
    this.item.dispose();
  }
}
