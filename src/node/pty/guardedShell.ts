import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { basename } from 'node:path';
import type { IPty } from 'node-pty';
import { LineDiscipline, type LineEvent } from '../../core/gate/lineDiscipline';
import { PromptWatch, type ConfirmationPrompt } from '../../core/gate/promptWatch';
import { answerFor, DEFAULT_MAX_SEQUENCE, envQueryFor, OscScanner, parseEnvironment, parsePrompt, type GateMessage } from '../../core/gate/protocol';
import { Emitter } from '../../core/emitter';
import type { Decision, Gate, GateRequest, RequestSource, Submission, Unsubscribe } from '../../core/gate/types';
import { quoteWord } from '../../core/shell/quote';
import { parseShellNames, UNREADABLE_SHELL_NAMES, type ShellNames } from '../../core/shell/shellNames';
import { cancelledBanner, modeBanner, pausedBanner, pausedHookBanner } from './banners';
import { scanForEnter } from './enterScan';
import { EnvironmentQuery } from './environmentQuery';
import { foregroundOf } from './foreground';
import { defaultShell, prepareShell, type ShellLaunch } from './shellInit';
import { describeStop, stopForeground, type ForegroundStop } from './stopForeground';

export interface GuardedShellOptions {
  readonly gate: Gate;
  readonly nodePty: typeof import('node-pty');
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly cols: number;
  readonly rows: number;
  /** The terminal's name, shown to the person reviewing. */
  readonly terminalName: string;
  /** Default: $SHELL if it is bash or zsh, else /bin/bash. */
  readonly shell?: string;
  readonly shellArgs?: string[];
  /** Adds the DEBUG-trap layer. */
  readonly strict?: boolean;
  /** VS Code's shell-integration script, sourced after the user's rc. */
  readonly shellIntegrationScript?: string;
}

export type GuardMode = 'gate' | 'fallback';

export interface GuardedShell {
  onData(listener: (data: string) => void): Unsubscribe;
  onExit(listener: (e: { exitCode: number; signal?: number }) => void): Unsubscribe;
  onModeChange(listener: (mode: GuardMode, why: string) => void): Unsubscribe;
  /** A line the gate let through ended, with the status the shell reported at its next prompt. */
  onLineEnd(listener: (e: { id: string; exitCode: number }) => void): Unsubscribe;
  readonly mode: GuardMode;
  readonly pid: number;
  /** The line the shell runs now, once the gate let it through; undefined at the prompt. */
  readonly runningLine: string | undefined;
  /** Input from the user or an agent. */
  write(data: string): void;
  resize(cols: number, rows: number): void;
  kill(): void;
  /** Kill switch: input is dropped, not queued, until unfreeze(); the terminal says so once. */
  freeze(): void;
  unfreeze(): void;
  readonly frozen: boolean;
  /**
   * Kill switch: SIGINT, SIGTERM, then SIGKILL to the terminal's foreground process group (never the
   * shell's own), each after a grace unless it is gone; the terminal says what happened.
   */
  stopForeground(): Promise<ForegroundStop>;
}

/** How long a killed shell has to exit on SIGHUP before it gets SIGKILL. */
const KILL_GRACE_MS = 2000;
/** How long the proxy waits for our init's first prompt before it trusts nothing from the shell. */
const STARTUP_TIMEOUT_MS = 5000;
/**
 * After an Enter, how long further input waits for that Enter's request or prompt. An Enter that
 * produces neither (an unfinished line, a program reading a line) releases it after this; releasing
 * early is safe, as the shell hands back what its hook read while waiting (spill).
 */
const ENTER_HOLD_MS = 300;
/** The prompt marker comes before the editor puts the tty in raw mode (ESC[?2004h); input sent in between would echo. */
const EDITOR_READY_MS = 150;
/** Our shell back in the foreground without a prompt marker for this long: the markers stopped. */
const MARKER_TIMEOUT_MS = 1000;
const RECHECK_MS = 20;
/** How long a waiting shell has to report its environment (it forks `env` once). */
const ENV_TIMEOUT_MS = 3000;
const CTRL_C = '\x03';
const EDITOR_READY = '\x1b[?2004h';

type ShellState = 'starting' | 'editing' | 'pending' | 'running';

/** A line the shell's hook (or strict layer) holds while it waits for the answer. */
interface WaitingRequest {
  readonly id: string;
  stale: boolean;
  readonly env: EnvironmentQuery;
}

/** Lines held outside the hook: their shell is not waiting, it may not even be ours. */
const NO_WAITING_SHELL = 'no shell waits for this line (it was held as typed, outside the gate hook), so its environment is unknown';

/** A line held outside the Enter hook (fallback, prompt answer): the Enter waits for the gate. */
interface HeldLine {
  readonly id: string;
  readonly command: string;
  readonly enter: string;
  readonly rest: LineEvent[];
  stale: boolean;
}

export function startGuardedShell(options: GuardedShellOptions): GuardedShell {
  return new GuardedShellImpl(options);
}

class GuardedShellImpl implements GuardedShell {
  private readonly nonce = randomBytes(16).toString('hex');
  private readonly scanner = new OscScanner(this.nonce);
  private readonly launch: ShellLaunch;
  private readonly pty: IPty;
  private readonly shellName: string;
  private readonly data = new Emitter<string>();
  private readonly exit = new Emitter<{ exitCode: number; signal?: number }>();
  private readonly modeChanges = new Emitter<{ mode: GuardMode; why: string }>();
  private readonly lineEnds = new Emitter<{ id: string; exitCode: number }>();

  private currentMode: GuardMode = 'gate';
  private state: ShellState = 'starting';
  private exited = false;
  /** Input not yet given to the shell, in order. */
  private held = '';
  /** A bracketed paste is open in what was last forwarded in gate mode. */
  private inPaste = false;
  /** An Enter went to the line editor and its request or prompt has not come yet. */
  private waitingEnter = false;
  private awaitingEditor = false;
  private pendingRequest: WaitingRequest | undefined;
  /** What the shell reported its next `req` line may call (a `names` message comes just before it). */
  private lineNames: ShellNames | undefined;
  private heldLine: HeldLine | undefined;
  /** Events read by a line discipline but not yet forwarded (behind a held line). */
  private queued: LineEvent[] = [];
  /** Which discipline read the queued events. */
  private queuedDiscipline: 'fallback' | 'answer' = 'fallback';
  /** The running command was paused and then approved by a person. */
  private runningApproved = false;
  private running: { readonly id: string; readonly line: string } | undefined;
  private readonly fallbackLine = new LineDiscipline();
  private readonly answerLine = new LineDiscipline();
  private promptWatch = new PromptWatch();
  private editorTail = '';
  private inputFrozen = false;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private ourShellSince: number | undefined;

  constructor(private readonly options: GuardedShellOptions) {
    const shell = options.shell ?? defaultShell(options.env);
    this.shellName = basename(shell);
    this.launch = prepareShell({
      shell,
      shellArgs: options.shellArgs,
      env: options.env,
      nonce: this.nonce,
      strict: options.strict,
      shellIntegrationScript: options.shellIntegrationScript,
    });
    try {
      this.pty = options.nodePty.spawn(this.launch.file, this.launch.args, {
        name: options.env.TERM || 'xterm-256color',
        cols: options.cols,
        rows: options.rows,
        cwd: options.cwd,
        env: this.launch.env,
      });
    } catch (error) {
      this.launch.dispose();
      throw error;
    }
    this.pty.onData((chunk) => this.onOutput(chunk));
    this.pty.onExit((e) => this.onShellExit(e));
    if (this.launch.kind === 'other') {
      this.state = 'running';
      this.currentMode = 'fallback';
      const why = `${this.shellName} has no Countersign init: risky lines are held as typed`;
      queueMicrotask(() => this.announce('fallback', why));
    } else {
      this.startTimer('startup', STARTUP_TIMEOUT_MS, () => {
        if (this.state !== 'starting') return;
        this.state = 'running';
        this.switchMode('fallback', 'the shell did not start the gate');
        this.pump();
      });
    }
  }

  get mode(): GuardMode {
    return this.currentMode;
  }

  get pid(): number {
    return this.pty.pid;
  }

  get runningLine(): string | undefined {
    return this.running?.line;
  }

  get frozen(): boolean {
    return this.inputFrozen;
  }

  onData(listener: (data: string) => void): Unsubscribe {
    return this.data.event(listener);
  }

  onExit(listener: (e: { exitCode: number; signal?: number }) => void): Unsubscribe {
    return this.exit.event(listener);
  }

  onModeChange(listener: (mode: GuardMode, why: string) => void): Unsubscribe {
    return this.modeChanges.event(({ mode, why }) => listener(mode, why));
  }

  onLineEnd(listener: (e: { id: string; exitCode: number }) => void): Unsubscribe {
    return this.lineEnds.event(listener);
  }

  write(data: string): void {
    if (this.exited || this.inputFrozen) return;
    const ctrlC = data.lastIndexOf(CTRL_C);
    if (ctrlC >= 0 && (this.pendingRequest || this.heldLine)) {
      // ^C abandons the held line. Like a tty on SIGINT, type-ahead before it is flushed.
      this.held = '';
      this.queued = [];
      if (this.pendingRequest) this.awaitPromptAfterInterrupt();
      this.voidHeldLine('interrupted');
      this.voidRequest('interrupted');
      this.pty.write(CTRL_C);
      data = data.slice(ctrlC + 1);
    }
    this.held += data;
    this.pump();
  }

  resize(cols: number, rows: number): void {
    if (!this.exited) this.pty.resize(cols, rows);
  }

  kill(): void {
    this.launch.dispose();
    if (this.exited) return;
    // SIGHUP, as a closed terminal sends; a shell that ignores it or is stuck must not outlive it.
    this.pty.kill();
    this.startTimer('kill', KILL_GRACE_MS, () => this.pty.kill('SIGKILL'));
  }

  freeze(): void {
    if (this.inputFrozen) return;
    this.inputFrozen = true;
    // Type-ahead waiting here would run after the re-arm, long after it was meant: it goes.
    this.held = '';
    this.queued = [];
    this.emit(modeBanner('kill switch engaged: input to this terminal is dropped until Countersign is re-armed'));
  }

  unfreeze(): void {
    if (!this.inputFrozen) return;
    this.inputFrozen = false;
    this.emit(modeBanner('re-armed: input reaches the shell again'));
  }

  async stopForeground(): Promise<ForegroundStop> {
    if (this.exited) return { kind: 'idle' };
    const stop = await stopForeground(this.pty.pid);
    const done = describeStop(stop);
    if (done && !this.exited) this.emit(modeBanner(`kill switch: ${done}`));
    return stop;
  }

  // ---- input ----

  /** Forwards held input as far as the shell's state allows. */
  private pump(): void {
    if (this.inputFrozen) {
      // What the shell's hook spilled back, or what was typed behind a line the kill switch dropped.
      this.held = '';
      this.queued = [];
      return;
    }
    while (!this.exited && (this.held !== '' || this.queued.length > 0)) {
      if (this.pendingRequest || this.heldLine) return;
      if (this.queued.length > 0) {
        this.forwardEvents(this.queued.splice(0), this.queuedDiscipline);
        continue;
      }
      if (this.currentMode === 'gate' && this.state === 'editing') {
        if (this.waitingEnter || this.awaitingEditor) return;
        this.releaseToEditor();
        continue;
      }
      if (this.state === 'starting') return;
      if (!this.routeByForeground()) return;
    }
  }

  /** Gate mode at our prompt: everything up to and including the next Enter, then wait for its answer. */
  private releaseToEditor(): void {
    const scan = scanForEnter(this.held, this.inPaste);
    if (scan.end < 0) {
      this.pty.write(this.held);
      this.held = '';
      this.inPaste = scan.inPaste;
      return;
    }
    this.pty.write(this.held.slice(0, scan.end));
    this.held = this.held.slice(scan.end);
    this.inPaste = false;
    this.waitingEnter = true;
    this.startTimer('enter', ENTER_HOLD_MS, () => {
      this.waitingEnter = false;
      this.pump();
    });
  }

  /** A command runs (or the gate is gone): who reads the input decides how it is guarded. Returns false to wait. */
  private routeByForeground(): boolean {
    const fg = foregroundOf(this.pty.pid, this.shellName, this.pty.process);
    if (fg.isOurShell && this.currentMode === 'gate') {
      // Between a command's end and our prompt marker, or the markers stopped: wait a little.
      this.ourShellSince ??= Date.now();
      if (Date.now() - this.ourShellSince < MARKER_TIMEOUT_MS) {
        this.startTimer('recheck', RECHECK_MS, () => this.pump());
        return false;
      }
      this.switchMode('fallback', 'the shell stopped reporting its prompt');
    }
    this.ourShellSince = undefined;
    // Terraform's own question comes first: the tool may run inside a script (a shell in the foreground).
    if (!this.runningApproved && this.promptWatch.current) {
      this.forwardEvents(this.answerLine.feed(this.takeHeld()), 'answer');
      return true;
    }
    if (fg.isOurShell || fg.readsCommands) {
      if (fg.readsCommands) this.switchMode('fallback', `${fg.name} reads commands in this terminal; the gate cannot see them`);
      this.forwardEvents(this.fallbackLine.feed(this.takeHeld()), 'fallback');
      return true;
    }
    this.pty.write(this.takeHeld());
    return true;
  }

  /** Forwards a line discipline's events; an Enter the gate pauses holds itself and all after it. */
  private forwardEvents(events: LineEvent[], discipline: 'fallback' | 'answer'): void {
    for (let k = 0; k < events.length; k++) {
      const event = events[k];
      if (event.kind === 'text') {
        this.pty.write(event.data);
        continue;
      }
      const request = this.requestFor(event.line, discipline);
      if (!request) {
        this.pty.write(event.data);
        continue;
      }
      const submission = this.submit(request.command, request.source, () => Promise.reject(new Error(NO_WAITING_SHELL)));
      if (submission.verdict.verdict === 'allow') {
        this.pty.write(event.data);
        continue;
      }
      this.emit(`\r\n${pausedBanner(request.command)}`);
      const held: HeldLine = { id: submission.id, command: request.command, enter: event.data, rest: events.slice(k + 1), stale: false };
      this.heldLine = held;
      this.queuedDiscipline = discipline;
      void submission.decision.then((decision) => this.onHeldLineDecision(held, decision));
      return;
    }
  }

  /** What to ask the gate about an Enter outside our hook, or nothing for a blank line / a refusal. */
  private requestFor(line: string, discipline: 'fallback' | 'answer'): { command: string; source: RequestSource } | undefined {
    if (discipline === 'fallback') return line.trim() === '' ? undefined : { command: line, source: 'terminal-fallback' };
    const prompt = this.promptWatch.current;
    // Only 'yes' confirms; any other answer makes the tool stop by itself.
    if (!prompt || line.trim() !== 'yes') return undefined;
    return { command: confirmedCommand(prompt), source: 'prompt-answer' };
  }

  private onHeldLineDecision(held: HeldLine, decision: Decision): void {
    if (held.stale || this.exited) return;
    this.heldLine = undefined;
    if (decision.kind === 'run') {
      this.pty.write(held.enter);
    } else {
      this.emit(cancelledBanner(held.command, decision.reason));
      this.pty.write('\x15'); // kill the typed line: the program saw the text, never its Enter
      this.fallbackLine.reset();
      this.answerLine.reset();
    }
    this.queued = held.rest.concat(this.queued);
    this.pump();
  }

  private voidHeldLine(reason: 'interrupted' | 'killed'): void {
    if (!this.heldLine) return;
    this.heldLine.stale = true;
    this.options.gate.cancel(this.heldLine.id, reason);
    this.heldLine = undefined;
  }

  private takeHeld(): string {
    const data = this.held;
    this.held = '';
    return data;
  }

  // ---- output ----

  private onOutput(chunk: string): void {
    const scan = this.scanner.feed(chunk);
    let from = 0;
    for (const message of scan.messages) {
      this.emit(scan.display.slice(from, message.at));
      from = message.at;
      this.onMessage(message);
    }
    const rest = scan.display.slice(from);
    this.emit(rest);
    if (scan.overlong.includes('env')) this.pendingRequest?.env.fail(`the environment is longer than ${DEFAULT_MAX_SEQUENCE} characters`);
    if (scan.overlong.includes('names')) this.lineNames = UNREADABLE_SHELL_NAMES;
    // Output that imitates the gate's channel without the nonce is never acted on, but is worth seeing.
    if (scan.spoofed > 0) this.emit(modeBanner('ignored a forged gate message (wrong nonce) in the output'));
    if (this.awaitingEditor) this.watchEditorReady(rest);
    if (this.state === 'running') this.promptWatch.feed(scan.display);
  }

  private onMessage(message: GateMessage): void {
    switch (message.kind) {
      case 'prompt':
        return this.onPrompt(parsePrompt(message.payload));
      case 'names':
        this.lineNames = parseShellNames(message.payload);
        return;
      case 'req':
      case 'dbg': {
        // The DEBUG-trap layer asks about one simple command, after bash has expanded its aliases.
        const names = message.kind === 'req' ? this.lineNames : undefined;
        this.lineNames = undefined;
        return this.onRequest(message.payload, names);
      }
      case 'spill':
        // The hook read type-ahead out of the tty while it waited: it goes back in front.
        this.held = message.payload + this.held;
        queueMicrotask(() => this.pump());
        return;
      case 'env':
        return this.pendingRequest?.env.answer(parseEnvironment(message.payload));
    }
  }

  private onPrompt(prompt: ReturnType<typeof parsePrompt>): void {
    // The line that ran ends here: its status is the one the shell reports with this prompt.
    if (this.running && prompt.exitCode !== undefined) this.lineEnds.fire({ id: this.running.id, exitCode: prompt.exitCode });
    this.launch.dispose(); // the init has been read: nothing of it needs to stay on disk
    this.clearTimer('startup');
    this.clearTimer('enter');
    this.clearTimer('recheck');
    this.voidRequest('interrupted');
    this.voidHeldLine('interrupted');
    this.lineNames = undefined;
    this.queued = [];
    this.waitingEnter = false;
    this.ourShellSince = undefined;
    this.state = 'editing';
    this.runningApproved = false;
    this.endRunningLine();
    this.promptWatch = new PromptWatch();
    this.fallbackLine.reset();
    this.answerLine.reset();
    this.inPaste = false;
    if (!prompt.editing) this.switchMode('fallback', 'line editing is off in the shell');
    else this.switchMode('gate', 'the shell reports its prompt again');
    this.awaitingEditor = true;
    this.editorTail = '';
    this.startTimer('editor', EDITOR_READY_MS, () => this.editorReady());
  }

  /**
   * The shell sits in our hook's read of the tty until it handles the SIGINT: what is typed meanwhile
   * would be read there as an answer and lost with the hook. It waits for the shell's next prompt, or
   * flows again if none comes (a shell that ignores SIGINT).
   */
  private awaitPromptAfterInterrupt(): void {
    this.awaitingEditor = true;
    this.editorTail = '';
    this.startTimer('editor', MARKER_TIMEOUT_MS, () => this.editorReady());
  }

  private watchEditorReady(output: string): void {
    const text = this.editorTail + output;
    if (text.includes(EDITOR_READY)) return this.editorReady();
    this.editorTail = text.slice(-(EDITOR_READY.length - 1));
  }

  private editorReady(): void {
    if (!this.awaitingEditor) return;
    this.awaitingEditor = false;
    this.clearTimer('editor');
    queueMicrotask(() => this.pump());
  }

  private onRequest(command: string, shellNames: ShellNames | undefined): void {
    this.clearTimer('enter');
    this.waitingEnter = false;
    this.state = 'pending';
    // The question may only go to the shell while it waits for this very line.
    const env = new EnvironmentQuery(() => this.pty.write(envQueryFor(this.nonce)), ENV_TIMEOUT_MS);
    const submission = this.submit(command, 'guarded-terminal', () => env.get(), shellNames);
    const request: WaitingRequest = { id: submission.id, stale: false, env };
    this.pendingRequest = request;
    if (submission.verdict.verdict === 'allow') return this.answer(request, command, { kind: 'run' }, false);
    this.emit(pausedHookBanner(command));
    void submission.decision.then((decision) => this.answer(request, command, decision, true));
  }

  private answer(request: WaitingRequest, command: string, decision: Decision, paused: boolean): void {
    if (request.stale || this.exited) return;
    this.pendingRequest = undefined;
    request.env.close('the line was answered');
    if (decision.kind === 'run') {
      this.pty.write(answerFor(this.nonce, 'run'));
      this.state = 'running';
      this.runningApproved = paused;
      this.running = { id: request.id, line: command };
    } else {
      this.emit(cancelledBanner(command, decision.reason));
      this.pty.write(answerFor(this.nonce, 'cancel'));
      this.state = 'editing';
    }
    this.pump();
  }

  private voidRequest(reason: 'interrupted' | 'killed'): void {
    const request = this.pendingRequest;
    if (!request) return;
    request.stale = true;
    this.pendingRequest = undefined;
    request.env.close(`the line was withdrawn (${reason})`);
    this.options.gate.cancel(request.id, reason);
    if (this.state === 'pending') this.state = 'editing';
  }

  private submit(command: string, source: RequestSource, env: GateRequest['env'], shellNames?: ShellNames): Submission {
    return this.options.gate.submit({ command, source, cwd: this.shellCwd(), terminal: this.options.terminalName, shellPid: this.pty.pid, env, ...(shellNames ? { shellNames } : {}) });
  }

  /** The line is over: the execs its approval let through once are no longer let through. */
  private endRunningLine(): void {
    if (this.running) this.options.gate.lineEnded(this.running.id);
    this.running = undefined;
  }

  private shellCwd(): string {
    try {
      return readlinkSync(`/proc/${this.pty.pid}/cwd`);
    } catch {
      return this.options.cwd;
    }
  }

  private switchMode(mode: GuardMode, why: string): void {
    if (this.currentMode === mode) return;
    this.currentMode = mode;
    this.announce(mode, why);
  }

  private announce(mode: GuardMode, why: string): void {
    this.emit(modeBanner(mode === 'gate' ? 'gate active: each command is checked before it runs' : `fallback: ${why}`));
    this.modeChanges.fire({ mode, why });
  }

  private onShellExit(e: { exitCode: number; signal?: number }): void {
    this.exited = true;
    this.endRunningLine();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.voidRequest('killed');
    this.voidHeldLine('killed');
    this.launch.dispose();
    const exit = e.signal ? { exitCode: e.exitCode, signal: e.signal } : { exitCode: e.exitCode };
    this.exit.fire(exit);
  }

  private emit(data: string): void {
    if (data === '') return;
    this.data.fire(data);
  }

  private startTimer(name: string, ms: number, run: () => void): void {
    this.clearTimer(name);
    this.timers.set(
      name,
      setTimeout(() => {
        this.timers.delete(name);
        run();
      }, ms),
    );
  }

  private clearTimer(name: string): void {
    clearTimeout(this.timers.get(name));
    this.timers.delete(name);
  }
}

/** The command a `yes` at Terraform's confirmation prompt amounts to, for the engine and the reviewer. */
function confirmedCommand(prompt: ConfirmationPrompt): string {
  const workspace = prompt.workspace ? `TF_WORKSPACE=${quoteWord(prompt.workspace)} ` : '';
  return `${workspace}terraform ${prompt.action} -auto-approve # answered yes to: ${prompt.question}`;
}
