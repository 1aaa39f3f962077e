/** A word as bash reads it back: bare when plainly safe, else single-quoted (`'` written as `'\''`). */
export function quoteWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command line that runs exactly `argv`: what the gate checks and the person reads. */
export function commandLine(argv: readonly string[]): string {
  return argv.map(quoteWord).join(' ');
}
