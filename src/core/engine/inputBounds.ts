import { builtinFinding } from '../builtinFindings';
import { oneLine } from '../oneLine';
import type { Span } from '../shell/commands';
import type { Finding } from '../verdict';
import { MAX_PIPE_CHARACTERS, MAX_TEXT_LENGTH } from './inputLimits';

/** The finding that refuses `text` before it is parsed (inputLimits.ts), or undefined when it is within the limits. */
export function inputRefusal(text: string, span: Span): Finding | undefined {
  const nul = text.indexOf('\0');
  if (nul >= 0) return refusal('core.nul-character', text, span, `a NUL at character ${nul + 1}`);
  if (text.length > MAX_TEXT_LENGTH) return refusal('core.text-too-long', text, span, `${text.length.toLocaleString('en-US')} characters`);
  const pipes = countPipes(text);
  if (pipes > MAX_PIPE_CHARACTERS) return refusal('core.too-many-pipes', text, span, `more than ${MAX_PIPE_CHARACTERS.toLocaleString('en-US')} \`|\` characters`);
  return undefined;
}

/** How many `|` the text holds, counted up to one over the limit. */
function countPipes(text: string): number {
  let count = 0;
  for (let i = text.indexOf('|'); i >= 0 && count <= MAX_PIPE_CHARACTERS; i = text.indexOf('|', i + 1)) count++;
  return count;
}

function refusal(id: 'core.nul-character' | 'core.text-too-long' | 'core.too-many-pipes', text: string, span: Span, detail: string): Finding {
  // The text itself can be megabytes: the finding shows its start, on one line.
  return builtinFinding(id, oneLine(text, 120), span, { detail });
}
