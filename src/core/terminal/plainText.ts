/**
 * Terminal output as plain text, for the session view's captured output and terraform's errors in
 * the plan preview. Escape sequences (colours, cursor moves, titles, shell-integration markers) are
 * dropped as the bytes stream in; carriage returns and backspaces are kept until the text is shown,
 * where `flattenLines` applies them the way a terminal overwrites a line (progress bars, readline
 * redraws).
 */

const ESC = '\x1b';
const BEL = '\x07';
/** A run of text: anything but the C0 controls other than \b \t \n \r, DEL and the C1 controls. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TEXT_RUN = /[^\x00-\x07\x0b\x0c\x0e-\x1f\x7f-\x9f]+/y;
/** A run inside a string sequence up to what may end it (BEL, ESC, ST) or abort it (CAN, SUB). */
// eslint-disable-next-line no-control-regex -- as above
const STRING_RUN = /[^\x07\x1b\x9c\x18\x1a]+/y;
/** Cancel and substitute abort any sequence in progress (ECMA-48). */
const ABORT = new Set(['\x18', '\x1a']);
/** C1 controls that open a sequence: CSI, and the strings OSC, DCS, SOS, PM, APC. */
const C1_CSI = '\x9b';
const C1_STRINGS = new Set(['\x9d', '\x90', '\x98', '\x9e', '\x9f']);

type State =
  | 'text'
  /** After ESC: the next character says which sequence this is. */
  | 'escape'
  /** ESC followed by intermediates (0x20–0x2F), waiting for the final byte. */
  | 'escape-intermediate'
  /** Control sequence: parameters and intermediates up to a final byte 0x40–0x7E. */
  | 'csi'
  /** A string (OSC, DCS, SOS, PM, APC) up to BEL or ST; OSC alone may end with BEL. */
  | 'string'
  /** ESC inside a string: a backslash makes it ST. */
  | 'string-escape';

/**
 * Strips escape sequences from a stream whose chunks may split a sequence anywhere. Runs of text and
 * of string payloads are taken whole (the extension host reads every byte a guarded terminal prints).
 */
export class PlainTextStream {
  private state: State = 'text';

  push(chunk: string): string {
    let out = '';
    let i = 0;
    while (i < chunk.length) {
      const run = this.state === 'text' ? TEXT_RUN : this.state === 'string' ? STRING_RUN : undefined;
      if (run) {
        run.lastIndex = i;
        const match = run.exec(chunk);
        if (match) {
          if (this.state === 'text') out += match[0];
          i += match[0].length;
          continue;
        }
      }
      this.step(chunk[i++]);
    }
    return out;
  }

  /** One character that is not part of a run: a control, or a character inside a sequence. */
  private step(ch: string): void {
    if (ABORT.has(ch)) {
      this.state = 'text';
      return;
    }
    switch (this.state) {
      case 'text':
        if (ch === ESC) this.state = 'escape';
        else if (ch === C1_CSI) this.state = 'csi';
        else if (C1_STRINGS.has(ch)) this.state = 'string';
        break;
      case 'escape':
        if (ch === '[') this.state = 'csi';
        else if (ch === ']' || ch === 'P' || ch === 'X' || ch === '^' || ch === '_') this.state = 'string';
        else if (ch >= ' ' && ch <= '/') this.state = 'escape-intermediate';
        else this.state = ch === ESC ? 'escape' : 'text';
        break;
      case 'escape-intermediate':
        if (ch < ' ' || ch > '/') this.state = 'text';
        break;
      case 'csi':
        if (ch >= '@' && ch <= '~') this.state = 'text';
        break;
      case 'string':
        if (ch === BEL || ch === '\x9c') this.state = 'text';
        else if (ch === ESC) this.state = 'string-escape';
        break;
      case 'string-escape':
        this.state = ch === '\\' ? 'text' : ch === ESC ? 'string-escape' : 'string';
        break;
    }
  }
}

/** One-shot form of the stream, for text that holds whole sequences. */
export function stripAnsi(text: string): string {
  return new PlainTextStream().push(text);
}

/**
 * Applies carriage returns and backspaces within each line, as a terminal overwrites it: what is
 * shown is what the line ends up as, not every redraw on the way.
 */
export function flattenLines(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const cells: string[] = [];
      let column = 0;
      for (const ch of line) {
        if (ch === '\r') column = 0;
        else if (ch === '\b') column = Math.max(0, column - 1);
        else cells[column++] = ch;
      }
      return Array.from(cells, (cell) => cell ?? ' ').join('');
    })
    .join('\n');
}
