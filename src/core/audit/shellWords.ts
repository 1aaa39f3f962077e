/**
 * A small shell word splitter for redaction: it follows quotes, escapes, `$(…)` and command separators well
 * enough to find where a flag's value starts and ends in the original text. It is not the engine's
 * parser (tree-sitter decides risk); it only has to keep a quoted secret in one piece. Comments are
 * read as words: they are logged with the line, so a secret in one must be found too.
 */

/** A range of the original text, end exclusive. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/** One shell word: its text after quote removal, and where each of its characters came from. */
export interface Word {
  readonly value: string;
  /** offsets[i] is the index in the original text of value[i]. */
  readonly offsets: readonly number[];
  /** The insides of its '…', "…" and $(…) parts, where a nested command line may sit (`bash -c '…'`). */
  readonly quoted: readonly TextRange[];
}

/** Characters that end a simple command when unquoted. */
const COMMAND_BREAK = new Set([';', '&', '|', '(', ')', '`', '\n']);
/** Characters that end a word (besides blanks and command breaks): redirections. */
const WORD_BREAK = new Set(['<', '>']);
/** What a backslash escapes inside double quotes. */
const DOUBLE_QUOTE_ESCAPES = new Set(['$', '`', '"', '\\', '\n']);

class WordBuilder {
  value = '';
  readonly offsets: number[] = [];
  readonly quoted: TextRange[] = [];
  add(char: string, offset: number): void {
    this.value += char;
    this.offsets.push(offset);
  }
}

/** The line's simple commands (split at unquoted `;`, `&`, `|`, parentheses, backquotes, newlines), each as its words. */
export function splitCommands(text: string): Word[][] {
  const commands: Word[][] = [[]];
  let word: WordBuilder | undefined;
  const finishWord = (): void => {
    if (word) commands[commands.length - 1].push({ value: word.value, offsets: word.offsets, quoted: word.quoted });
    word = undefined;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === '\n') {
      // A backslash-newline joins lines, even inside a word.
      i += 2;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      finishWord();
      i++;
    } else if (COMMAND_BREAK.has(c)) {
      finishWord();
      if (commands[commands.length - 1].length > 0) commands.push([]);
      i++;
    } else if (WORD_BREAK.has(c)) {
      finishWord();
      i++;
    } else {
      word ??= new WordBuilder();
      i = readWordPart(text, i, word);
    }
  }
  finishWord();
  return commands.filter((words) => words.length > 0);
}

/** Reads one quoted part, command substitution, escape or plain character into the word; returns where to go on. */
function readWordPart(text: string, i: number, word: WordBuilder): number {
  const c = text[i];
  if (c === '$' && text[i + 1] === '(') {
    // `$(…)` stays in its word (`--token $(gh auth token)`); its inside is a command line of its own.
    const close = closingParen(text, i + 1);
    for (let j = i; j < Math.min(close + 1, text.length); j++) word.add(text[j], j);
    word.quoted.push({ start: i + 2, end: close });
    return close + 1;
  }
  if (c === "'") {
    const close = text.indexOf("'", i + 1);
    const end = close === -1 ? text.length : close;
    for (let j = i + 1; j < end; j++) word.add(text[j], j);
    word.quoted.push({ start: i + 1, end });
    return end + 1;
  }
  if (c === '"') {
    let j = i + 1;
    while (j < text.length && text[j] !== '"') {
      if (text[j] === '\\' && j + 1 < text.length && DOUBLE_QUOTE_ESCAPES.has(text[j + 1])) {
        word.add(text[j + 1], j + 1);
        j += 2;
      } else {
        word.add(text[j], j);
        j++;
      }
    }
    word.quoted.push({ start: i + 1, end: j });
    return j + 1;
  }
  if (c === '\\') {
    if (i + 1 < text.length) word.add(text[i + 1], i + 1);
    return i + 2;
  }
  word.add(c, i);
  return i + 1;
}

/** The index of the `)` that closes the `(` at `open` (quotes and escapes inside skipped), or the text's length. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === "'" || c === '"') {
      const close = text.indexOf(c, j + 1);
      if (close === -1) return text.length;
      j = close;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j;
  }
  return text.length;
}
