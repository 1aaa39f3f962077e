import { tailOf, headOf } from './bounded';
import { PlainTextStream } from '../terminal/plainText';
import type { CapturedOutput } from './sessionLog';

export interface TranscriptLimits {
  /** How much of the terminal's output before a request is kept with it. */
  readonly before: number;
  /** How much of the output after a request is kept. */
  readonly after: number;
}

export const DEFAULT_TRANSCRIPT_LIMITS: TranscriptLimits = { before: 4 * 1024, after: 12 * 1024 };

interface Capture {
  readonly id: string;
  readonly before: string;
  after: string;
}

/**
 * One terminal's output, as plain text, and the capture of what surrounds each request from it: the
 * last `before` characters when the request comes, then what follows until the command ends, the
 * terminal's next request comes, or `after` characters are kept. The sink is told each time the
 * capture grows, so a command still running shows its output so far. Memory stays bounded by the
 * limits whatever the terminal prints.
 */
export class TerminalTranscript {
  private readonly plain = new PlainTextStream();
  /** The latest output; trimmed to `before` once it reaches twice that, so trimming is amortised. */
  private recent = '';
  private capture: Capture | undefined;

  constructor(
    private readonly sink: (id: string, output: CapturedOutput) => void,
    private readonly limits: TranscriptLimits = DEFAULT_TRANSCRIPT_LIMITS,
  ) {}

  write(data: string): void {
    const text = this.plain.push(data);
    if (!text) return;
    this.recent += text;
    if (this.recent.length >= 2 * this.limits.before) this.recent = tailOf(this.recent, this.limits.before);
    const capture = this.capture;
    if (!capture) return;
    const room = this.limits.after - capture.after.length;
    capture.after += headOf(text, room);
    const full = text.length > room;
    if (full) this.capture = undefined;
    this.sink(capture.id, { before: capture.before, after: capture.after, truncated: full });
  }

  /** A request from this terminal: the capture in progress (the previous command's) ends here. */
  begin(id: string): void {
    this.capture = { id, before: tailOf(this.recent, this.limits.before), after: '' };
    this.sink(id, { before: this.capture.before, after: '', truncated: false });
  }

  /** The command ended: later output is not its own. */
  end(id: string): void {
    if (this.capture?.id === id) this.capture = undefined;
  }
}
