import * as vscode from 'vscode';

export type CommandHandler = (...args: never[]) => unknown;

/**
 * Where the runtime registers its command handlers and the guarded-shell profile. The entry registers
 * the VS Code side at activation, before the runtime has loaded; a call that arrives while it loads
 * waits for it (a command run that activates Countersign, a restored guarded terminal), so activation
 * stays short without a "command not found".
 */
export interface Registry {
  registerCommand(id: string, handler: CommandHandler): vscode.Disposable;
  registerTerminalProfileProvider(id: string, provider: vscode.TerminalProfileProvider): vscode.Disposable;
  /** Ids the runtime registered: the entry's forwarders and the manifest are checked against them. */
  readonly commandIds: readonly string[];
}

/** The registry the entry owns: VS Code sees one registration per contributed id from the start. */
export class LateRegistry implements Registry, vscode.Disposable {
  private readonly commands = new Map<string, CommandHandler>();
  private readonly profiles = new Map<string, vscode.TerminalProfileProvider>();
  private readonly registrations: vscode.Disposable[];

  /** `started` resolves when the runtime has registered everything and rejects when it could not start. */
  constructor(commandIds: readonly string[], profileIds: readonly string[], private readonly started: Promise<unknown>) {
    this.registrations = [
      ...commandIds.map((id) => vscode.commands.registerCommand(id, (...args: never[]) => this.runCommand(id, args))),
      ...profileIds.map((id) =>
        vscode.window.registerTerminalProfileProvider(id, { provideTerminalProfile: (token) => this.provideProfile(id, token) }),
      ),
    ];
  }

  registerCommand(id: string, handler: CommandHandler): vscode.Disposable {
    return this.add(this.commands, id, handler);
  }

  registerTerminalProfileProvider(id: string, provider: vscode.TerminalProfileProvider): vscode.Disposable {
    return this.add(this.profiles, id, provider);
  }

  get commandIds(): readonly string[] {
    return [...this.commands.keys()];
  }

  private add<T>(table: Map<string, T>, id: string, value: T): vscode.Disposable {
    if (table.has(id)) throw new Error(`Countersign: ${id} is registered twice`);
    table.set(id, value);
    return { dispose: () => table.get(id) === value && table.delete(id) };
  }

  private async runCommand(id: string, args: never[]): Promise<unknown> {
    await this.started;
    const handler = this.commands.get(id);
    if (!handler) throw new Error(`Countersign: the command ${id} has no handler`);
    return handler(...args);
  }

  private async provideProfile(id: string, token: vscode.CancellationToken): Promise<vscode.TerminalProfile | null | undefined> {
    await this.started;
    const provider = this.profiles.get(id);
    if (!provider) throw new Error(`Countersign: the terminal profile ${id} has no provider`);
    return provider.provideTerminalProfile(token);
  }

  dispose(): void {
    for (const registration of this.registrations) registration.dispose();
    this.commands.clear();
    this.profiles.clear();
  }
}
