/**
 * A command on one line, for places that have one line for it (the terminal's banners, the session
 * view's labels): the first line, a mark when more follow, and no control characters, which would
 * drive a terminal or garble a label. The full text is in the review panel.
 */
export function oneLine(command: string, width: number): string {
  const lines = command.trim().split('\n');
  // eslint-disable-next-line no-control-regex -- exactly the control characters are replaced
  const text = (lines[0] + (lines.length > 1 ? ' …' : '')).replace(/[\x00-\x1f\x7f]/g, '?');
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}
