import { quoteWord } from './quote';

/**
 * What bash's `printf FORMAT ARGS…` writes, for the engine to read text piped into a shell
 * (`printf '%s %s\n' terraform destroy | sh`). The format is used again while arguments remain, as
 * bash does. Undefined for what this does not render exactly (a numeric conversion of text, a
 * conversion it does not know): the caller then treats the text as unknown.
 */
export function printfText(format: string, args: readonly string[]): string | undefined {
  let out = '';
  let next = 0;
  do {
    const start = next;
    const rendered = renderOnce(format, () => (next < args.length ? args[next++] : undefined));
    if (rendered === undefined) return undefined;
    out += rendered;
    if (next === start) break; // a format that takes no argument is written once
  } while (next < args.length);
  return out;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '"': '"', "'": "'", '?': '?' };

/** Backslash escapes as printf reads them in its format and in `%b` arguments; `stop` is set by `\c` in %b. */
function unescape(text: string, inArgument: boolean): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '\\' || i === text.length - 1) {
      out += text[i];
      continue;
    }
    const c = text[++i];
    if (Object.hasOwn(SIMPLE_ESCAPES, c)) out += SIMPLE_ESCAPES[c];
    else if (c === 'c' && inArgument) return { text: out, stop: true };
    else if (/[0-7]/.test(c)) {
      // `\NNN`; in %b also `\0NNN`
      const from = inArgument && c === '0' ? i + 1 : i;
      const digits = /^[0-7]{0,3}/.exec(text.slice(from))?.[0] ?? '';
      out += String.fromCharCode(parseInt(digits || '0', 8));
      i = from + digits.length - 1;
    } else if (c === 'x' && /^[0-9A-Fa-f]/.test(text.slice(i + 1))) {
      const hex = /^[0-9A-Fa-f]{1,2}/.exec(text.slice(i + 1))?.[0] ?? '';
      out += String.fromCharCode(parseInt(hex, 16));
      i += hex.length;
    } else out += `\\${c}`;
  }
  return { text: out, stop: false };
}

const CONVERSION = /%([-+ #0]*)(\d*)(?:\.(\d*))?([a-zA-Z%])/y;

function renderOnce(format: string, take: () => string | undefined): string | undefined {
  let out = '';
  let literal = '';
  const flush = (): void => {
    out += unescape(literal, false).text;
    literal = '';
  };
  for (let i = 0; i < format.length; ) {
    if (format[i] !== '%') {
      literal += format[i++];
      continue;
    }
    CONVERSION.lastIndex = i;
    const m = CONVERSION.exec(format);
    if (!m) return undefined;
    i = CONVERSION.lastIndex;
    flush();
    const [, flags, width, precision, conversion] = m;
    if (conversion === '%') {
      out += '%';
      continue;
    }
    const arg = take() ?? '';
    let text: string;
    if (conversion === 's') text = arg;
    else if (conversion === 'q') text = arg === '' ? "''" : quoteWord(arg);
    else if (conversion === 'b') {
      const expanded = unescape(arg, true);
      if (expanded.stop) return out + expanded.text;
      text = expanded.text;
    } else if (conversion === 'c') text = arg.slice(0, 1);
    else if ('diu'.includes(conversion) && /^[-+]?\d*$/.test(arg)) text = String(Number(arg || '0'));
    else return undefined;
    if (precision !== undefined && 'sbq'.includes(conversion)) text = text.slice(0, Number(precision || '0'));
    const pad = Math.max(0, Number(width || '0') - text.length);
    out += flags.includes('-') ? text + ' '.repeat(pad) : ' '.repeat(pad) + text;
  }
  flush();
  return out;
}
