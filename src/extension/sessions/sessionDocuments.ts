import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import { renderCommand, shownCommand } from '../../core/sessions/describe';
import type { CommandEntry, SessionLog } from '../../core/sessions/sessionLog';

export const SESSION_SCHEME = 'countersign-session';

/** Tab titles are the command, made safe for a path. */
const TITLE_WIDTH = 60;

/**
 * Read-only documents for session commands (a virtual scheme is read-only in VS Code). An open
 * document follows its command: when an exit code or more output arrives, `refresh` redraws it.
 */
export class SessionDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  /** What each open document last showed, by URI: entries are replaced on change, so identity says whether to redraw. */
  private readonly shown = new Map<string, CommandEntry | undefined>();

  constructor(private readonly log: SessionLog) {
    super();
    this._register(vscode.workspace.registerTextDocumentContentProvider(SESSION_SCHEME, this));
    this._register(vscode.workspace.onDidCloseTextDocument((document) => this.shown.delete(document.uri.toString())));
  }

  /** The log changed: redraws the open documents whose command did. */
  refresh(): void {
    for (const [key, entry] of this.shown) {
      const uri = vscode.Uri.parse(key);
      if (this.log.get(uri.query) !== entry) this.changed.fire(uri);
    }
  }

  static uriFor(entry: CommandEntry): vscode.Uri {
    const title = shownCommand(entry).trim().split('\n')[0].replace(/[^\w.@%+=:,-]+/g, '_').slice(0, TITLE_WIDTH) || 'command';
    return vscode.Uri.from({ scheme: SESSION_SCHEME, path: `/${title}.log`, query: entry.id });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const entry = this.log.get(uri.query);
    this.shown.set(uri.toString(), entry);
    return entry ? renderCommand(entry) : 'This command is no longer in the session log, which keeps the latest 500 commands of the latest 50 sessions.\n';
  }
}
