import { basename, delimiter } from 'node:path';
import * as vscode from 'vscode';
import type { Gate, GateRequest } from '../../core/gate/types';
import { ancestorsOf } from '../../node/processTree';
import { processStat } from '../../node/pty/foreground';
import type { ProcessOrigin } from '../../node/socket/gateServer';
import { defaultShell, shellKind } from '../../node/pty/shellInit';
import { GuardedPseudoterminal } from './guardedTerminal';
import { readSettings, terminalEnvSetting } from '../settings';
import { shellIntegrationScript } from './shellIntegration';
import { EnvOverrides, guardedShellEnv } from './terminalEnv';

/** What a caller of `countersign.newGuardedTerminal` may set; the user's settings apply first. */
export interface GuardedTerminalRequest {
  readonly cwd?: string;
  readonly env?: EnvOverrides;
  /** The tab's name, numbered when taken; default `guarded <shell>`. Not settable through the command. */
  readonly name?: string;
}

export interface GuardedTerminalDeps {
  readonly gate: Gate;
  /** Loaded at the first terminal, so a missing node-pty costs only the guarded terminal. */
  readonly nodePty: () => typeof import('node-pty');
  readonly appRoot: string;
  readonly defaultCwd: () => string;
}

/** What every process in a guarded terminal needs to reach the gate at exec time: the shim folder first on PATH, and the gate's address. */
export interface ExecDoor {
  readonly shimDir: string;
  readonly variables: Readonly<Record<string, string>>;
}

/**
 * Makes guarded terminals and keeps the open ones, so a command can find the active terminal's
 * state and the gate can ask whether the terminal a request came from is in dry-run mode.
 */
export class GuardedTerminals implements vscode.Disposable {
  private readonly open = new Set<GuardedPseudoterminal>();
  private readonly closing: vscode.Disposable;
  /** Terminals opened in this window, by base name. */
  private readonly opened = new Map<string, number>();
  private nodePty: typeof import('node-pty') | undefined;
  private execDoor: ExecDoor | undefined;
  private notice: string | undefined;

  constructor(private readonly deps: GuardedTerminalDeps) {
    this.closing = vscode.window.onDidCloseTerminal((terminal) => {
      const pty = this.forTerminal(terminal);
      if (pty) this.open.delete(pty);
    });
  }

  /** From now on, new guarded terminals get the PATH shims and the gate's address, as VS Code's own terminals do. */
  openExecDoor(door: ExecDoor): void {
    this.execDoor = door;
  }

  /** A line each new guarded terminal prints when it opens (a login shell there would lose the shims). */
  noteForNewTerminals(notice: string | undefined): void {
    this.notice = notice;
  }

  create(request: GuardedTerminalRequest = {}): GuardedPseudoterminal {
    const settings = readSettings();
    const env = withExecDoor(guardedShellEnv(process.env, vscode.version, terminalEnvSetting(), request.env ?? {}), this.execDoor);
    const shell = defaultShell(env);
    const pty = new GuardedPseudoterminal(
      {
        gate: this.deps.gate,
        nodePty: (this.nodePty ??= this.deps.nodePty()),
        cwd: request.cwd ?? this.deps.defaultCwd(),
        env,
        shell,
        terminalName: this.uniqueName(request.name ?? `guarded ${basename(shell)}`),
        strict: settings.strictMode,
        shellIntegrationScript: shellIntegrationScript(this.deps.appRoot, shellKind(shell)),
        ...(this.notice !== undefined ? { notice: this.notice } : {}),
      },
      settings.dryRun,
    );
    // A terminal opened while the kill switch is on takes no input either.
    if (this.deps.gate.killed) pty.freeze();
    this.open.add(pty);
    return pty;
  }

  /** The open guarded terminals (the kill switch freezes and stops them all). */
  all(): readonly GuardedPseudoterminal[] {
    return [...this.open];
  }

  forTerminal(terminal: vscode.Terminal | undefined): GuardedPseudoterminal | undefined {
    const options = terminal?.creationOptions;
    const pty = options && 'pty' in options ? options.pty : undefined;
    return pty instanceof GuardedPseudoterminal && this.open.has(pty) ? pty : undefined;
  }

  /**
   * The guarded terminal whose shell `pid` runs under, and the line it runs: what a shim's card says it
   * came from. The line only for a process of the terminal's foreground job: a background job of an
   * earlier line would be named after the wrong one.
   */
  readonly originOf: ProcessOrigin = (pid) => {
    const chain = ancestorsOf(pid);
    const pty = [...this.open].find((p) => p.shellPid !== undefined && chain.includes(p.shellPid));
    if (!pty) return undefined;
    const stat = processStat(pid);
    const foreground = stat !== undefined && stat.tpgid > 0 && stat.pgrp === stat.tpgid;
    return { terminal: pty.name, ...(foreground && pty.runningLine !== undefined ? { line: pty.runningLine } : {}) };
  };

  /** Dry run for the terminal the request came from; for a request with no terminal, the setting. */
  dryRunFor(request: GateRequest): boolean {
    return this.byName(request)?.dryRun ?? readSettings().dryRun;
  }

  private byName(request: GateRequest): GuardedPseudoterminal | undefined {
    return request.terminal === undefined ? undefined : [...this.open].find((p) => p.name === request.terminal);
  }

  /** What a command from this request's terminal runs with, for its plan preview; without a terminal, what a new one would get. */
  envFor(request: GateRequest): Readonly<Record<string, string>> {
    return this.byName(request)?.env ?? guardedShellEnv(process.env, vscode.version, terminalEnvSetting());
  }

  dispose(): void {
    this.closing.dispose();
    this.open.clear();
  }

  /** Requests name their terminal, so names stay unique in this window. */
  private uniqueName(base: string): string {
    const count = (this.opened.get(base) ?? 0) + 1;
    this.opened.set(base, count);
    return count === 1 ? base : `${base} ${count}`;
  }
}

/** The shim folder goes first, after the person's own PATH settings, so no tool on PATH is found before its shim. */
function withExecDoor(env: Record<string, string>, door: ExecDoor | undefined): Record<string, string> {
  if (!door) return env;
  return { ...env, ...door.variables, PATH: env.PATH ? `${door.shimDir}${delimiter}${env.PATH}` : door.shimDir };
}
