import type { Gate, RequestSource } from '../gate/types';
import { Disposable } from '../lifecycle';
import { decidedByOf, SessionLog } from './sessionLog';
import { DEFAULT_TRANSCRIPT_LIMITS, TerminalTranscript, type TranscriptLimits } from './transcript';

/** Lines typed at a guarded terminal's prompt; a prompt answer is part of the command that asked, whose capture goes on. */
const CAPTURED_SOURCES: ReadonlySet<RequestSource> = new Set(['guarded-terminal', 'terminal-fallback']);

/**
 * Fills the session log from the gate's submissions and decisions, and from what the guarded
 * terminals print and report: each terminal's output (for the text around its requests) and the
 * commands that ended there with their exit codes. Disposing it stops following the gate.
 */
export class SessionRecorder extends Disposable {
  private readonly transcripts = new Map<string, TerminalTranscript>();

  constructor(
    readonly log: SessionLog,
    private readonly limits: TranscriptLimits = DEFAULT_TRANSCRIPT_LIMITS,
  ) {
    super();
  }

  follow(gate: Pick<Gate, 'onDidSubmit'>): void {
    this._register(
      gate.onDidSubmit(({ id, request, verdict, createdAt, decision }) => {
        this.log.record(request, id, verdict, createdAt);
        if (request.terminal !== undefined && CAPTURED_SOURCES.has(request.source)) this.transcript(request.terminal).begin(id);
        void decision.then((settled) => this.log.decide(id, settled, decidedByOf(verdict, settled)));
      }),
    );
  }

  /** Output of the guarded terminal with this name, as the terminal shows it. */
  terminalOutput(terminal: string, data: string): void {
    this.transcript(terminal).write(data);
  }

  /**
   * A command ended in that terminal: the request the guarded shell names (`id`, at its next prompt),
   * or the command line VS Code's shell integration reports. Returns the id of the request the exit
   * belongs to, when one matches and has no exit code yet.
   */
  commandEnded(terminal: string, which: { readonly id: string } | { readonly commandLine: string }, exitCode: number): string | undefined {
    const entry = this.log.exited('id' in which ? which.id : { terminal, commandLine: which.commandLine }, exitCode);
    if (entry) this.transcripts.get(terminal)?.end(entry.id);
    return entry?.id;
  }

  terminalClosed(terminal: string): void {
    this.transcripts.delete(terminal);
  }

  private transcript(terminal: string): TerminalTranscript {
    let transcript = this.transcripts.get(terminal);
    if (!transcript) {
      transcript = new TerminalTranscript((id, output) => this.log.attachOutput(id, output), this.limits);
      this.transcripts.set(terminal, transcript);
    }
    return transcript;
  }
}
