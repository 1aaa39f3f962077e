import { oneLine } from '../oneLine';
import type { RuleText } from '../rules/types';
import type { Span } from '../shell/commands';
import type { Finding } from '../verdict';

/**
 * Limits on the text handed to the bash parser, checked before it parses. tree-sitter's error
 * recovery grows with some inputs faster than with their length: 14,000 pipes in 84 KB fill the wasm
 * parser's 2 GB heap, and the abort that follows broke every later parse in the process. Text over a
 * limit is refused with a finding that says so (pause, never allow); no real command line comes near.
 */
export const MAX_TEXT_LENGTH = 64 * 1024;
/** Every `|`, whether a pipe, part of `||` or quoted: counting is cheap and errs on the side of refusing. */
export const MAX_PIPE_CHARACTERS = 1024;

const REFUSALS = {
  nul: {
    severity: 'high',
    title: 'Line holds a NUL character',
    why: 'A shell cannot take a NUL inside a command line: bash cuts the text there or drops the byte, so what would run is not what was checked.',
    saferAlternative: "Remove the NUL; where a NUL byte is meant, write it with printf '\\0'.",
  },
  tooLong: {
    severity: 'high',
    title: 'Line too long to check',
    why: `Text longer than ${MAX_TEXT_LENGTH / 1024} KiB is not parsed: parsing time and memory grow with it, and a line built to exhaust the parser could stop every later check. Nobody has looked at what it runs.`,
    saferAlternative: 'Put the long content in a file and run a short command that uses it.',
  },
  tooManyPipes: {
    severity: 'high',
    title: 'Too many pipes to check',
    why: `Text with more than ${MAX_PIPE_CHARACTERS.toLocaleString('en-US')} \`|\` characters is not parsed: long pipelines make the parser's error recovery grow until it runs out of memory. Nobody has looked at what it runs.`,
    saferAlternative: 'Split the pipeline into steps, or put the script in a file and run that.',
  },
} as const satisfies Record<string, RuleText>;

/** The finding that refuses `text` before it is parsed, or undefined when it is within the limits. */
export function inputRefusal(text: string, span: Span): Finding | undefined {
  const nul = text.indexOf('\0');
  if (nul >= 0) return refusal(REFUSALS.nul, 'core.nul-character', text, span, `a NUL at character ${nul + 1}`);
  if (text.length > MAX_TEXT_LENGTH) return refusal(REFUSALS.tooLong, 'core.text-too-long', text, span, `${text.length.toLocaleString('en-US')} characters`);
  const pipes = countPipes(text);
  if (pipes > MAX_PIPE_CHARACTERS) return refusal(REFUSALS.tooManyPipes, 'core.too-many-pipes', text, span, `more than ${MAX_PIPE_CHARACTERS.toLocaleString('en-US')} \`|\` characters`);
  return undefined;
}

/** How many `|` the text holds, counted up to one over the limit. */
function countPipes(text: string): number {
  let count = 0;
  for (let i = text.indexOf('|'); i >= 0 && count <= MAX_PIPE_CHARACTERS; i = text.indexOf('|', i + 1)) count++;
  return count;
}

function refusal(rule: RuleText, ruleId: string, text: string, span: Span, detail: string): Finding {
  // The text itself can be megabytes: the finding shows its start, on one line.
  return { ruleId, ...rule, command: oneLine(text, 120), span, detail };
}
