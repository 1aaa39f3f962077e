/**
 * The fallback line discipline: where our shell init is not running (sh, an unknown shell, ssh, a
 * REPL), the proxy rebuilds the line being typed from the input alone, forwards every keystroke at
 * once, and holds only the key that submits a line until the gate has decided on it.
 *
 * It knows plain text, backspace, Ctrl-U, Ctrl-W, Ctrl-C and bracketed paste. Anything that may move
 * the cursor or rewrite the line in a way we cannot follow (arrows, history, Tab, other control keys,
 * other escape sequences) leaves the text as it was but marks it inexact, so the proxy can fail closed.
 */

export type LineEvent =
  /** Bytes to forward to the program at once. */
  | { readonly kind: 'text'; readonly data: string }
  /**
   * A key that submits `line`: the proxy decides before forwarding `data` (the key itself).
   * `exact` is false when the line may differ from `line`; `inPaste` when the newline came in a paste.
   */
  | { readonly kind: 'enter'; readonly line: string; readonly exact: boolean; readonly inPaste: boolean; readonly data: string };

const ESC = '\x1b';
const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';
/** Focus reports (CSI I, CSI O) are sent by the terminal, not typed: they leave the line alone. */
const HARMLESS_SEQUENCES = new Set(['\x1b[I', '\x1b[O', PASTE_END]);

const CTRL_C = 0x03;
const CTRL_D = 0x04;
const BACKSPACE = 0x08;
const LF = 0x0a;
const CR = 0x0d;
const CTRL_O = 0x0f;
const CTRL_U = 0x15;
const CTRL_W = 0x17;
const DEL = 0x7f;

export class LineDiscipline {
  private line = '';
  private exact = true;
  private inPaste = false;
  /** An escape sequence read so far (outside a paste) or a possible paste end (inside one). */
  private sequence = '';

  /** Reads typed input; the events' data, joined, is always exactly the input. */
  feed(input: string): LineEvent[] {
    const events: LineEvent[] = [];
    let forwardFrom = 0;
    for (let i = 0; i < input.length; i++) {
      const submitted = this.inPaste ? this.pasted(input[i]) : this.typed(input[i]);
      if (!submitted) continue;
      if (i > forwardFrom) events.push({ kind: 'text', data: input.slice(forwardFrom, i) });
      events.push({ kind: 'enter', ...submitted, data: input[i] });
      forwardFrom = i + 1;
    }
    if (input.length > forwardFrom) events.push({ kind: 'text', data: input.slice(forwardFrom) });
    return events;
  }

  /** The program is known to be at a fresh, empty line (a new prompt). */
  reset(): void {
    this.line = '';
    this.exact = true;
    this.inPaste = false;
    this.sequence = '';
  }

  private typed(c: string): Submitted | undefined {
    if (this.sequence !== '') return this.escapeSequence(c);
    const code = c.charCodeAt(0);
    if (code >= 0x20 && code !== DEL) {
      this.line += c;
      return undefined;
    }
    switch (code) {
      case CR:
      case LF:
        return this.submit({ nextExact: true });
      case CTRL_O:
        // readline's operate-and-get-next: accepts, then loads the next history line.
        return this.submit({ nextExact: false });
      case CTRL_D:
        // On a non-empty line a cooked tty hands the text to the program without a newline.
        if (this.line === '') return undefined;
        return this.submit({ nextExact: false, keepLine: true });
      case BACKSPACE:
      case DEL:
        this.line = dropLastCodePoint(this.line);
        return undefined;
      case CTRL_U:
        // Kills to the start; only a line whose cursor we know to be at the end is then empty for sure.
        this.line = '';
        return undefined;
      case CTRL_W:
        this.line = this.line.replace(/\S*\s*$/u, '');
        return undefined;
      case CTRL_C:
        this.reset();
        return undefined;
      case 0x1b:
        this.sequence = ESC;
        return undefined;
      default:
        // Tab completes, other control keys move or edit: the text we hold is no longer certain.
        this.exact = false;
        return undefined;
    }
  }

  /** One more character of an escape sequence typed outside a paste. */
  private escapeSequence(c: string): Submitted | undefined {
    const code = c.charCodeAt(0);
    const seq = this.sequence;
    if (code < 0x20 || code === DEL) {
      // The sequence was cut short (a lone Escape, as in vi mode): the control key counts on its own.
      this.sequence = '';
      this.exact = false;
      return this.typed(c);
    }
    if (seq === ESC && (c === '[' || c === 'O')) {
      this.sequence += c;
      return undefined;
    }
    const inCsiParameters = seq.startsWith('\x1b[') && code >= 0x20 && code <= 0x3f;
    if (inCsiParameters) {
      this.sequence += c;
      return undefined;
    }
    // Complete: ESC + key (Alt), ESC O + key (application cursor keys), or a CSI with its final byte.
    const complete = seq + c;
    this.sequence = '';
    if (complete === PASTE_START) this.inPaste = true;
    else if (!HARMLESS_SEQUENCES.has(complete)) this.exact = false;
    return undefined;
  }

  /** Inside a bracketed paste everything is literal text, except newlines and the end marker. */
  private pasted(c: string): Submitted | undefined {
    if (this.sequence !== '' || c === ESC) {
      const candidate = this.sequence + c;
      if (candidate === PASTE_END) {
        this.sequence = '';
        this.inPaste = false;
      } else if (PASTE_END.startsWith(candidate)) {
        this.sequence = candidate;
      } else {
        // Not the end marker after all: what was held is pasted text, and `c` is read afresh.
        this.line += this.sequence;
        this.sequence = '';
        return this.pasted(c);
      }
      return undefined;
    }
    const code = c.charCodeAt(0);
    if (code === CR || code === LF) return this.submit({ nextExact: true });
    this.line += c;
    return undefined;
  }

  private submit(after: { nextExact: boolean; keepLine?: boolean }): Submitted {
    const submitted = { line: this.line, exact: this.exact, inPaste: this.inPaste };
    if (!after.keepLine) this.line = '';
    this.exact = after.nextExact;
    return submitted;
  }
}

interface Submitted {
  readonly line: string;
  readonly exact: boolean;
  readonly inPaste: boolean;
}

function dropLastCodePoint(s: string): string {
  if (s === '') return s;
  const last = s.charCodeAt(s.length - 1);
  const pair = last >= 0xdc00 && last <= 0xdfff && s.length >= 2 && isHighSurrogate(s.charCodeAt(s.length - 2));
  return s.slice(0, pair ? -2 : -1);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
