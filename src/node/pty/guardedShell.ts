/*
 * The guarded shell's state machine (issue 17). Two independent parts, as a line is held in two places:
 *
 * ShellState, what the shell does (`state`):
 *   starting --prompt--> editing          starting --no prompt in 5 s--> running (fallback: no gate)
 *   (a shell without our init starts in running, fallback)
 *   editing --req (its Enter hook asks)--> pending
 *   editing/running --dbg (the strict layer asks about one command)--> pending
 *   pending --run--> running (the line let through; the one the strict layer interrupted is dropped)
 *   pending --cancel--> editing (after dbg, the rest of that line still runs: `ran` stays to the prompt)
 *   pending --Ctrl-C--> editing, input to the editor waiting for the next prompt (at most 1 s)
 *   any --prompt--> editing: a waiting request and a held line are withdrawn (interrupted), the line
 *     that ran ends with the prompt's status; editing-off at the prompt means fallback mode
 *   any --exit--> exited: the same, withdrawn as killed
 * In editing (gate mode) input goes to the editor up to each Enter, then waits for its req or prompt
 * (enterTimer, 300 ms); after a prompt it waits for the editor's raw mode (editorTimer, 150 ms). In
 * running, or in editing in fallback mode, input goes by the foreground process: raw to a program,
 * through the fallback line discipline to a shell (a gate-mode wait of 1 s for a marker first), and
 * through the answer discipline at Terraform's own confirmation prompt unless a person approved the line.
 *
 * LineHold, lines held by the proxy (`lineHold`), under either discipline:
 *   none --an Enter the gate pauses--> held --decision--> queued (what was read behind it) --> none
 *   held/queued --Ctrl-C, prompt, exit--> none (a held line withdrawn); freeze drops only `queued`
 * Input is forwarded only while the shell is not pending and no line is held.
 *
 * Beside both: the mode (gate or fallback, announced on change), the kill switch (input dropped), the
 * input not yet forwarded, and the names message that goes with the next req.
 */
import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { basename } from 'node:path';
import type { IPty } from 'node-pty';
import { LineDiscipline, type LineEvent } from '../../core/gate/lineDiscipline';
import { PromptWatch, type ConfirmationPrompt } from '../../core/gate/promptWatch';
import { answerFor, DEFAULT_MAX_SEQUENCE, envQueryFor, OscScanner, parseEnvironment, parsePrompt, type GateMessage } from '../../core/gate/protocol';
import { Emitter } from '../../core/emitter';
import type { Decision, Gate, GateRequest, RequestSource, Submission } from '../../core/gate/types';
import type { IDisposable } from '../../core/lifecycle';
import { quoteWord } from '../../core/shell/quote';
import { parseShellNames, UNREADABLE_SHELL_NAMES, type ShellNames } from '../../core/shell/shellNames';
import { cancelledBanner, modeBanner, pausedBanner, pausedHookBanner } from './banners';
import { scanForEnter } from './enterScan';
import { EnvironmentQuery } from './environmentQuery';
import { foregroundOf } from './foreground';
import { OnceTimer } from './onceTimer';
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
  onData(listener: (data: string) => void): IDisposable;
  onExit(listener: (e: { exitCode: number; signal?: number }) => void): IDisposable;
  onModeChange(listener: (mode: GuardMode, why: string) => void): IDisposable;
  /** A line the gate let through ended, with the status the shell reported at its next prompt. */
  onLineEnd(listener: (e: { id: string; exitCode: number }) => void): IDisposable;
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

/** A line the gate let through, from its answer to the shell's next prompt. */
interface LetThrough {
  readonly id: string;
  readonly line: string;
  /** The line was paused and then approved by a person (a `yes` at Terraform's own prompt then goes straight through). */
  readonly approved: boolean;
}

/** A line the shell's hook (or strict layer) holds while it waits for the answer. */
interface WaitingRequest {
  readonly id: string;
  /** Withdrawn: a decision that comes after this is not acted on. */
  stale: boolean;
  readonly env: EnvironmentQuery;
}

/** What the shell is doing, as far as its messages tell; each state carries what only it needs. */
type ShellState =
  /** Until our init's first prompt: input waits. */
  | { readonly kind: 'starting' }
  /**
   * At our prompt, the line editor reading. `ran` is set only when the strict layer's question was
   * answered cancel: that skips one command, and the line goes on to the next prompt.
   */
  | { readonly kind: 'editing'; /** A bracketed paste is open in what went to the editor. */ inPaste: boolean; readonly ran?: LetThrough }
  /** The hook (or, with `ran` set, the strict layer during that line) holds a line until the gate answers. */
  | { readonly kind: 'pending'; readonly request: WaitingRequest; readonly ran?: LetThrough }
  /**
   * A line the gate let through runs, or the gate is gone (no init, no first prompt): input goes by
   * the foreground process.
   */
  | { readonly kind: 'running'; readonly ran?: LetThrough; /** Our shell in the foreground without a prompt marker since then. */ ourShellSince?: number }
  | { readonly kind: 'exited' };

type Discipline = 'fallback' | 'answer';

/** Lines held outside the hook: their shell is not waiting, it may not even be ours. */
const NO_WAITING_SHELL = 'no shell waits for this line (it was held as typed, outside the gate hook), so its environment is unknown';

/** A line held outside the Enter hook (fallback, prompt answer): the Enter waits for the gate. */
interface HeldLine {
  readonly id: string;
  readonly command: string;
  readonly enter: string;
  /** Events read after the Enter, by the same discipline. */
  readonly rest: LineEvent[];
  readonly discipline: Discipline;
  /** Withdrawn: a decision that comes after this is not acted on. */
  stale: boolean;
}

/** Input a line discipline read, in the proxy rather than the shell; independent of ShellState (see the top). */
type LineHold =
  | { readonly kind: 'none' }
  /** An Enter waits for the gate, and the events behind it with it. */
  | { readonly kind: 'held'; readonly line: HeldLine }
  /** Events read behind a line that has been answered, to forward before any newer input. Never empty. */
  | { readonly kind: 'queued'; readonly events: LineEvent[]; readonly discipline: Discipline };

const NO_HOLD: LineHold = { kind: 'none' };

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

  private state: ShellState = { kind: 'starting' };
  private lineHold: LineHold = NO_HOLD;
  private currentMode: GuardMode = 'gate';
  /** Input not yet given to the shell, in order. */
  private held = '';
  /** What the shell reported its next `req` line may call (a `names` message comes just before it). */
  private lineNames: ShellNames | undefined;
  private readonly fallbackLine = new LineDiscipline();
  private readonly answerLine = new LineDiscipline();
  /** Terraform's own question in the output of what runs; a new one at each prompt. */
  private promptWatch = new PromptWatch();
  /** The end of the output so far while the editor is awaited, for a marker split across chunks. */
  private editorTail = '';
  private inputFrozen = false;

  /** Every timer below; the shell's exit disposes them all. */
  private readonly timers: OnceTimer[] = [];
  /** No prompt from our init in time: the shell runs without the gate. */
  private readonly startupTimer = this.timer(() => this.startupTimedOut(), STARTUP_TIMEOUT_MS);
  /** A killed shell that did not go on SIGHUP gets SIGKILL. */
  private readonly killTimer = this.timer(() => this.pty.kill('SIGKILL'), KILL_GRACE_MS);
  /** Scheduled while an Enter went to the line editor and its request or prompt has not come yet. */
  private readonly enterTimer = this.timer(() => this.pump(), ENTER_HOLD_MS);
  /** Our shell in the foreground without a marker: look again shortly. */
  private readonly recheckTimer = this.timer(() => this.pump(), RECHECK_MS);
  /**
   * Scheduled while input to the editor waits for it to be ready (after a prompt, or after Ctrl-C
   * withdrew a line its hook held); flushed when the output shows it ready.
   */
  private readonly editorTimer = this.timer(() => queueMicrotask(() => this.pump()), EDITOR_READY_MS);

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
      this.state = { kind: 'running' };
      this.currentMode = 'fallback';
      const why = `${this.shellName} has no Countersign init: risky lines are held as typed`;
      queueMicrotask(() => this.announce('fallback', why));
    } else {
      this.startupTimer.schedule();
    }
  }

  get mode(): GuardMode {
    return this.currentMode;
  }

  get pid(): number {
    return this.pty.pid;
  }

  get runningLine(): string | undefined {
    return ranIn(this.state)?.line;
  }

  get frozen(): boolean {
    return this.inputFrozen;
  }

  private get exited(): boolean {
    return this.state.kind === 'exited';
  }

  onData(listener: (data: string) => void): IDisposable {
    return this.data.event(listener);
  }

  onExit(listener: (e: { exitCode: number; signal?: number }) => void): IDisposable {
    return this.exit.event(listener);
  }

  onModeChange(listener: (mode: GuardMode, why: string) => void): IDisposable {
    return this.modeChanges.event(({ mode, why }) => listener(mode, why));
  }

  onLineEnd(listener: (e: { id: string; exitCode: number }) => void): IDisposable {
    return this.lineEnds.event(listener);
  }

  write(data: string): void {
    if (this.exited || this.inputFrozen) return;
    const ctrlC = data.lastIndexOf(CTRL_C);
    const state = this.state;
    if (ctrlC >= 0 && (state.kind === 'pending' || this.lineHold.kind === 'held')) {
      // ^C abandons the held line. Like a tty on SIGINT, type-ahead before it is flushed.
      this.held = '';
      if (state.kind === 'pending') this.awaitPromptAfterInterrupt();
      this.dropLineHold('interrupted');
      if (state.kind === 'pending') {
        this.withdraw(state.request, 'interrupted');
        this.state = { kind: 'editing', inPaste: false, ran: state.ran };
      }
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
    this.killTimer.schedule();
  }

  freeze(): void {
    if (this.inputFrozen) return;
    this.inputFrozen = true;
    // Type-ahead waiting here would run after the re-arm, long after it was meant: it goes.
    this.dropTypeAhead();
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
      this.dropTypeAhead();
      return;
    }
    for (let state = this.state; state.kind !== 'exited' && (this.held !== '' || this.lineHold.kind === 'queued'); state = this.state) {
      if (state.kind === 'pending' || this.lineHold.kind === 'held') return;
      if (this.lineHold.kind === 'queued') {
        const { events, discipline } = this.lineHold;
        this.lineHold = NO_HOLD;
        this.forwardEvents(events, discipline);
        continue;
      }
      if (this.currentMode === 'gate' && state.kind === 'editing') {
        if (this.enterTimer.isScheduled || this.editorTimer.isScheduled) return;
        this.releaseToEditor(state);
        continue;
      }
      if (state.kind === 'starting') return;
      if (!this.routeByForeground(state)) return;
    }
  }

  /** Gate mode at our prompt: everything up to and including the next Enter, then wait for its answer. */
  private releaseToEditor(state: ShellState & { kind: 'editing' }): void {
    const scan = scanForEnter(this.held, state.inPaste);
    if (scan.end < 0) {
      this.pty.write(this.held);
      this.held = '';
      state.inPaste = scan.inPaste;
      return;
    }
    this.pty.write(this.held.slice(0, scan.end));
    this.held = this.held.slice(scan.end);
    state.inPaste = false;
    this.enterTimer.schedule();
  }

  /** A command runs (or the gate is gone): who reads the input decides how it is guarded. Returns false to wait. */
  private routeByForeground(state: ShellState & { kind: 'editing' | 'running' }): boolean {
    const fg = foregroundOf(this.pty.pid, this.shellName, this.pty.process);
    // At the prompt this runs only in fallback mode: the wait for a marker is for a line that runs.
    if (fg.isOurShell && this.currentMode === 'gate' && state.kind === 'running') {
      // Between a command's end and our prompt marker, or the markers stopped: wait a little.
      state.ourShellSince ??= Date.now();
      if (Date.now() - state.ourShellSince < MARKER_TIMEOUT_MS) {
        this.recheckTimer.schedule();
        return false;
      }
      this.switchMode('fallback', 'the shell stopped reporting its prompt');
    }
    if (state.kind === 'running') state.ourShellSince = undefined;
    // Terraform's own question comes first: the tool may run inside a script (a shell in the foreground).
    if (!state.ran?.approved && this.promptWatch.current) {
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
  private forwardEvents(events: LineEvent[], discipline: Discipline): void {
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
      const held: HeldLine = { id: submission.id, command: request.command, enter: event.data, rest: events.slice(k + 1), discipline, stale: false };
      this.lineHold = { kind: 'held', line: held };
      void submission.decision.then((decision) => this.onHeldLineDecision(held, decision));
      return;
    }
  }

  /** What to ask the gate about an Enter outside our hook, or nothing for a blank line / a refusal. */
  private requestFor(line: string, discipline: Discipline): { command: string; source: RequestSource } | undefined {
    if (discipline === 'fallback') return line.trim() === '' ? undefined : { command: line, source: 'terminal-fallback' };
    const prompt = this.promptWatch.current;
    // Only 'yes' confirms; any other answer makes the tool stop by itself.
    if (!prompt || line.trim() !== 'yes') return undefined;
    return { command: confirmedCommand(prompt), source: 'prompt-answer' };
  }

  private onHeldLineDecision(held: HeldLine, decision: Decision): void {
    if (held.stale || this.exited) return;
    this.lineHold = NO_HOLD;
    if (decision.kind === 'run') {
      this.pty.write(held.enter);
    } else {
      this.emit(cancelledBanner(held.command, decision.reason));
      this.pty.write('\x15'); // kill the typed line: the program saw the text, never its Enter
      this.fallbackLine.reset();
      this.answerLine.reset();
    }
    if (held.rest.length > 0) this.lineHold = { kind: 'queued', events: held.rest, discipline: held.discipline };
    this.pump();
  }

  /** Withdraws a held line from the gate, and drops what a discipline read behind it. */
  private dropLineHold(reason: 'interrupted' | 'killed'): void {
    if (this.lineHold.kind === 'held') {
      this.lineHold.line.stale = true;
      this.options.gate.cancel(this.lineHold.line.id, reason);
    }
    this.lineHold = NO_HOLD;
  }

  /** Input not yet forwarded goes (a line held for the gate stays held). */
  private dropTypeAhead(): void {
    this.held = '';
    if (this.lineHold.kind === 'queued') this.lineHold = NO_HOLD;
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
    if (scan.overlong.includes('env') && this.state.kind === 'pending') this.state.request.env.fail(`the environment is longer than ${DEFAULT_MAX_SEQUENCE} characters`);
    if (scan.overlong.includes('names')) this.lineNames = UNREADABLE_SHELL_NAMES;
    // Output that imitates the gate's channel without the nonce is never acted on, but is worth seeing.
    if (scan.spoofed > 0) this.emit(modeBanner('ignored a forged gate message (wrong nonce) in the output'));
    if (this.editorTimer.isScheduled) this.watchEditorReady(rest);
    if (this.state.kind === 'running') this.promptWatch.feed(scan.display);
  }

  private onMessage(message: GateMessage): void {
    // A gone shell's last words change nothing.
    if (this.exited) return;
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
        if (this.state.kind === 'pending') this.state.request.env.answer(parseEnvironment(message.payload));
        return;
    }
  }

  /** Whatever the shell was doing, it is back at our prompt: what the last state held is over. */
  private onPrompt(prompt: ReturnType<typeof parsePrompt>): void {
    const before = this.state;
    const ran = ranIn(before);
    // The line that ran ends here: its status is the one the shell reports with this prompt.
    if (ran && prompt.exitCode !== undefined) this.lineEnds.fire({ id: ran.id, exitCode: prompt.exitCode });
    this.launch.dispose(); // the init has been read: nothing of it needs to stay on disk
    this.startupTimer.cancel();
    this.enterTimer.cancel();
    this.recheckTimer.cancel();
    if (before.kind === 'pending') this.withdraw(before.request, 'interrupted');
    this.dropLineHold('interrupted');
    this.lineNames = undefined;
    this.state = { kind: 'editing', inPaste: false };
    if (ran) this.options.gate.lineEnded(ran.id);
    this.promptWatch = new PromptWatch();
    this.fallbackLine.reset();
    this.answerLine.reset();
    if (!prompt.editing) this.switchMode('fallback', 'line editing is off in the shell');
    else this.switchMode('gate', 'the shell reports its prompt again');
    this.awaitEditor(EDITOR_READY_MS);
  }

  /**
   * The shell sits in our hook's read of the tty until it handles the SIGINT: what is typed meanwhile
   * would be read there as an answer and lost with the hook. It waits for the shell's next prompt, or
   * flows again if none comes (a shell that ignores SIGINT).
   */
  private awaitPromptAfterInterrupt(): void {
    this.awaitEditor(MARKER_TIMEOUT_MS);
  }

  /** Input to the editor waits until the output shows it ready, or `ms` have passed. */
  private awaitEditor(ms: number): void {
    this.editorTail = '';
    this.editorTimer.schedule(ms);
  }

  private watchEditorReady(output: string): void {
    const text = this.editorTail + output;
    if (text.includes(EDITOR_READY)) return this.editorTimer.flush();
    this.editorTail = text.slice(-(EDITOR_READY.length - 1));
  }

  private startupTimedOut(): void {
    if (this.state.kind !== 'starting') return;
    this.state = { kind: 'running' };
    this.switchMode('fallback', 'the shell did not start the gate');
    this.pump();
  }

  private onRequest(command: string, shellNames: ShellNames | undefined): void {
    this.enterTimer.cancel();
    const ran = ranIn(this.state);
    // The question may only go to the shell while it waits for this very line.
    const env = new EnvironmentQuery(() => this.pty.write(envQueryFor(this.nonce)), ENV_TIMEOUT_MS);
    const submission = this.submit(command, 'guarded-terminal', () => env.get(), shellNames);
    const request: WaitingRequest = { id: submission.id, stale: false, env };
    this.state = { kind: 'pending', request, ran };
    if (submission.verdict.verdict === 'allow') return this.answer(request, command, { kind: 'run' }, false);
    this.emit(pausedHookBanner(command));
    void submission.decision.then((decision) => this.answer(request, command, decision, true));
  }

  private answer(request: WaitingRequest, command: string, decision: Decision, paused: boolean): void {
    if (request.stale || this.exited) return;
    const ran = ranIn(this.state);
    request.env.close('the line was answered');
    if (decision.kind === 'run') {
      this.pty.write(answerFor(this.nonce, 'run'));
      // The line it interrupted, if the strict layer asked, is not ended here (see the top).
      this.state = { kind: 'running', ran: { id: request.id, line: command, approved: paused } };
    } else {
      this.emit(cancelledBanner(command, decision.reason));
      this.pty.write(answerFor(this.nonce, 'cancel'));
      this.state = { kind: 'editing', inPaste: false, ran };
    }
    this.pump();
  }

  /** The shell no longer waits for this request: a question about its environment fails, the card goes. */
  private withdraw(request: WaitingRequest, reason: 'interrupted' | 'killed'): void {
    request.stale = true;
    request.env.close(`the line was withdrawn (${reason})`);
    this.options.gate.cancel(request.id, reason);
  }

  private submit(command: string, source: RequestSource, env: GateRequest['env'], shellNames?: ShellNames): Submission {
    return this.options.gate.submit({ command, source, cwd: this.shellCwd(), terminal: this.options.terminalName, shellPid: this.pty.pid, env, ...(shellNames ? { shellNames } : {}) });
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
    const before = this.state;
    this.state = { kind: 'exited' };
    // The line is over: the execs its approval let through once are no longer let through.
    const ran = ranIn(before);
    if (ran) this.options.gate.lineEnded(ran.id);
    for (const timer of this.timers) timer.dispose();
    if (before.kind === 'pending') this.withdraw(before.request, 'killed');
    this.dropLineHold('killed');
    this.launch.dispose();
    const exit = e.signal ? { exitCode: e.exitCode, signal: e.signal } : { exitCode: e.exitCode };
    this.exit.fire(exit);
    // Nothing is announced after the exit: the listeners go with the shell instead of outliving it.
    for (const emitter of [this.data, this.exit, this.modeChanges, this.lineEnds]) emitter.dispose();
  }

  private emit(data: string): void {
    if (data === '') return;
    this.data.fire(data);
  }

  /** A timer of this shell's, disposed with it. */
  private timer(job: () => void, delayMs: number): OnceTimer {
    const timer = new OnceTimer(job, delayMs);
    this.timers.push(timer);
    return timer;
  }
}

/** The line the gate let through in this state, until the next prompt. */
function ranIn(state: ShellState): LetThrough | undefined {
  return state.kind === 'editing' || state.kind === 'pending' || state.kind === 'running' ? state.ran : undefined;
}

/** The command a `yes` at Terraform's confirmation prompt amounts to, for the engine and the reviewer. */
function confirmedCommand(prompt: ConfirmationPrompt): string {
  const workspace = prompt.workspace ? `TF_WORKSPACE=${quoteWord(prompt.workspace)} ` : '';
  return `${workspace}terraform ${prompt.action} -auto-approve # answered yes to: ${prompt.question}`;
}
