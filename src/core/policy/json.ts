/**
 * Policy JSON, read by jsonc-parser (VS Code's own JSON reader): strict JSON (no comments, no trailing
 * commas) as a tree with offsets, so every error can point at its line and column.
 */
import { findNodeAtLocation, Node, ParseErrorCode, parseTree, visit } from 'jsonc-parser';

/** A step in a path to a JSON value: an object's key or an array's index. */
export type Segment = string | number;

/** Where a JSON value or key starts in the text: 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface JsonDocument {
  readonly root: Node;
  /** The value, each key's first occurrence kept. */
  readonly value: unknown;
  /** Keys written again in the same object: their paths and where the repeat is written. */
  readonly duplicates: readonly { readonly path: Segment[]; readonly key: Node }[];
  /** The node at `path`, or the key naming it. */
  nodeAt(path: readonly Segment[], key?: boolean): Node | undefined;
  position(offset: number): Position;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly at: Position,
  ) {
    super(message);
  }
}

/** Nesting deeper than this is not a policy file. Checked while parsing: the parser recurses per level. */
const MAX_DEPTH = 64;

/**
 * A string's text up to its first fault: a bad escape, a control character, or the end of the file.
 * Plain characters are those from the space up, but for `"` and `\`.
 */
const STRING_PREFIX = /"(?:[ !#-[\]-\uffff]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*/y;

/** Parses `text` (a leading BOM ignored). Throws JsonSyntaxError at the first mistake. */
export function parseJson(source: string): JsonDocument {
  const text = source.replace(/^\uFEFF/, '');
  const position = positions(text);
  checkSyntax(text, position);
  const root = parseTree(text, undefined, { disallowComments: true })!;
  const duplicates: { path: Segment[]; key: Node }[] = [];
  const value = valueOf(root, [], duplicates);
  const nodeAt = (path: readonly Segment[], key = false): Node | undefined => {
    const node = findNodeAtLocation(root, [...path]);
    return key ? node?.parent?.children?.[0] : node;
  };
  return { root, value, duplicates, nodeAt, position };
}

/** One pass that stops at the first error or past MAX_DEPTH, before the tree is built. */
function checkSyntax(text: string, position: (offset: number) => Position): void {
  const closers: string[] = [];
  let end = -1; // where the top-level value ends, once it has
  let lastKey = '';
  const fail = (message: string, offset: number): never => {
    throw new JsonSyntaxError(message, position(offset));
  };
  const open = (closer: string) => (offset: number) => {
    if (closers.length === MAX_DEPTH) fail(`nested more than ${MAX_DEPTH} levels deep`, offset);
    closers.push(closer);
  };
  const close = (offset: number, length: number): void => {
    closers.pop();
    if (closers.length === 0) end = offset + length;
  };
  visit(
    text,
    {
      onObjectBegin: open('}'),
      onArrayBegin: open(']'),
      onObjectEnd: close,
      onArrayEnd: close,
      onLiteralValue: (_value, offset, length) => {
        if (closers.length === 0) end = offset + length;
      },
      onObjectProperty: (name) => {
        lastKey = name;
      },
      onError: (code, offset) => {
        const found = describe(text, offset);
        const c = text[offset];
        const trailingComma = (c === '}' || c === ']') && text.slice(0, offset).trimEnd().endsWith(',');
        switch (code) {
          case ParseErrorCode.InvalidCommentToken:
          case ParseErrorCode.UnexpectedEndOfComment:
            return fail('comments are not allowed in policy.json', offset);
          case ParseErrorCode.InvalidSymbol:
          case ParseErrorCode.ValueExpected:
          case ParseErrorCode.PropertyNameExpected:
          case ParseErrorCode.EndOfFileExpected:
            if (end >= 0 && offset >= end) return fail(`unexpected ${found} after the end of the JSON value`, offset);
            if (text.trim() === '') return fail('the file is empty; expected a JSON object', offset);
            if (c === "'") return fail('strings must use double quotes', offset);
            if (trailingComma) return fail(`trailing comma before ${c}`, offset);
            return fail(code === ParseErrorCode.PropertyNameExpected ? `expected a field name in double quotes, found ${found}` : `expected a value, found ${found}`, offset);
          case ParseErrorCode.ColonExpected:
            return fail(`expected ':' after "${lastKey}", found ${found}`, offset);
          case ParseErrorCode.CommaExpected:
          case ParseErrorCode.CloseBraceExpected:
          case ParseErrorCode.CloseBracketExpected:
            return fail(`expected ',' or '${closers[closers.length - 1] ?? '}'}', found ${found}`, offset);
          case ParseErrorCode.InvalidNumberFormat:
          case ParseErrorCode.UnexpectedEndOfNumber:
            return fail('invalid number', offset);
          default: {
            // A fault inside a string (offset is the string's start): point at the fault itself.
            STRING_PREFIX.lastIndex = offset;
            const at = offset + (STRING_PREFIX.exec(text)?.[0].length ?? 0);
            if (at >= text.length) return fail('unterminated string', offset);
            if (text[at] === '\\') return fail(`invalid escape \\${text[at + 1] ?? ''} in a string (in JSON a regex backslash is written \\\\)`, at);
            return fail('control character (such as a line break) inside a string; escape it', at);
          }
        }
      },
    },
    { disallowComments: true },
  );
}

function describe(text: string, offset: number): string {
  if (offset >= text.length) return 'end of file';
  return /\s/.test(text[offset]) ? 'whitespace' : `'${text[offset]}'`;
}

/**
 * The node's value. A repeated key keeps its first value and is recorded. Keys are defined rather than
 * assigned, so a "__proto__" key stays a field of its own (refused as unknown) instead of a prototype.
 */
function valueOf(node: Node, path: Segment[], duplicates: { path: Segment[]; key: Node }[]): unknown {
  if (node.type === 'array') return node.children!.map((item, i) => valueOf(item, [...path, i], duplicates));
  if (node.type !== 'object') return node.value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of node.children!.map((property) => property.children!)) {
    const name = key.value as string;
    if (Object.hasOwn(out, name)) duplicates.push({ path: [...path, name], key });
    else Object.defineProperty(out, name, { value: valueOf(item, [...path, name], duplicates), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Offset → line and column, lines split at \n. */
function positions(text: string): (offset: number) => Position {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let [lo, hi] = [0, starts.length - 1];
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  };
}
