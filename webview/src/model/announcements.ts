/**
 * What the panel's live region says, and the short names its buttons carry. A screen reader reads a
 * button's name on every focus, so a long command line is cut to its start; the card's heading keeps
 * the whole command.
 */
import type { BackupView, PreviewView } from '../../../src/core/review/protocol';

const NAME_LIMIT = 60;

/** The first line of `text`, white space folded, cut at NAME_LIMIT characters with an ellipsis. */
export function shortName(text: string): string {
  const line = text.trim().split('\n', 1)[0].replace(/\s+/g, ' ');
  return line.length > NAME_LIMIT ? `${line.slice(0, NAME_LIMIT - 1)}…` : line;
}

/** News of a preview that changed kind (`before` is undefined for a new card); nothing when it did not. */
export function previewNews(name: string, before: PreviewView['kind'] | undefined, after: PreviewView): string | undefined {
  if (after.kind === before) return undefined;
  switch (after.kind) {
    case 'none':
      return undefined;
    case 'running':
      return `${name}: previewing the plan`;
    case 'failed':
      return `${name}: plan preview failed. ${after.message}`;
    case 'ready':
      return `${name}: plan ready, ${after.plan.headline.charAt(0).toLowerCase()}${after.plan.headline.slice(1)}`;
  }
}

/** What the live region says when Back up first starts or ends on a card (`before`: was it running). */
export function backupNews(name: string, before: boolean | undefined, after: BackupView | undefined): string | undefined {
  if (after === undefined || after.running === (before ?? false)) return undefined;
  if (after.running) return `${name}: backing up`;
  const count = (status: BackupView['lines'][number]['status']): number => after.lines.filter((line) => line.status === status).length;
  const notBackedUp = count('not-backed-up') + count('cannot-back-up-here');
  return `${name}: back up finished, ${count('backed-up')} backed up${notBackedUp > 0 ? `, ${notBackedUp} not backed up` : ''}`;
}

export type Decision = 'approve' | 'deny' | 'accept' | 'restore';

const DECIDED: Readonly<Record<Decision, string>> = {
  approve: 'Approved',
  deny: 'Denied',
  accept: 'Accepted the new state of',
  restore: 'Restored the previous state of',
};

/** A card that left: what this panel decided on it, or that it was settled elsewhere. */
export function departureNews(name: string, decided: Decision | undefined): string {
  return decided ? `${DECIDED[decided]} ${name}` : `No longer waiting: ${name}`;
}
