/**
 * Reads `terraform show -json` output as it arrives, in chunks of bytes, and keeps only what the
 * review shows: the analysis (counts, headline, critical resources, backups, production markers,
 * drift, the changes with their reasons and attribute names) and, when asked, where each change's
 * entry lies in the stream, so that its diff can be read again on request from a copy of the
 * output (src/node/terraform/planPreviewer.ts) instead of from a plan held in memory.
 *
 * A small JSON scanner of its own checks the syntax of every byte (planned_values, prior_state and
 * configuration included, which are never built), and hands each `resource_changes` /
 * `resource_drift` entry, one at a time, to JSON.parse and the analysis. Memory grows with the
 * largest entry and the analysis, not with the plan. Problems are reported once the whole output
 * is read, in the order readPlan reports them, with the same messages (plan.ts). Pure: bytes in,
 * data out.
 */
import {
  checkedEntry,
  checkTop,
  fail,
  JsonSyntaxProblem,
  jsonSyntaxMessage,
  listError,
  notJsonMessage,
  PlanAnalyzer,
  PlanJson,
  changeAddress,
  PlanTop,
} from './plan';
import { BlastRadiusOptions, PlanAnalysis, TerraformFormatError } from './types';
import { err, ok, type Result } from '../result';

/** Where one `resource_changes` entry lies in the stream: bytes [start, end), and its text's digest when asked for. */
export interface EntrySpan {
  readonly start: number;
  readonly end: number;
  /** What the text read back from a copy must hash to: a copy changed since is refused. */
  readonly digest?: string;
}

/** What a reader keeps beside the analysis: each entry's span, and a digest of its text (the caller's hash; core does no crypto). */
export interface PlanKeep {
  readonly spans?: boolean;
  readonly digest?: (text: string) => string;
}

export interface PlanReading {
  readonly analysis: PlanAnalysis;
  /** Each `resource_changes` entry by its address (as ResourceChange.address), when asked for. */
  readonly spans?: ReadonlyMap<string, EntrySpan>;
}

/** Deeper than this is no plan Terraform writes, and the diff's renderer recurses: refused, with where. */
export const MAX_JSON_DEPTH = 256;
/** How much of a text that is not JSON is kept to say what it is instead (plan text, UTF-16, a zip). */
const NOT_JSON_PREFIX_BYTES = 1024 * 1024;
/** The top-level strings read (format_version, terraform_version, timestamp); longer ones are not versions. */
const MAX_SCALAR_BYTES = 64 * 1024;
const MAX_KEY_BYTES = 64;

// What the scanner expects next.
const START = 0;
const VALUE = 1;
const VALUE_OR_CLOSE = 2;
const KEY_OR_CLOSE = 3;
const KEY = 4;
const COLON = 5;
const COMMA_OR_CLOSE = 6;
const STRING = 7;
const ESCAPE = 8;
const UNICODE = 9;
const NUMBER = 10;
const LITERAL = 11;
const DONE = 12;
const NOT_JSON = 13;
const STOPPED = 14;

// Where a number is: after '-', after a leading 0, in the integer digits, after '.', in the
// fraction, after 'e', after the exponent's sign, in the exponent digits.
const N_MINUS = 0;
const N_ZERO = 1;
const N_INT = 2;
const N_DOT = 3;
const N_FRAC = 4;
const N_EXP = 5;
const N_EXP_SIGN = 6;
const N_EXP_DIGITS = 7;

const OBJECT = 1;
const ARRAY = 2;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const LITERALS: Readonly<Record<number, Uint8Array>> = {
  0x74: new Uint8Array([0x74, 0x72, 0x75, 0x65]),
  0x66: new Uint8Array([0x66, 0x61, 0x6c, 0x73, 0x65]),
  0x6e: new Uint8Array([0x6e, 0x75, 0x6c, 0x6c]),
};
/** `"\/bfnrtu` after a backslash. */
const ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74, 0x75]);

function isWhitespace(b: number): boolean {
  return b === 0x20 || b === NEWLINE || b === 0x0d || b === 0x09;
}

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

function isHex(b: number): boolean {
  return isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

type ListKey = 'resource_changes' | 'resource_drift';
/** The top-level members read: the two lists entry by entry, the rest as small values. */
type Member = ListKey | 'format_version' | 'terraform_version' | 'timestamp' | undefined;

/** A stretch of the stream kept while it is read: a key, a small value, or one entry. */
class Capture {
  private readonly pieces: Uint8Array[] = [];
  size = 0;
  /** Index in the current chunk where it continues. */
  from = 0;
  constructor(
    /** Where it starts in the stream, and in the current chunk. */
    readonly start: number,
    from: number,
    readonly limit: number,
  ) {
    this.from = from;
  }

  /** Keeps the rest of a chunk the capture runs past (a copy: the caller may reuse its buffer). */
  keep(chunk: Uint8Array): void {
    this.append(chunk, chunk.length, true);
    this.from = 0;
  }

  /** The captured text, up to `end` in the current chunk; undefined when it outgrew its limit. */
  text(chunk: Uint8Array, end: number): string | undefined {
    this.append(chunk, end, false);
    if (this.size > this.limit) return undefined;
    const bytes = this.pieces.length === 1 ? this.pieces[0] : concat(this.pieces, this.size);
    return UTF8.decode(bytes);
  }

  private append(chunk: Uint8Array, end: number, copy: boolean): void {
    const length = end - this.from;
    this.size += length;
    if (this.size > this.limit || length === 0) return;
    // A copy made by Uint8Array's own slice: a Buffer's slice() would share the caller's memory.
    this.pieces.push(copy ? Uint8Array.prototype.slice.call(chunk, this.from, end) : chunk.subarray(this.from, end));
  }
}

const UTF8 = new TextDecoder();

function concat(pieces: readonly Uint8Array[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const piece of pieces) {
    bytes.set(piece, at);
    at += piece.length;
  }
  return bytes;
}

/**
 * Feed it the output with write(), then call finish() for the analysis, or the reason the output is
 * not a plan (readPlan's message). Never throws from write().
 */
export class PlanReader {
  /** Bytes read so far. */
  bytes = 0;
  private mode = START;
  private readonly stack = new Uint8Array(MAX_JSON_DEPTH + 1);
  private depth = 0;
  /** Whether the string being read is an object key. */
  private isKey = false;
  private number = N_INT;
  private literal: Uint8Array = LITERALS[0x6e];
  private literalAt = 0;
  private unicodeLeft = 0;
  /** Line (from 1), where it starts in the stream, and how many bytes on it are not characters of their own. */
  private line = 1;
  private lineStart = 0;
  private lineExtra = 0;

  private problem: JsonSyntaxProblem | undefined;
  private tooDeep: { line: number; column: number } | undefined;
  /** The start of a text that is not JSON, to say what it is instead. */
  private notJson: Capture | undefined;

  // The top of the document.
  private readonly keys = { lineage: false, serial: false, values: false, planned_values: false, resource_changes: false };
  private onlyVersionKeys = true;
  private readonly scalars: Partial<Record<'format_version' | 'terraform_version' | 'timestamp', unknown>> = {};
  private readonly lists: Partial<Record<ListKey, 'list' | 'null' | 'other'>> = {};
  private member: Member;
  private keyCapture: Capture | undefined;
  private valueCapture: Capture | undefined;
  /** The list whose entries are being read, while inside it. */
  private list: ListKey | undefined;
  private readonly counts: Record<ListKey, number> = { resource_changes: 0, resource_drift: 0 };
  private readonly entryErrors: Partial<Record<ListKey, TerraformFormatError>> = {};
  private duplicate: string | undefined;

  // Documents after the first: terragrunt's JSON lines, or extra data.
  private extraAt: { line: number; column: number } | undefined;
  private documents = 1;
  private oneLine = true;
  private newlineBetween = false;

  private readonly analyzer: PlanAnalyzer;
  private readonly spans: Map<string, EntrySpan> | undefined;
  private readonly digest: ((text: string) => string) | undefined;

  constructor(options: BlastRadiusOptions = {}, keep: PlanKeep = {}) {
    this.analyzer = new PlanAnalyzer(options);
    if (keep.spans) this.spans = new Map();
    this.digest = keep.digest;
  }

  write(chunk: Uint8Array): void {
    const base = this.bytes;
    this.bytes += chunk.length;
    if (this.mode === STOPPED) return;
    if (this.mode === NOT_JSON) {
      this.keepNotJson(chunk, 0);
      return;
    }
    const n = chunk.length;
    let i = 0;
    // A byte order mark at the very start is not part of the JSON (readPlan strips it too).
    if (base === 0 && n >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
      i = 3;
      this.lineStart = 3;
    }
    for (; i < n; i++) {
      let b = chunk[i];
      switch (this.mode) {
        case STRING: {
          // The hot loop: most of a plan is strings.
          for (; i < n; i++) {
            b = chunk[i];
            if (b === QUOTE || b === BACKSLASH || b < 0x20) break;
            if (b >= 0x80 && (b < 0xc0 || b >= 0xf0)) this.lineExtra += b < 0xc0 ? 1 : -1;
          }
          if (i === n) break;
          if (b === QUOTE) this.endString(chunk, i);
          else if (b === BACKSLASH) this.mode = ESCAPE;
          else this.syntax(base + i);
          break;
        }
        case ESCAPE:
          if (!ESCAPES.has(b)) this.syntax(base + i);
          else if (b === 0x75) {
            this.mode = UNICODE;
            this.unicodeLeft = 4;
          } else this.mode = STRING;
          break;
        case UNICODE:
          if (!isHex(b)) this.syntax(base + i);
          else if (--this.unicodeLeft === 0) this.mode = STRING;
          break;
        case NUMBER:
          if (!this.numberByte(b)) {
            if (this.number === N_ZERO || this.number === N_INT || this.number === N_FRAC || this.number === N_EXP_DIGITS) {
              this.afterValue();
              i--; // the byte that ended the number is read again after it
            } else this.syntax(base + i);
          }
          break;
        case LITERAL:
          if (b !== this.literal[this.literalAt]) this.syntax(base + i);
          else if (++this.literalAt === this.literal.length) this.afterValue();
          break;
        default:
          if (isWhitespace(b)) {
            if (b === NEWLINE) this.newline(base + i);
            break;
          }
          this.structural(b, chunk, i, base);
      }
      if (this.mode === STOPPED) return;
      if (this.mode === NOT_JSON) {
        this.keepNotJson(chunk, i);
        return;
      }
    }
    this.keyCapture?.keep(chunk);
    this.valueCapture?.keep(chunk);
  }

  /**
   * Whether the output is a plan at all, as the preview first asks (isPlanJson): one JSON object
   * with a string format_version and planned values or resource changes. Output refused for its
   * depth counts as a plan here, so that finish() says why.
   */
  looksLikePlan(): boolean {
    if (this.tooDeep) return true;
    if (this.problem || this.mode !== DONE || this.extraAt) return false;
    return typeof this.scalars.format_version === 'string' && (this.keys.planned_values || this.keys.resource_changes);
  }

  /** The analysis, or readPlan's message for why the output is not a plan it reads. */
  finish(): Result<PlanReading> {
    try {
      return ok(this.reading());
    } catch (error) {
      if (error instanceof TerraformFormatError) return err(error.message);
      throw error;
    }
  }

  /** finish()'s reading; throws TerraformFormatError at the first thing that is not a plan. */
  private reading(): PlanReading {
    if (this.notJson) fail(notJsonMessage((this.notJson.text(new Uint8Array(0), 0) ?? '').trimStart()));
    if (this.mode === START) fail(notJsonMessage(''));
    if (this.tooDeep) fail(`The file nests values more than ${MAX_JSON_DEPTH} levels deep (at line ${this.tooDeep.line}, column ${this.tooDeep.column}); no terraform plan does.`);
    if (this.extraAt) {
      const jsonLines = !this.problem && this.mode === DONE && this.oneLine;
      fail(jsonSyntaxMessage(jsonLines ? { kind: 'json-lines', documents: this.documents } : { kind: 'at', ...this.extraAt }));
    }
    if (this.problem) fail(jsonSyntaxMessage(this.problem));
    if (this.mode !== DONE) fail(jsonSyntaxMessage({ kind: 'ends-early' }));
    checkTop({ keys: this.keys, onlyVersionKeys: this.onlyVersionKeys, formatVersion: this.scalars.format_version, terraformVersion: this.scalars.terraform_version } satisfies PlanTop);
    if (this.duplicate) fail(`"${this.duplicate}" appears twice at the top of the plan.`);
    for (const key of ['resource_changes', 'resource_drift'] as const) {
      if (this.lists[key] === 'other') fail(listError(key));
      const error = this.entryErrors[key];
      if (error) throw error;
    }
    const plan = this.scalars as Pick<PlanJson, 'format_version' | 'terraform_version' | 'timestamp'>;
    return { analysis: this.analyzer.result(plan), ...(this.spans ? { spans: this.spans } : {}) };
  }

  private keepNotJson(chunk: Uint8Array, from: number): void {
    const capture = this.notJson;
    if (!capture || capture.size >= NOT_JSON_PREFIX_BYTES) return;
    capture.from = from;
    capture.keep(chunk.subarray(0, Math.min(chunk.length, from + NOT_JSON_PREFIX_BYTES - capture.size)));
  }

  private newline(at: number): void {
    this.line++;
    this.lineStart = at + 1;
    this.lineExtra = 0;
    if (this.depth > 0) this.oneLine = false;
    else if (this.mode === DONE) this.newlineBetween = true;
  }

  private position(at: number): { line: number; column: number } {
    return { line: this.line, column: at - this.lineStart - this.lineExtra + 1 };
  }

  /** Broken JSON at this byte: the first problem is the one reported, and reading stops. */
  private syntax(at: number): void {
    if (!this.extraAt) this.problem = { kind: 'at', ...this.position(at) };
    this.stop();
  }

  private stop(): void {
    this.mode = STOPPED;
    this.keyCapture = this.valueCapture = undefined;
  }

  /** A byte that is not whitespace where a value, a key, a colon, a comma or a close is expected. */
  private structural(b: number, chunk: Uint8Array, i: number, base: number): void {
    const mode = this.mode;
    if (mode === VALUE || mode === VALUE_OR_CLOSE || mode === START || mode === DONE) {
      if (mode === VALUE_OR_CLOSE && b === 0x5d) return this.close(ARRAY, chunk, i, base);
      if (mode === START && b !== 0x7b) {
        this.mode = NOT_JSON;
        this.notJson = new Capture(base + i, i, NOT_JSON_PREFIX_BYTES);
        return;
      }
      if (mode === DONE) this.another(b, base + i);
      return this.value(b, i, base);
    }
    if (mode === KEY_OR_CLOSE || mode === KEY) {
      if (b === QUOTE) {
        this.mode = STRING;
        this.isKey = true;
        if (this.depth === 1 && !this.extraAt) this.keyCapture = new Capture(base + i + 1, i + 1, MAX_KEY_BYTES);
        return;
      }
      if (mode === KEY_OR_CLOSE && b === 0x7d) return this.close(OBJECT, chunk, i, base);
      return this.syntax(base + i);
    }
    if (mode === COLON) {
      if (b === 0x3a) this.mode = VALUE;
      else this.syntax(base + i);
      return;
    }
    // COMMA_OR_CLOSE
    const inside = this.stack[this.depth];
    if (b === 0x2c) {
      this.endMember(chunk, i, base);
      this.mode = inside === OBJECT ? KEY : VALUE;
    } else if (b === (inside === OBJECT ? 0x7d : 0x5d)) this.close(inside, chunk, i, base);
    else this.syntax(base + i);
  }

  /** A value starts with this byte. */
  private value(b: number, i: number, base: number): void {
    this.startMember(b, i, base);
    if (b === 0x7b || b === 0x5b) {
      if (this.depth === MAX_JSON_DEPTH) {
        this.tooDeep = this.position(base + i);
        return this.stop();
      }
      this.stack[++this.depth] = b === 0x7b ? OBJECT : ARRAY;
      this.mode = b === 0x7b ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
      if (this.depth === 2 && this.member !== undefined && (this.member === 'resource_changes' || this.member === 'resource_drift') && b === 0x5b) this.list = this.member;
    } else if (b === QUOTE) {
      this.mode = STRING;
      this.isKey = false;
    } else if (b === 0x2d || isDigit(b)) {
      this.mode = NUMBER;
      this.number = b === 0x2d ? N_MINUS : b === 0x30 ? N_ZERO : N_INT;
    } else if (LITERALS[b]) {
      this.mode = LITERAL;
      this.literal = LITERALS[b];
      this.literalAt = 1;
    } else this.syntax(base + i);
  }

  /** Takes one more byte into the number; false when it is not part of it. */
  private numberByte(b: number): boolean {
    const digit = isDigit(b);
    switch (this.number) {
      case N_MINUS:
        if (!digit) return false;
        this.number = b === 0x30 ? N_ZERO : N_INT;
        return true;
      case N_ZERO:
      case N_INT:
        if (digit) {
          if (this.number === N_ZERO) return false;
          return true;
        }
        if (b === 0x2e) this.number = N_DOT;
        else if (b === 0x65 || b === 0x45) this.number = N_EXP;
        else return false;
        return true;
      case N_DOT:
      case N_FRAC:
        if (digit) this.number = N_FRAC;
        else if (this.number === N_FRAC && (b === 0x65 || b === 0x45)) this.number = N_EXP;
        else return false;
        return true;
      case N_EXP:
        if (b === 0x2b || b === 0x2d) this.number = N_EXP_SIGN;
        else if (digit) this.number = N_EXP_DIGITS;
        else return false;
        return true;
      default:
        if (!digit) return false;
        this.number = N_EXP_DIGITS;
        return true;
    }
  }

  private endString(chunk: Uint8Array, i: number): void {
    if (!this.isKey) return this.afterValue();
    this.mode = COLON;
    if (this.depth !== 1 || this.extraAt) return;
    const capture = this.keyCapture;
    this.keyCapture = undefined;
    const raw = capture?.text(chunk, i);
    // `"resource\u005fchanges"` is the same key to JSON.parse: escapes are read as it reads them (the scanner has checked them).
    this.topKey(raw?.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw);
  }

  /** A key of the top object (undefined when too long to be one Countersign reads). */
  private topKey(key: string | undefined): void {
    if (key !== 'format_version' && key !== 'terraform_version') this.onlyVersionKeys = false;
    if (key !== undefined && key in this.keys) this.keys[key as keyof typeof this.keys] = true;
    this.member = key === 'resource_changes' || key === 'resource_drift' || key === 'format_version' || key === 'terraform_version' || key === 'timestamp' ? key : undefined;
    if ((key === 'resource_changes' || key === 'resource_drift') && this.lists[key] !== undefined) this.duplicate ??= key;
  }

  /** Where a member of the top object, or an entry of a list being read, begins. */
  private startMember(b: number, i: number, base: number): void {
    if (this.extraAt) return;
    if (this.depth === 1 && this.member !== undefined) {
      if (this.member === 'resource_changes' || this.member === 'resource_drift') {
        if (this.lists[this.member] === undefined) this.lists[this.member] = b === 0x5b ? 'list' : b === 0x6e ? 'null' : 'other';
      } else this.valueCapture = new Capture(base + i, i, MAX_SCALAR_BYTES);
    } else if (this.depth === 2 && this.list !== undefined) {
      this.valueCapture = new Capture(base + i, i, Number.POSITIVE_INFINITY);
    }
  }

  /** A ',' or a close at this byte ends the member of the top object, or the entry, being read. */
  private endMember(chunk: Uint8Array, i: number, base: number): void {
    const capture = this.valueCapture;
    if (capture === undefined) return;
    if (this.depth === 1 && this.member !== undefined && this.member !== 'resource_changes' && this.member !== 'resource_drift') {
      this.valueCapture = undefined;
      const text = capture.text(chunk, i);
      // Too long to be a version or a time: kept as something that is not a string.
      this.scalars[this.member] = text === undefined ? {} : JSON.parse(text);
    } else if (this.depth === 2 && this.list !== undefined) {
      this.valueCapture = undefined;
      this.entry(this.list, capture.text(chunk, i) ?? 'null', capture.start, base + i);
    }
  }

  /** One entry of resource_changes or resource_drift, checked and analysed, then let go. */
  private entry(key: ListKey, text: string, start: number, end: number): void {
    const index = this.counts[key]++;
    if (this.entryErrors[key] || this.duplicate) return;
    try {
      const entry = checkedEntry(JSON.parse(text), key, index);
      if (key === 'resource_drift') return this.analyzer.drift(entry);
      this.analyzer.change(entry);
      this.spans?.set(changeAddress(entry), { start, end, ...(this.digest ? { digest: this.digest(text) } : {}) });
    } catch (error) {
      if (!(error instanceof TerraformFormatError)) throw error;
      this.entryErrors[key] = error;
    }
  }

  private close(kind: number, chunk: Uint8Array, i: number, base: number): void {
    if (this.stack[this.depth] !== kind) return this.syntax(base + i);
    this.endMember(chunk, i, base);
    if (this.depth === 2) this.list = undefined;
    if (this.depth === 1) this.member = undefined;
    this.depth--;
    this.afterValue();
  }

  private afterValue(): void {
    this.mode = this.depth === 0 ? DONE : COMMA_OR_CLOSE;
  }

  /** A second document after the first: terragrunt's JSON lines when each is an object on a line of its own. */
  private another(b: number, at: number): void {
    if (!this.extraAt) this.extraAt = this.position(at);
    this.documents++;
    if (b !== 0x7b || !this.newlineBetween) this.oneLine = false;
    this.newlineBetween = false;
  }
}
