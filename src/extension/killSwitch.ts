import * as vscode from 'vscode';
import { errorMessage } from '../core/errorMessage';
import type { Gate } from '../core/gate/types';
import { describeStop, type ForegroundStop } from '../node/pty/stopForeground';
import { KILL_SWITCH_COMMAND, REARM_COMMAND } from './ids';
import type { Registry } from './lateRegistry';

/** What the kill switch needs of a guarded terminal. */
export interface StoppableTerminal {
  readonly name: string;
  freeze(): void;
  unfreeze(): void;
  stopForeground(): Promise<ForegroundStop>;
}

export interface KillSwitchDeps {
  readonly gate: Pick<Gate, 'kill' | 'rearm' | 'killed' | 'pending'>;
  readonly terminals: () => readonly StoppableTerminal[];
  /** Asks the person; true only for a deliberate yes. */
  readonly confirmRearm: () => Thenable<boolean>;
  readonly log: (message: string) => void;
}

export interface TerminalStop {
  readonly terminal: string;
  readonly stop: ForegroundStop;
}

/**
 * The brakes. Engaging kills the gate (every pending request is cancelled, every door is refused),
 * freezes every guarded terminal and stops what runs in them. Re-arming is a deliberate act: the
 * person confirms it by choosing Re-arm; only tests pass `confirmed` (through the activate() API,
 * never through a command argument, which anything could send).
 */
export class KillSwitch {
  constructor(private readonly deps: KillSwitchDeps) {}

  /**
   * The gate is killed and the terminals frozen before anything is awaited, so a busy panel or a
   * running plan preview cannot hold the switch up (previews stop as their requests are cancelled).
   */
  async engage(): Promise<readonly TerminalStop[]> {
    const { gate, log } = this.deps;
    const cancelled = gate.pending().length;
    gate.kill();
    const terminals = this.deps.terminals();
    for (const terminal of terminals) terminal.freeze();
    log(`kill switch engaged: ${cancelled} pending request${cancelled === 1 ? '' : 's'} cancelled, ${terminals.length} guarded terminal${terminals.length === 1 ? '' : 's'} frozen`);
    const stops = await Promise.all(
      terminals.map(async (terminal): Promise<TerminalStop> => {
        try {
          return { terminal: terminal.name, stop: await terminal.stopForeground() };
        } catch (error) {
          return { terminal: terminal.name, stop: { kind: 'unreachable', why: errorMessage(error) } };
        }
      }),
    );
    for (const { terminal, stop } of stops) {
      const done = describeStop(stop);
      if (done) log(`kill switch: ${terminal}: ${done}`);
    }
    return stops;
  }

  /** Returns whether Countersign is armed again. */
  async rearm(options: { readonly confirmed?: boolean } = {}): Promise<boolean> {
    if (!this.deps.gate.killed) return false;
    if (options.confirmed !== true && !(await this.deps.confirmRearm())) {
      this.deps.log('kill switch: re-arm declined; it stays on');
      return false;
    }
    this.deps.gate.rearm();
    for (const terminal of this.deps.terminals()) terminal.unfreeze();
    this.deps.log('kill switch: re-armed by the person');
    return true;
  }
}

const STAY_KILLED: vscode.QuickPickItem = { label: '$(circle-slash) Stay Killed', description: 'keep refusing every command' };
const REARM: vscode.QuickPickItem = { label: '$(shield) Re-arm', description: 'commands run again after review' };

/**
 * The question, with one way out that keeps the switch on: a pick whose first (active) choice is
 * "Stay Killed", so Enter pressed by habit, Escape and a click elsewhere all keep it on; only choosing
 * Re-arm re-arms. (A modal dialog adds its own Cancel beside Stay Killed, and making Stay Killed its
 * cancel turns Re-arm into the button Enter presses.)
 */
export async function confirmRearm(): Promise<boolean> {
  const choice = await vscode.window.showQuickPick([STAY_KILLED, REARM], {
    title: 'Re-arm Countersign? Commands will run again after review.',
    placeHolder: 'Guarded terminals take input again, and shims and hooks ask the gate again. Nothing refused while the kill switch was on runs by itself.',
  });
  return choice === REARM;
}

/** The two commands; neither takes arguments (a command can be sent by anything). */
export function registerKillSwitchCommands(registry: Registry, killSwitch: KillSwitch): vscode.Disposable[] {
  return [
    registry.registerCommand(KILL_SWITCH_COMMAND, () => killSwitch.engage()),
    registry.registerCommand(REARM_COMMAND, () => killSwitch.rearm()),
  ];
}
