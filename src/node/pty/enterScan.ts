const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';

export interface EnterScan {
  /** Index just past the first Enter (CR or LF) outside a bracketed paste, or -1. */
  readonly end: number;
  /** Whether a paste is still open after the scanned text (up to `end`, or all of it). */
  readonly inPaste: boolean;
}

/**
 * Finds where the first Enter of typed input ends. The CRs inside a bracketed paste are text, not Enter:
 * splitting a paste there made zsh run its tail as a command. A paste marker split across writes is
 * taken for text, which only means an Enter is held that did not need to be.
 */
export function scanForEnter(input: string, inPaste: boolean): EnterScan {
  let i = 0;
  let pasting = inPaste;
  while (i < input.length) {
    if (pasting) {
      const end = input.indexOf(PASTE_END, i);
      if (end < 0) return { end: -1, inPaste: true };
      i = end + PASTE_END.length;
      pasting = false;
      continue;
    }
    const start = input.indexOf(PASTE_START, i);
    const stop = start < 0 ? input.length : start;
    for (let k = i; k < stop; k++) {
      const c = input.charCodeAt(k);
      if (c === 0x0d || c === 0x0a) return { end: k + 1, inPaste: false };
    }
    if (start < 0) return { end: -1, inPaste: false };
    i = start + PASTE_START.length;
    pasting = true;
  }
  return { end: -1, inPaste: pasting };
}
