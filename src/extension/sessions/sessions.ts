import * as vscode from 'vscode';
import type { Gate } from '../../core/gate/types';
import { Disposable, toDisposable } from '../../core/lifecycle';
import { SessionRecorder } from '../../core/sessions/recorder';
import { SessionLog } from '../../core/sessions/sessionLog';
import type { GuardedPseudoterminal } from '../terminal/guardedTerminal';
import type { Registry } from '../lateRegistry';
import type { StoredBackup } from '../../node/backup/backupIndex';
import { SessionDocuments } from './sessionDocuments';
import { SessionView } from './sessionView';

/** Must match `contributes.views.countersign` and `contributes.commands` in package.json. */
export const SESSIONS_VIEW = 'countersign.sessions';
export const OPEN_SESSION_COMMAND = 'countersign.openSessionCommand';

/** How long a burst of changes (a command's output streaming in) may go before the view and open documents redraw. */
const REFRESH_MS = 150;

export interface SessionsDeps {
  readonly gate: Gate;
  /** The guarded terminal behind a VS Code terminal, if it is one. */
  readonly guardedTerminal: (terminal: vscode.Terminal) => GuardedPseudoterminal | undefined;
  /** Reveals the review panel, where a command still waiting is decided. */
  readonly showReviewCommand: string;
  /** Told each exit code matched to a gated request (the audit records it). */
  readonly onExit?: (id: string, exitCode: number) => void;
  readonly registry: Registry;
  /** Verified backups, listed in the view with their Restore action. */
  readonly backups: () => readonly StoredBackup[];
}

/**
 * The session review: records every gated command (from the gate), each guarded terminal's output
 * and the exit codes VS Code's shell integration reports there, and shows them in the Sessions view
 * and as read-only documents.
 */
export class Sessions extends Disposable {
  readonly log = new SessionLog();
  readonly view: SessionView;
  private readonly recorder = this._register(new SessionRecorder(this.log));
  private readonly documents = this._register(new SessionDocuments(this.log));
  /** Guarded terminals whose output is tapped, with the name their requests carry. */
  private readonly taps = new Map<vscode.Terminal, { readonly name: string; readonly subscription: vscode.Disposable }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: SessionsDeps) {
    super();
    this.view = this._register(new SessionView(SESSIONS_VIEW, this.log, OPEN_SESSION_COMMAND, deps.backups));
    this.recorder.follow(deps.gate);
    this._register(this.log.onDidChange(() => this.scheduleRefresh()));
    this._register(toDisposable(() => clearTimeout(this.timer)));
    this._register(toDisposable(() => [...this.taps.keys()].forEach((terminal) => this.untap(terminal))));
    for (const terminal of vscode.window.terminals) this.tap(terminal);
    this._register(vscode.window.onDidOpenTerminal((terminal) => this.tap(terminal)));
    this._register(vscode.window.onDidCloseTerminal((terminal) => this.untap(terminal)));
    this._register(
      vscode.window.onDidEndTerminalShellExecution((e) => {
        const tap = this.taps.get(e.terminal);
        if (tap && e.exitCode !== undefined) this.ended(this.recorder.commandEnded(tap.name, { commandLine: e.execution.commandLine.value }, e.exitCode), e.exitCode);
      }),
    );
    this._register(deps.registry.registerCommand(OPEN_SESSION_COMMAND, (id: unknown) => this.open(id)));
  }

  /** A decided command opens as a document; one still waiting brings its card forward in the review panel. */
  async open(id: unknown): Promise<vscode.TextDocument | undefined> {
    const entry = typeof id === 'string' ? this.log.get(id) : undefined;
    if (!entry) {
      void vscode.window.showInformationMessage('Countersign: that command is no longer in the session log.');
      return undefined;
    }
    if (!entry.decision) {
      await vscode.commands.executeCommand(this.deps.showReviewCommand);
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(SessionDocuments.uriFor(entry));
    await vscode.window.showTextDocument(document, { preview: true });
    return document;
  }

  private tap(terminal: vscode.Terminal): void {
    const pty = this.deps.guardedTerminal(terminal);
    if (!pty || this.taps.has(terminal)) return;
    const name = pty.name;
    const subscription = vscode.Disposable.from(
      pty.onDidWrite((data) => this.recorder.terminalOutput(name, data)),
      // Our shell reports each line's status itself; VS Code's report (above) is matched by its text, which a key pressed during a pause can change.
      pty.onDidEndLine(({ id, exitCode }) => this.ended(this.recorder.commandEnded(name, { id }, exitCode), exitCode)),
    );
    this.taps.set(terminal, { name, subscription });
  }

  /** The first report of a command's end sets its exit code (a later one finds it set and returns no id). */
  private ended(id: string | undefined, exitCode: number): void {
    if (id) this.deps.onExit?.(id, exitCode);
  }

  private untap(terminal: vscode.Terminal): void {
    const tap = this.taps.get(terminal);
    if (!tap) return;
    this.taps.delete(terminal);
    tap.subscription.dispose();
    this.recorder.terminalClosed(tap.name);
  }

  private scheduleRefresh(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.view.refresh();
      this.documents.refresh();
    }, REFRESH_MS);
  }
}
