/**
 * The private escape protocol between our shell init and the pty proxy.
 *
 * shell → proxy, in the tty output: `ESC ] 7779 ; <kind> ; <nonce> ; <payload> BEL` (ST also ends it),
 * payload percent-encoded: `%`, C0 controls and DEL as `%XX`, everything else as is.
 * proxy → shell, in the tty input: `<nonce>;run\n` or `<nonce>;cancel\n` (LF: readline has ICRNL off), and
 * while a line waits, `<nonce>;env\n`: the shell answers with an `env` message and goes on waiting.
 */

export const OSC_NUMBER = '7779';

export const MESSAGE_KINDS = ['prompt', 'req', 'dbg', 'spill', 'env', 'names'] as const;
/**
 * prompt: the primary prompt is about to be drawn (see parsePrompt);
 * req: the line editor is about to accept the payload and waits for an answer;
 * dbg: the DEBUG-trap layer caught a command the hook never approved, and waits for an answer;
 * spill: type-ahead the shell read while waiting, for the proxy to send again;
 * env: the waiting shell's exported variables, asked for by the proxy (see parseEnvironment);
 * names: sent just before a `req`, the aliases and functions its line may call (see parseShellNames).
 */
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export interface GateMessage {
  readonly kind: MessageKind;
  readonly payload: string;
  /** Where the sequence stood in this chunk's display text. */
  readonly at: number;
}

export interface ScanResult {
  /** The output with our sequences removed; everything else byte for byte. */
  readonly display: string;
  /** Messages that carried our nonce, in order. */
  readonly messages: readonly GateMessage[];
  /** Well-formed 7779 sequences with another nonce: forged by something in the terminal. Dropped. */
  readonly spoofed: number;
  /** 7779 sequences that could not be read (bad kind or encoding, aborted, too long). Dropped. */
  readonly malformed: number;
  /**
   * The kinds of sequences with our nonce that were dropped for being longer than the limit (also
   * counted as malformed), so the proxy can fail what waited for them instead of waiting on.
   */
  readonly overlong: readonly MessageKind[];
}

export type Answer = 'run' | 'cancel';

const ESC = '\x1b';
const BEL = '\x07';
const PREFIX = `${ESC}]${OSC_NUMBER};`;
/**
 * A `req` holds a whole command (a paste, a heredoc), an `env` the whole environment (tens of KB is
 * usual; Linux caps a single variable at 128 KiB); beyond this the sequence is not ours to keep.
 */
export const DEFAULT_MAX_SEQUENCE = 1 << 20;

/** Percent-encodes `%`, C0 controls and DEL, the way the shell side sends payloads. */
export function encodePayload(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[%\x00-\x1f\x7f]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

/** The inverse of encodePayload; undefined when the text is not a valid encoding. */
export function decodePayload(encoded: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- a raw control character means the shell did not encode
  if (/[\x00-\x1f\x7f]/.test(encoded)) return undefined;
  let bad = false;
  const text = encoded.replace(/%([0-9A-Fa-f]{2})?/g, (_, hex: string | undefined) => {
    if (hex === undefined) bad = true;
    return hex === undefined ? '' : String.fromCharCode(parseInt(hex, 16));
  });
  return bad ? undefined : text;
}

/** The whole sequence the shell writes; for tests and tools that speak for the shell. */
export function encodeMessage(kind: MessageKind, nonce: string, payload: string): string {
  return `${PREFIX}${kind};${nonce};${encodePayload(payload)}${BEL}`;
}

/** What the proxy types into the shell's input to answer a pending `req` or `dbg`. */
export function answerFor(nonce: string, answer: Answer): string {
  return `${nonce};${answer}\n`;
}

/** What the proxy types into the shell's input to ask a pending `req` or `dbg` for its environment. */
export function envQueryFor(nonce: string): string {
  return `${nonce};env\n`;
}

/** A `prompt` payload: `noedit` when line editing is off, and `exit=N`, the status of the line that just ended. */
export function parsePrompt(payload: string): { readonly editing: boolean; readonly exitCode?: number } {
  const words = payload.split(' ');
  const exit = words.find((w) => /^exit=\d{1,3}$/.test(w));
  return { editing: !words.includes('noedit'), ...(exit ? { exitCode: Number(exit.slice(5)) } : {}) };
}

/**
 * The payload of an `env` message: `NAME=value` entries, each ended by NUL, so values may hold
 * newlines, quotes and `=`. Anything else (the shell sends `unavailable` when it cannot list its
 * environment) is undefined, never a partial environment.
 */
export function parseEnvironment(payload: string): Record<string, string> | undefined {
  if (payload === '') return {};
  if (!payload.endsWith('\0')) return undefined;
  const entries: [string, string][] = [];
  for (const entry of payload.slice(0, -1).split('\0')) {
    const eq = entry.indexOf('=');
    if (eq < 1) return undefined;
    entries.push([entry.slice(0, eq), entry.slice(eq + 1)]);
  }
  // fromEntries defines own properties: a variable named __proto__ stays a variable.
  return Object.fromEntries(entries);
}

/**
 * Incremental scanner over the pty output stream. Feed chunks in order; each call returns the text to
 * display and the messages found. Our sequences may be split across chunks anywhere: only the bytes
 * that may belong to one of ours are held back, and only until it ends or turns out not to be ours.
 * Other escape sequences (VS Code's 633, titles, colours) pass through untouched.
 */
export class OscScanner {
  /** A possible start of ours at the end of the last chunk, held back until the next chunk tells. */
  private held = '';
  /** Our sequence still open, in the pieces it came in: joined once, when it ends. */
  private open: string[] = [];
  private openLength = 0;
  /** Inside one of ours that grew past maxSequence: dropping until it ends. */
  private skipping = false;

  constructor(
    private readonly nonce: string,
    private readonly maxSequence = DEFAULT_MAX_SEQUENCE,
  ) {
    if (!/^[0-9A-Za-z]+$/.test(nonce)) throw new Error('the gate nonce must be a non-empty alphanumeric string');
  }

  feed(chunk: string): ScanResult {
    let text = chunk;
    if (this.skipping) {
      // The rest of an overlong sequence: dropped up to its end, never held.
      const end = findTerminator(text, 0);
      if (end.kind === 'open' && !text.endsWith(ESC)) return plain('');
      this.skipping = false;
      text = end.kind === 'done' ? text.slice(end.next) : end.kind === 'aborted' ? text.slice(end.at) : ESC;
    }
    if (this.open.length > 0) {
      // Only the new text can end the open sequence: scanning all of it again for every chunk of a
      // large payload would be quadratic. An ESC at the end of the last piece may pair with this text.
      const carried = this.open[this.open.length - 1].endsWith(ESC) ? ESC : '';
      if (findTerminator(carried + text, 0).kind === 'open') return this.grow(text);
      text = this.open.join('') + text;
      this.open = [];
      this.openLength = 0;
    }
    // The hot path: plain output with nothing held is returned as is, no copy.
    if (this.held === '' && !text.includes(ESC)) return plain(text);
    text = this.held + text;
    this.held = '';
    const out: string[] = [];
    let displayLength = 0;
    const messages: GateMessage[] = [];
    const overlong: MessageKind[] = [];
    let spoofed = 0;
    let malformed = 0;
    /** Start of the display text not yet copied out: plain text and other sequences are copied in runs. */
    let from = 0;
    const cut = (to: number): void => {
      out.push(text.slice(from, to));
      displayLength += to - from;
    };

    let i = 0;
    for (;;) {
      const esc = text.indexOf(PREFIX, i);
      if (esc < 0) {
        // The chunk may end inside what becomes our prefix in the next one: hold only that.
        const partial = partialPrefixAtEnd(text, i);
        if (partial >= 0) {
          cut(partial);
          from = text.length;
          this.held = text.slice(partial);
        }
        break;
      }
      cut(esc);
      from = text.length;
      const end = findTerminator(text, esc + PREFIX.length);
      if (end.kind === 'open') {
        const dropped = this.grow(text.slice(esc));
        malformed += dropped.malformed;
        overlong.push(...dropped.overlong);
        break;
      }
      if (end.kind === 'aborted') {
        // CAN, SUB or an ESC that starts something else cut the sequence short, as in a terminal.
        malformed++;
        from = i = end.at;
        continue;
      }
      const parsed = this.parse(text.slice(esc + PREFIX.length, end.at));
      if (parsed === 'spoofed') spoofed++;
      else if (parsed === 'malformed') malformed++;
      else messages.push({ ...parsed, at: displayLength });
      from = i = end.next;
    }
    if (from === 0) return { display: text, messages, spoofed, malformed, overlong };
    if (from < text.length) cut(text.length);
    return { display: out.join(''), messages, spoofed, malformed, overlong };
  }

  /** Keeps a piece of our open sequence; past the limit the sequence is dropped up to its end instead. */
  private grow(piece: string): ScanResult {
    if (piece === '') return plain(''); // an empty piece would hide an ESC at the end of the one before
    this.open.push(piece);
    this.openLength += piece.length;
    if (this.openLength <= this.maxSequence) return plain('');
    const kind = this.ownKind(this.open);
    this.open = [];
    this.openLength = 0;
    this.skipping = !piece.endsWith(ESC);
    this.held = this.skipping ? '' : ESC;
    return { display: '', messages: [], spoofed: 0, malformed: 1, overlong: kind ? [kind] : [] };
  }

  /** The kind of an open sequence when it carries our nonce; undefined for a forged or unreadable one. */
  private ownKind(pieces: readonly string[]): MessageKind | undefined {
    // Room for the longest kind and both separators after the prefix.
    const room = PREFIX.length + 16 + this.nonce.length;
    let head = '';
    for (const piece of pieces) {
      if (head.length >= room) break;
      head += piece;
    }
    const fields = head.slice(PREFIX.length, room).split(';');
    if (fields.length < 3) return undefined;
    const [kind, nonce] = fields;
    return isMessageKind(kind) && sameSecret(nonce, this.nonce) ? kind : undefined;
  }

  private parse(body: string): { kind: MessageKind; payload: string } | 'spoofed' | 'malformed' {
    const first = body.indexOf(';');
    const second = first < 0 ? -1 : body.indexOf(';', first + 1);
    if (second < 0) return 'malformed';
    const kind = body.slice(0, first);
    const nonce = body.slice(first + 1, second);
    const payload = decodePayload(body.slice(second + 1));
    if (!isMessageKind(kind) || payload === undefined) return 'malformed';
    if (!sameSecret(nonce, this.nonce)) return 'spoofed';
    return { kind, payload };
  }
}

function plain(display: string): ScanResult {
  return { display, messages: [], spoofed: 0, malformed: 0, overlong: [] };
}

/** Where a proper prefix of ours starts in the last few characters of `text` (from `from` on), or -1. */
function partialPrefixAtEnd(text: string, from: number): number {
  for (let at = text.indexOf(ESC, Math.max(from, text.length - PREFIX.length + 1)); at >= 0; at = text.indexOf(ESC, at + 1)) {
    if (PREFIX.startsWith(text.slice(at))) return at;
  }
  return -1;
}

type Terminator = { kind: 'open' } | { kind: 'aborted'; at: number } | { kind: 'done'; at: number; next: number };

/** Finds the BEL or ST that ends the sequence body starting at `from`, the way xterm reads OSC strings. */
function findTerminator(text: string, from: number): Terminator {
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x07) return { kind: 'done', at: j, next: j + 1 };
    if (c === 0x18 || c === 0x1a) return { kind: 'aborted', at: j };
    if (c !== 0x1b) continue; // other controls stay inside the string, as terminals read it
    if (j + 1 === text.length) return { kind: 'open' };
    return text[j + 1] === '\\' ? { kind: 'done', at: j, next: j + 2 } : { kind: 'aborted', at: j };
  }
  return { kind: 'open' };
}

function isMessageKind(kind: string): kind is MessageKind {
  return (MESSAGE_KINDS as readonly string[]).includes(kind);
}

/** Compares without an early exit, so timing does not tell a forger how much of a guess was right. */
function sameSecret(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let k = 0; k < b.length; k++) diff |= (a.charCodeAt(k) | 0) ^ b.charCodeAt(k);
  return diff === 0;
}
