/**
 * Reading an audit log in bounded memory: forward, line by line (verify, a full read), and backward
 * from the end until enough lines are found (resuming the chain, `show --last`). Each line is decoded
 * on its own, so a multi-byte character is never split; no line may exceed MAX_LINE_BYTES, so one
 * hostile line cannot make the reader hold the file.
 */
import { open } from 'node:fs/promises';

/** Far above any record countersign writes (a hook's input is capped at 4 MiB). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

/** A line longer than the reader holds; `line` is its 1-based number, counted from the file's start or end. */
export class LineTooLong extends Error {
  constructor(
    readonly line: number,
    readonly fromEnd: boolean,
  ) {
    super(`the line is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB: not a record countersign writes`);
  }
}

/** Bytes of one line gathered across chunks (the chunk buffer is reused, so they are copied), refusing to grow past the cap. */
class LineBuffer {
  private parts: Buffer[] = [];
  private size = 0;

  constructor(private readonly maxBytes: number) {}

  /** Holds `bytes` as part of the current line: after what is held, or before it when reading backwards. */
  hold(bytes: Buffer, before: boolean): boolean {
    if (!this.fits(bytes)) return false;
    if (bytes.length > 0) this.parts[before ? 'unshift' : 'push'](Buffer.from(bytes));
    this.size += bytes.length;
    return true;
  }

  /** The line: what is held and then `bytes` (before it when reading backwards); undefined when it is too long. */
  take(bytes: Buffer, before: boolean): string | undefined {
    if (!this.fits(bytes)) return undefined;
    // Most lines sit inside one chunk: decode those without a copy.
    const whole = this.parts.length === 0 ? bytes : Buffer.concat(before ? [bytes, ...this.parts] : [...this.parts, bytes]);
    this.parts = [];
    this.size = 0;
    return whole.toString('utf8');
  }

  private fits(bytes: Buffer): boolean {
    return this.size + bytes.length <= this.maxBytes;
  }
}

/**
 * The file's text split on '\n', one piece at a time, like `text.split('\n')` without holding the
 * text: the last piece is what follows the final newline ('' for a file that ends with one).
 */
export async function* fileLines(path: string, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<string> {
  const handle = await open(path, 'r');
  try {
    const chunk = Buffer.alloc(CHUNK_BYTES);
    const line = new LineBuffer(maxLineBytes);
    let number = 1;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      const data = chunk.subarray(0, bytesRead);
      let start = 0;
      for (let end = data.indexOf(NEWLINE); end !== -1; end = data.indexOf(NEWLINE, start)) {
        const text = line.take(data.subarray(start, end), false);
        if (text === undefined) throw new LineTooLong(number, false);
        yield text;
        number++;
        start = end + 1;
      }
      if (bytesRead === 0) break;
      if (!line.hold(data.subarray(start), false)) throw new LineTooLong(number, false);
    }
    yield line.take(Buffer.alloc(0), false) as string;
  } finally {
    await handle.close();
  }
}

export interface Tail {
  /** The last complete lines, oldest first (without their newlines). */
  readonly lines: string[];
  /** Text after the last newline ('' when the file ends with one). */
  readonly rest: string;
  /** Whether `lines` begins at the start of the file. */
  readonly fromStart: boolean;
}

/**
 * The shortest tail of the file whose complete lines include `count` lines that `counts` accepts
 * (any line by default), read backwards a chunk at a time: only that tail is read and held.
 */
export async function readTail(path: string, count: number, counts: (line: string) => boolean = () => true, maxLineBytes = MAX_LINE_BYTES): Promise<Tail> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, size));
    const line = new LineBuffer(maxLineBytes);
    const newestFirst: string[] = [];
    let rest: string | undefined;
    let found = 0;
    const tooLong = (): LineTooLong => new LineTooLong(newestFirst.length + 1, true);
    for (let end = size; end > 0 && found < count; ) {
      const start = Math.max(0, end - chunk.length);
      const data = chunk.subarray(0, end - start);
      await handle.read(data, 0, data.length, start);
      let stop = data.length;
      for (let at = data.lastIndexOf(NEWLINE, stop - 1); at !== -1 && found < count; at = stop > 0 ? data.lastIndexOf(NEWLINE, stop - 1) : -1) {
        const text = line.take(data.subarray(at + 1, stop), true);
        if (text === undefined) throw tooLong();
        if (rest === undefined) rest = text;
        else {
          newestFirst.push(text);
          if (counts(text)) found++;
        }
        stop = at;
      }
      if (found < count && !line.hold(data.subarray(0, stop), true)) throw tooLong();
      end = start;
    }
    // Reached the start: what is held is the first line (or, in a file without a newline, all of it).
    const fromStart = found < count;
    if (fromStart) {
      const first = line.take(Buffer.alloc(0), true) as string;
      if (rest === undefined) rest = first;
      else newestFirst.push(first);
    }
    return { lines: newestFirst.reverse(), rest: rest ?? '', fromStart };
  } finally {
    await handle.close();
  }
}
