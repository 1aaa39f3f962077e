import type { CancelReason } from '../../core/gate/types';

const WIDTH = 100;

/** One terminal line of its own: starts at column 0 (bash has cleared the edited line by then). */
function line(text: string): string {
  return `\r\x1b[K\x1b[33m${text}\x1b[0m\r\n`;
}

/** The command on one line, shortened: the full text is in the review UI. */
export function oneLine(command: string): string {
  const lines = command.replace(/\s+$/, '').split('\n');
  let text = lines[0] + (lines.length > 1 ? ' …' : '');
  // eslint-disable-next-line no-control-regex -- a command's control characters must not drive the terminal
  text = text.replace(/[\x00-\x1f\x7f]/g, '?');
  return text.length > WIDTH ? text.slice(0, WIDTH - 1) + '…' : text;
}

export const pausedBanner = (command: string): string => line(`paused: ${oneLine(command)} — review it in Countersign`);

/** What the terminal says when a held line is dropped; nothing for ^C, which the user just typed. */
export function cancelledBanner(command: string, reason: CancelReason): string {
  switch (reason) {
    case 'denied':
      return line(`denied: ${oneLine(command)}`);
    case 'dry-run':
      return line(`dry run: ${oneLine(command)} was not run`);
    case 'killed':
      return line(`kill switch: ${oneLine(command)} was not run`);
    case 'interrupted':
    case 'superseded':
      return '';
    default:
      return line(`cancelled (${reason}): ${oneLine(command)}`);
  }
}

export const modeBanner = (text: string): string => `\r\n\x1b[33m[Countersign] ${text}\x1b[0m\r\n`;
