/**
 * Limits on the text handed to the bash parser, checked before it parses (inputBounds.ts). tree-sitter's
 * error recovery grows with some inputs faster than with their length: 14,000 pipes in 84 KB fill the
 * wasm parser's 2 GB heap, and the abort that follows broke every later parse in the process. Text over
 * a limit is refused with a finding that says so (pause, never allow); no real command line comes near.
 */
export const MAX_TEXT_LENGTH = 64 * 1024;
/** Every `|`, whether a pipe, part of `||` or quoted: counting is cheap and errs on the side of refusing. */
export const MAX_PIPE_CHARACTERS = 1024;
