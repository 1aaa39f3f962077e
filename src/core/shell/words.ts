import { allChildren, SyntaxNode } from './syntax';

/** A shell word resolved to the literal text bash would pass, as far as that can be known statically. */
export interface Word {
  /** The literal value; where a part is dynamic, that part's source text stands in. */
  readonly value: string;
  /** True when every part is known without running anything. */
  readonly static: boolean;
  /** The word as written, quotes and all. */
  readonly raw: string;
  readonly start: number;
  readonly end: number;
}

/** Variables whose values are known from assignments earlier on the same line. */
export type KnownVariables = ReadonlyMap<string, string>;

interface Piece {
  text: string;
  static: boolean;
}

const DYNAMIC_NODE_TYPES = new Set([
  'command_substitution',
  'process_substitution',
  'arithmetic_expansion',
]);

export function resolveWord(node: SyntaxNode, vars: KnownVariables, offset = 0): Word {
  const piece = resolvePiece(node, vars);
  return {
    value: piece.text,
    static: piece.static,
    raw: node.text,
    start: node.startIndex + offset,
    end: node.endIndex + offset,
  };
}

function resolvePiece(node: SyntaxNode, vars: KnownVariables): Piece {
  switch (node.type) {
    case 'word':
    case 'command_name':
      if (node.type === 'command_name' || node.namedChildren.length > 0) return joinPieces(node, vars);
      return { text: unescapeUnquoted(node.text), static: true };
    case 'number':
    case 'string_content':
      return { text: node.text, static: true };
    case 'raw_string':
      return { text: node.text.slice(1, -1), static: true };
    case 'ansi_c_string':
      return { text: decodeAnsiC(node.text.slice(2, -1)), static: true };
    case 'string':
    case 'translated_string':
      return resolveDoubleQuoted(node, vars);
    case 'concatenation':
      return joinPieces(node, vars);
    case 'simple_expansion':
    case 'expansion':
      return resolveExpansion(node, vars);
    case 'command_substitution':
      return literalOutput(node, vars) ?? { text: node.text, static: false };
    default:
      if (DYNAMIC_NODE_TYPES.has(node.type)) return { text: node.text, static: false };
      // Globs, brace expressions and anything unusual: keep the text; it is what bash sees before expansion.
      return { text: node.text, static: !/[*?[]/.test(node.text) || node.type === 'word' };
  }
}

/**
 * `$(echo terraform)` or `$(printf rm)`: the output of echo/printf with literal arguments is known
 * without running anything, so the word is too (a way to hide a command name from naive guards).
 */
function literalOutput(node: SyntaxNode, vars: KnownVariables): Piece | undefined {
  const inner = node.namedChildren;
  const command = inner.length === 1 ? inner[0] : null;
  if (!command || command.type !== 'command') return undefined;
  const parts = command.namedChildren.filter((c): c is SyntaxNode => c !== null).map((c) => resolvePiece(c, vars));
  if (parts.length === 0 || !parts.every((p) => p.static)) return undefined;
  const [name, ...args] = parts.map((p) => p.text);
  if (name === 'echo') {
    while (args.length > 0 && /^-[neE]+$/.test(args[0])) args.shift();
    return { text: args.join(' ').replace(/\n+$/, ''), static: true };
  }
  if (name === 'printf' && args.length === 1 && !/[%\\]/.test(args[0])) return { text: args[0], static: true };
  return undefined;
}

function joinPieces(node: SyntaxNode, vars: KnownVariables): Piece {
  const kids = allChildren(node);
  if (kids.length === 0) return { text: unescapeUnquoted(node.text), static: true };
  let text = '';
  let isStatic = true;
  // Unnamed children of a concatenation are literal glue (for example `-` or `=`) that tree-sitter did
  // not fold into a word; the gaps between children keep any characters it skipped.
  let cursor = node.startIndex;
  for (const kid of kids) {
    if (kid.startIndex > cursor) text += unescapeUnquoted(node.text.slice(cursor - node.startIndex, kid.startIndex - node.startIndex));
    const p = kid.isNamed ? resolvePiece(kid, vars) : { text: unescapeUnquoted(kid.text), static: true };
    text += p.text;
    isStatic &&= p.static;
    cursor = kid.endIndex;
  }
  if (cursor < node.endIndex) text += unescapeUnquoted(node.text.slice(cursor - node.startIndex));
  return { text, static: isStatic };
}

function resolveDoubleQuoted(node: SyntaxNode, vars: KnownVariables): Piece {
  const inner = node.type === 'translated_string' ? node.text.slice(2, -1) : node.text.slice(1, -1);
  const base = node.startIndex + (node.type === 'translated_string' ? 2 : 1);
  let text = '';
  let isStatic = true;
  let cursor = base;
  for (const kid of allChildren(node)) {
    if (!kid.isNamed) continue;
    if (kid.startIndex > cursor) text += unescapeDoubleQuoted(inner.slice(cursor - base, kid.startIndex - base));
    if (kid.type === 'string_content') {
      text += unescapeDoubleQuoted(kid.text);
    } else {
      const p = resolvePiece(kid, vars);
      text += p.text;
      isStatic &&= p.static;
    }
    cursor = kid.endIndex;
  }
  const tailEnd = base + inner.length;
  if (cursor < tailEnd) text += unescapeDoubleQuoted(inner.slice(cursor - base));
  return { text, static: isStatic };
}

function resolveExpansion(node: SyntaxNode, vars: KnownVariables): Piece {
  const name = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(node.text)?.[1];
  if (name !== undefined && vars.has(name)) return { text: vars.get(name) as string, static: true };
  return { text: node.text, static: false };
}

function unescapeUnquoted(text: string): string {
  return text.replace(/\\\n/g, '').replace(/\\(.)/gs, '$1');
}

function unescapeDoubleQuoted(text: string): string {
  return text.replace(/\\\n/g, '').replace(/\\([$`"\\])/g, '$1');
}

const ANSI_C_SIMPLE: Record<string, string> = {
  a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  '\\': '\\', "'": "'", '"': '"', '?': '?',
};

/** Decodes bash's $'...' escapes: \xHH, \NNN (octal), \uXXXX, \UXXXXXXXX, \cX and the letter escapes. */
export function decodeAnsiC(body: string): string {
  return body.replace(
    /\\(x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{1,4}|U[0-9A-Fa-f]{1,8}|[0-7]{1,3}|c.|.)/gs,
    (whole, esc: string) => {
      const kind = esc[0];
      if (kind === 'x') return String.fromCharCode(parseInt(esc.slice(1), 16));
      if (kind === 'u' || kind === 'U') return String.fromCodePoint(parseInt(esc.slice(1), 16));
      if (/[0-7]/.test(kind)) return String.fromCharCode(parseInt(esc, 8) & 0xff);
      if (kind === 'c' && esc.length === 2) return String.fromCharCode(esc.charCodeAt(1) & 0x1f);
      return ANSI_C_SIMPLE[esc] ?? whole;
    },
  );
}
