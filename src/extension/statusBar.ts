import * as vscode from 'vscode';

export interface StatusCounts {
  readonly paused: number;
  readonly swaps: number;
}

/**
 * Always visible: the guard is on, how many commands wait, and whether a state file was swapped.
 * A click opens the review panel.
 */
export class CountersignStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('countersign.status', vscode.StatusBarAlignment.Left, 100);

  constructor(command: string) {
    this.item.name = 'Countersign';
    this.item.command = command;
    this.update({ paused: 0, swaps: 0 });
    this.item.show();
  }

  update({ paused, swaps }: StatusCounts): void {
    const parts = [
      swaps > 0 ? `$(warning) state swap${swaps > 1 ? ` ×${swaps}` : ''}` : undefined,
      paused > 0 ? `$(debug-pause) ${paused} paused` : undefined,
    ].filter(Boolean);
    this.item.text = parts.length > 0 ? `$(shield) ${parts.join(' ')}` : '$(shield) Countersign';
    this.item.tooltip =
      parts.length > 0
        ? `Countersign: ${paused} command${paused === 1 ? '' : 's'} waiting for review${swaps > 0 ? `, ${swaps} state swap${swaps === 1 ? '' : 's'} to review` : ''}. Click to review.`
        : 'Countersign is armed: destructive commands wait for your review.';
    this.item.backgroundColor =
      swaps > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : paused > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
