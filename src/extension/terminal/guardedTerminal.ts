import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import { DisposableStore, toDisposable } from '../../core/lifecycle';
import { startGuardedShell } from '../../node/pty/guardedShell';
import type { GuardedShell, GuardedShellOptions } from '../../node/pty/guardedShell';
import { modeBanner } from '../../node/pty/banners';
import type { ForegroundStop } from '../../node/pty/stopForeground';

export type GuardedTerminalOptions = Omit<GuardedShellOptions, 'cols' | 'rows'> & {
  /** Said once when the terminal opens. */
  readonly notice?: string;
};

/** VS Code opens a pseudoterminal before it knows the panel's size only in unusual layouts. */
const FALLBACK_SIZE: vscode.TerminalDimensions = { columns: 80, rows: 24 };

/**
 * The VS Code side of a guarded terminal: VS Code draws and forwards keys; the guarded shell (a pty
 * proxy in src/node) decides what reaches the shell. The tab's name says when the terminal has fallen
 * back to line discipline and when it is in dry-run mode.
 */
export class GuardedPseudoterminal implements vscode.Pseudoterminal {
  /** This terminal's events and, once open, its shell and the subscriptions to it: close() ends them all. */
  private readonly disposables = new DisposableStore();
  private readonly written = this.disposables.add(new vscode.EventEmitter<string>());
  private readonly closed = this.disposables.add(new vscode.EventEmitter<number | void>());
  private readonly renamed = this.disposables.add(new vscode.EventEmitter<string>());
  private readonly lineEnded = this.disposables.add(new vscode.EventEmitter<{ id: string; exitCode: number }>());
  readonly onDidWrite = this.written.event;
  /** A line the gate let through ended, with its exit status (the gate's request id). */
  readonly onDidEndLine = this.lineEnded.event;
  readonly onDidClose = this.closed.event;
  readonly onDidChangeName = this.renamed.event;

  private shell: GuardedShell | undefined;
  private dryRunMode: boolean;
  private frozen = false;

  constructor(
    private readonly options: GuardedTerminalOptions,
    dryRun: boolean,
  ) {
    this.dryRunMode = dryRun;
  }

  /** The name the gate's requests carry; the tab may add a state to it. */
  get name(): string {
    return this.options.terminalName;
  }

  /** The environment the shell started with (exports typed later in the shell are not seen here). */
  get env(): Readonly<Record<string, string>> {
    return this.options.env;
  }

  get dryRun(): boolean {
    return this.dryRunMode;
  }

  /** The shell's process id once it runs: the execs of the lines it runs descend from it. */
  get shellPid(): number | undefined {
    return this.shell?.pid;
  }

  /** The line the shell runs now, for the card of an exec it starts. */
  get runningLine(): string | undefined {
    return this.shell?.runningLine;
  }

  set dryRun(value: boolean) {
    this.dryRunMode = value;
    this.renamed.fire(this.tabName());
  }

  open(dimensions: vscode.TerminalDimensions | undefined): void {
    const size = dimensions ?? FALLBACK_SIZE;
    let shell: GuardedShell;
    try {
      shell = startGuardedShell({ ...this.options, cols: size.columns, rows: size.rows });
    } catch (error) {
      this.written.fire(`Countersign could not start the guarded shell: ${errorMessage(error)}\r\n`);
      this.closed.fire(1);
      return;
    }
    this.shell = shell;
    if (this.options.notice) this.written.fire(modeBanner(this.options.notice));
    this.disposables.add(shell.onData((data) => this.written.fire(data)));
    this.disposables.add(shell.onExit(({ exitCode }) => this.closed.fire(exitCode)));
    this.disposables.add(shell.onModeChange(() => this.renamed.fire(this.tabName())));
    this.disposables.add(shell.onLineEnd((e) => this.lineEnded.fire(e)));
    this.disposables.add(toDisposable(() => shell.kill()));
    if (this.frozen) shell.freeze();
    if (shell.mode === 'fallback' || this.dryRunMode) this.renamed.fire(this.tabName());
  }

  handleInput(data: string): void {
    this.shell?.write(data);
  }

  /** Kill switch: input is dropped until unfreeze(), also for a shell that has not started yet. */
  freeze(): void {
    this.frozen = true;
    this.shell?.freeze();
  }

  unfreeze(): void {
    this.frozen = false;
    this.shell?.unfreeze();
  }

  /** Kill switch: stops what runs in the foreground (see GuardedShell.stopForeground). */
  stopForeground(): Promise<ForegroundStop> {
    return this.shell?.stopForeground() ?? Promise.resolve({ kind: 'idle' });
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.shell?.resize(dimensions.columns, dimensions.rows);
  }

  /** The person closed the tab: the shell goes too, and its pending requests with it. */
  close(): void {
    this.shell = undefined;
    this.disposables.dispose();
  }

  private tabName(): string {
    const states = [this.shell?.mode === 'fallback' ? 'fallback' : '', this.dryRunMode ? 'dry run' : ''].filter(Boolean);
    return states.length ? `${this.name} (${states.join(', ')})` : this.name;
  }
}
