/** Cuts for bounded text that never split a surrogate pair (a lone half renders as garbage). */

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** At most `max` UTF-16 units from the start. */
export function headOf(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = Math.max(0, max);
  return text.slice(0, end > 0 && isLowSurrogate(text.charCodeAt(end)) ? end - 1 : end);
}

/** At most `max` UTF-16 units from the end. */
export function tailOf(text: string, max: number): string {
  if (text.length <= max) return text;
  const start = text.length - Math.max(0, max);
  return text.slice(isLowSurrogate(text.charCodeAt(start)) ? start + 1 : start);
}
