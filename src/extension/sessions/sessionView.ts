import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import { findingsSummary, outcomeOf, shownCommand, summaryOf, type Outcome } from '../../core/sessions/describe';
import type { CommandEntry, Door, SessionInfo, SessionLog } from '../../core/sessions/sessionLog';
import { oneLine } from '../../core/oneLine';
import { describeTarget } from '../../core/backup/dataTarget';
import type { StoredBackup } from '../../node/backup/backupIndex';
import { describeStored, restorePhrase } from './backupRestore';

export type SessionNode =
  | { readonly kind: 'session'; readonly session: SessionInfo }
  | { readonly kind: 'command'; readonly entry: CommandEntry }
  | { readonly kind: 'backups' }
  | { readonly kind: 'backup'; readonly backup: StoredBackup };

const DOOR_ICON: Record<Door, string> = { terminal: 'terminal', shim: 'plug', hook: 'hubot' };

const OUTCOME_ICON: Record<Outcome, vscode.ThemeIcon> = {
  waiting: new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('editorWarning.foreground')),
  ran: new vscode.ThemeIcon('play'),
  succeeded: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  cancelled: new vscode.ThemeIcon('circle-slash'),
};

/** A command as a tree label: its first line, shortened (the document has it all). */
const LABEL_WIDTH = 120;

/**
 * The activity-bar "Sessions" view: each guarded terminal, shim and agent hook, newest activity
 * first, and under it the commands it sent, newest first, with verdict, decision and exit code.
 * Selecting a command runs `openCommand` with its id.
 */
export class SessionView extends Disposable implements vscode.TreeDataProvider<SessionNode> {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    viewId: string,
    private readonly log: SessionLog,
    private readonly openCommand: string,
    /** Verified backups Back up first made, newest first; listed under "Backups" with their Restore action. */
    private readonly backups: () => readonly StoredBackup[],
  ) {
    super();
    this._register(vscode.window.createTreeView(viewId, { treeDataProvider: this }));
  }

  refresh(): void {
    this.changed.fire();
  }

  getChildren(node?: SessionNode): SessionNode[] {
    if (!node) {
      const sessions = this.log.sessions().map((session): SessionNode => ({ kind: 'session', session }));
      return this.backups().length > 0 ? [{ kind: 'backups' }, ...sessions] : sessions;
    }
    if (node.kind === 'backups') return this.backups().map((backup) => ({ kind: 'backup', backup }));
    if (node.kind !== 'session') return [];
    return this.log.commands(node.session.key).map((entry) => ({ kind: 'command', entry }));
  }

  getTreeItem(node: SessionNode): vscode.TreeItem {
    if (node.kind === 'backups') {
      const item = new vscode.TreeItem('Backups', vscode.TreeItemCollapsibleState.Expanded);
      item.id = 'backups';
      item.iconPath = new vscode.ThemeIcon('archive');
      return item;
    }
    if (node.kind === 'backup') {
      const { backup } = node;
      const item = new vscode.TreeItem(describeTarget(backup.backup.target));
      item.id = `backup:${backup.id}`;
      item.description = describeStored(backup);
      item.tooltip = `${describeStored(backup)}\n${backup.backup.file}\nMade before: ${backup.command}\nRestore asks you to type ${restorePhrase(backup)}.`;
      item.iconPath = new vscode.ThemeIcon('database');
      item.contextValue = 'countersign.backup';
      return item;
    }
    if (node.kind === 'session') {
      const { session } = node;
      const item = new vscode.TreeItem(session.name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `session:${session.key}`;
      item.description = `${session.count} ${session.count === 1 ? 'command' : 'commands'}`;
      item.iconPath = new vscode.ThemeIcon(DOOR_ICON[session.door]);
      item.contextValue = `countersign.session.${session.door}`;
      return item;
    }
    const { entry } = node;
    const item = new vscode.TreeItem(oneLine(shownCommand(entry), LABEL_WIDTH));
    item.id = `command:${entry.id}`;
    item.description = summaryOf(entry);
    item.iconPath = OUTCOME_ICON[outcomeOf(entry)];
    item.tooltip = [shownCommand(entry), summaryOf(entry), findingsSummary(entry)].filter(Boolean).join('\n\n');
    item.command = { command: this.openCommand, title: 'Open', arguments: [entry.id] };
    item.contextValue = `countersign.command.${outcomeOf(entry)}`;
    return item;
  }
}

