/** Where a JSON value or key starts in the text: 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface JsonEntry {
  readonly key: string;
  readonly keyAt: Position;
  readonly value: JsonNode;
}

/** A parsed JSON value that remembers where it was written, so errors can point at it. */
export type JsonNode =
  | { readonly kind: 'object'; readonly at: Position; readonly entries: readonly JsonEntry[] }
  | { readonly kind: 'array'; readonly at: Position; readonly items: readonly JsonNode[] }
  | { readonly kind: 'string'; readonly at: Position; readonly value: string }
  | { readonly kind: 'number'; readonly at: Position; readonly value: number }
  | { readonly kind: 'boolean'; readonly at: Position; readonly value: boolean }
  | { readonly kind: 'null'; readonly at: Position };

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly at: Position,
  ) {
    super(message);
  }
}

/** Nesting deeper than this is not a policy file. */
const MAX_DEPTH = 64;

/** Strict JSON (RFC 8259: no comments, no trailing commas), with positions. Throws JsonSyntaxError. */
export function parseJson(text: string): JsonNode {
  return new JsonReader(text.replace(/^\uFEFF/, '')).document();
}

class JsonReader {
  private i = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly text: string) {}

  document(): JsonNode {
    this.space();
    if (this.i >= this.text.length) throw this.error('the file is empty; expected a JSON object');
    const node = this.value(0);
    this.space();
    if (this.i < this.text.length) throw this.error(`unexpected ${this.describe()} after the end of the JSON value`);
    return node;
  }

  private at(): Position {
    return { line: this.line, column: this.i - this.lineStart + 1 };
  }

  private error(message: string, at: Position = this.at()): JsonSyntaxError {
    return new JsonSyntaxError(message, at);
  }

  private describe(): string {
    if (this.i >= this.text.length) return 'end of file';
    const c = this.text[this.i];
    return /\s/.test(c) ? 'whitespace' : `'${c}'`;
  }

  private space(): void {
    for (; this.i < this.text.length; this.i++) {
      const c = this.text[this.i];
      if (c === '\n') {
        this.line++;
        this.lineStart = this.i + 1;
      } else if (c === '/' && (this.text[this.i + 1] === '/' || this.text[this.i + 1] === '*')) {
        throw this.error('comments are not allowed in policy.json');
      } else if (c !== ' ' && c !== '\t' && c !== '\r') return;
    }
  }

  private value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) throw this.error(`nested more than ${MAX_DEPTH} levels deep`);
    const at = this.at();
    const c = this.text[this.i];
    if (c === '{') return this.object(at, depth);
    if (c === '[') return this.array(at, depth);
    if (c === '"') return { kind: 'string', at, value: this.string() };
    if (c === '-' || (c >= '0' && c <= '9')) return { kind: 'number', at, value: this.number() };
    for (const [word, node] of [
      ['true', { kind: 'boolean', at, value: true }],
      ['false', { kind: 'boolean', at, value: false }],
      ['null', { kind: 'null', at }],
    ] as const) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return node;
      }
    }
    if (c === "'") throw this.error('strings must use double quotes');
    throw this.error(`expected a value, found ${this.describe()}`);
  }

  private object(at: Position, depth: number): JsonNode {
    this.i++;
    const entries: JsonEntry[] = [];
    this.space();
    if (this.text[this.i] === '}') {
      this.i++;
      return { kind: 'object', at, entries };
    }
    for (;;) {
      this.space();
      const keyAt = this.at();
      if (this.text[this.i] !== '"') {
        throw this.error(this.text[this.i] === '}' ? 'trailing comma before }' : `expected a field name in double quotes, found ${this.describe()}`);
      }
      const key = this.string();
      this.space();
      if (this.text[this.i] !== ':') throw this.error(`expected ':' after "${key}", found ${this.describe()}`);
      this.i++;
      this.space();
      entries.push({ key, keyAt, value: this.value(depth + 1) });
      this.space();
      const c = this.text[this.i];
      this.i++;
      if (c === '}') return { kind: 'object', at, entries };
      if (c !== ',') {
        this.i--;
        throw this.error(`expected ',' or '}', found ${this.describe()}`);
      }
    }
  }

  private array(at: Position, depth: number): JsonNode {
    this.i++;
    const items: JsonNode[] = [];
    this.space();
    if (this.text[this.i] === ']') {
      this.i++;
      return { kind: 'array', at, items };
    }
    for (;;) {
      this.space();
      if (this.text[this.i] === ']') throw this.error('trailing comma before ]');
      items.push(this.value(depth + 1));
      this.space();
      const c = this.text[this.i];
      this.i++;
      if (c === ']') return { kind: 'array', at, items };
      if (c !== ',') {
        this.i--;
        throw this.error(`expected ',' or ']', found ${this.describe()}`);
      }
    }
  }

  private string(): string {
    const start = this.at();
    this.i++;
    let out = '';
    for (;;) {
      if (this.i >= this.text.length) throw this.error('unterminated string', start);
      const c = this.text[this.i];
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === '\n' || c < ' ') throw this.error('control character (such as a line break) inside a string; escape it');
      if (c === '\\') {
        const e = this.text[this.i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          this.i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i + 2, this.i + 6))) {
          out += String.fromCharCode(parseInt(this.text.slice(this.i + 2, this.i + 6), 16));
          this.i += 6;
        } else {
          throw this.error(`invalid escape \\${e ?? ''} in a string (in JSON a regex backslash is written \\\\)`);
        }
        continue;
      }
      out += c;
      this.i++;
    }
  }

  private number(): number {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.i));
    if (!m) throw this.error(`invalid number`);
    this.i += m[0].length;
    return Number(m[0]);
  }
}
