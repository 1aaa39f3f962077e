import type { CancelReason } from '../../core/gate/types';
import { oneLine } from '../../core/oneLine';

/** How much of a command a banner shows: the full text is in the review UI. */
const WIDTH = 100;

/** One terminal line of its own: starts at column 0 (bash has cleared the edited line by then). */
function line(text: string): string {
  return `\r\x1b[K\x1b[33m${text}\x1b[0m\r\n`;
}

export const pausedBanner = (command: string): string => line(`paused: ${oneLine(command, WIDTH)} — review it in Countersign`);

/**
 * The pause of a line the Enter hook sent: bash cleared the prompt and the typed line from the screen
 * to run the hook, so the line is written again above the banner and the person still sees what paused.
 */
export const pausedHookBanner = (command: string): string => `\r\x1b[K${oneLine(command, WIDTH)}\r\n${pausedBanner(command)}`;

/** What the terminal says when a held line is dropped; nothing for ^C, which the user just typed. */
export function cancelledBanner(command: string, reason: CancelReason): string {
  switch (reason) {
    case 'denied':
      return line(`denied: ${oneLine(command, WIDTH)}`);
    case 'dry-run':
      return line(`dry run: ${oneLine(command, WIDTH)} was not run`);
    case 'killed':
      return line(`kill switch: ${oneLine(command, WIDTH)} was not run`);
    case 'interrupted':
    case 'superseded':
      return '';
    default:
      return line(`cancelled (${reason}): ${oneLine(command, WIDTH)}`);
  }
}

export const modeBanner = (text: string): string => `\r\n\x1b[33m[Countersign] ${text}\x1b[0m\r\n`;
