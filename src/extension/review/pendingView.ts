import * as vscode from 'vscode';
import type { Card } from '../../core/review/protocol';

/**
 * The activity-bar list of what waits for review. Its badge carries the pending count; selecting an
 * entry opens the review panel, where the decision is made.
 */
export class PendingView implements vscode.TreeDataProvider<Card>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Card>;
  private cards: readonly Card[] = [];

  constructor(
    viewId: string,
    private readonly openCommand: string,
  ) {
    this.view = vscode.window.createTreeView(viewId, { treeDataProvider: this });
  }

  update(cards: readonly Card[]): void {
    this.cards = cards;
    this.view.badge = cards.length > 0 ? { value: cards.length, tooltip: `${cards.length} waiting for your review` } : undefined;
    this.changed.fire();
  }

  getChildren(element?: Card): Card[] {
    return element ? [] : [...this.cards];
  }

  getTreeItem(card: Card): vscode.TreeItem {
    const item = new vscode.TreeItem(card.kind === 'request' ? card.command : `State swap: ${card.path}`);
    item.id = card.id;
    item.description = card.kind === 'request' ? [card.severity, card.terminal].filter(Boolean).join(' · ') : card.reasons[0];
    item.iconPath = new vscode.ThemeIcon(card.kind === 'request' ? 'debug-pause' : 'warning');
    item.command = { command: this.openCommand, title: 'Review' };
    return item;
  }

  dispose(): void {
    this.view.dispose();
    this.changed.dispose();
  }
}
