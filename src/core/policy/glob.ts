/**
 * Rule globs (`delete-*|terminate-*`): matched against a whole word, case-insensitively, `*` any run of
 * characters and `?` any one (line breaks included), `|` between alternatives. Each alternative is
 * split at its stars and the pieces are placed leftmost first, which is exact for globs (a star takes
 * whatever a later piece skips) and costs O(word × glob) for any glob. Translated to a JS RegExp, a
 * policy glob with eight stars took O(word⁸) backtracking: tens of seconds on a 10 KB argument.
 */

/** Per alternative, its pieces between stars, folded. */
type CompiledGlob = readonly (readonly string[])[];

const QUESTION = 0x3f;
const compiled = new Map<string, CompiledGlob>();

export function matchesGlob(word: string, glob: string): boolean {
  let alternatives = compiled.get(glob);
  if (!alternatives) {
    alternatives = glob.split('|').map((alternative) => fold(alternative).split('*'));
    compiled.set(glob, alternatives);
  }
  return alternatives.some((pieces) => matchesPieces(word, pieces));
}

function matchesPieces(word: string, pieces: readonly string[]): boolean {
  const first = pieces[0];
  if (pieces.length === 1) return word.length === first.length && pieceAt(word, first, 0);
  const last = pieces[pieces.length - 1];
  const end = word.length - last.length;
  if (first.length > end || !pieceAt(word, first, 0) || !pieceAt(word, last, end)) return false;
  let at = first.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const found = findPiece(word, pieces[i], at, end);
    if (found < 0) return false;
    at = found + pieces[i].length;
  }
  return true;
}

function findPiece(word: string, piece: string, from: number, end: number): number {
  for (let at = from; at + piece.length <= end; at++) if (pieceAt(word, piece, at)) return at;
  return -1;
}

function pieceAt(word: string, piece: string, at: number): boolean {
  for (let i = 0; i < piece.length; i++) {
    const p = piece.charCodeAt(i);
    if (p === QUESTION) continue;
    const w = word.charCodeAt(at + i);
    if (w !== p && foldCode(w) !== p) return false;
  }
  return true;
}

/** Case folding as a JS RegExp with the `i` flag does it: upper case, one code unit at a time, never from non-ASCII to ASCII. */
function foldCode(code: number): number {
  if (code < 0x80) return code >= 0x61 && code <= 0x7a ? code - 0x20 : code;
  const upper = String.fromCharCode(code).toUpperCase();
  return upper.length === 1 && upper.charCodeAt(0) >= 0x80 ? upper.charCodeAt(0) : code;
}

function fold(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += String.fromCharCode(foldCode(text.charCodeAt(i)));
  return out;
}
