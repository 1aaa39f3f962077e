/**
 * Back up first on a request card: one line per data resource in the blast radius (backed up, where,
 * how big, verified how / not backed up / backing up / cannot be backed up from here, and why), the
 * button while something can still be backed up, and Cancel while a backup runs. A backup never
 * approves: Approve waits while one runs and stays the person's own decision.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { BackUpFirstRequest, CancelBackupCommand, type BackupView } from '../../../src/core/review/protocol';
import { h } from '../dom';
import type { CardContext } from './cardContext';

const STATUS_TEXT: Readonly<Record<BackupView['lines'][number]['status'], string>> = {
  'backed-up': 'backed up',
  'not-backed-up': 'not backed up',
  'backing-up': 'backing up',
  'cannot-back-up-here': 'cannot be backed up from here',
};

export interface BackupCardLink {
  readonly id: string;
  readonly nonce: string;
  readonly context: CardContext;
  /** The card's notice line, for a refusal. */
  readonly refused: (message: string) => void;
}

export function renderBackup(view: BackupView, link: BackupCardLink): HTMLElement {
  const { id, nonce, context } = link;
  const backUp = h('vscode-button', { secondary: true, 'data-action': 'back-up-first' }, 'Back up first');
  backUp.addEventListener('click', () => {
    backUp.disabled = true;
    void context.request(BackUpFirstRequest, { id, nonce }).then((reply) => {
      if (!reply.ok) {
        backUp.disabled = false;
        link.refused(reply.error);
      }
    });
  });
  const cancel = h('vscode-button', { secondary: true, 'data-action': 'cancel-backup', 'aria-label': 'Cancel the backup' }, 'Cancel');
  cancel.addEventListener('click', () => context.send(CancelBackupCommand, { id }));
  return h(
    'section',
    { class: 'backup', 'data-field': 'backup', 'aria-busy': String(view.running) },
    h('h4', {}, 'Data in the blast radius'),
    h(
      'ul',
      { class: 'backup-lines', 'aria-label': 'Backups' },
      ...view.lines.map((line) => h('li', { class: `backup-line ${line.status}`, 'data-status': line.status }, h('span', { class: 'backup-status' }, STATUS_TEXT[line.status]), ' ', line.text)),
    ),
    view.running && h('p', { class: 'hint' }, h('vscode-progress-ring', { role: 'progressbar', 'aria-label': 'Backing up', 'aria-live': 'off' }), 'Approve waits for the backup; cancel it to decide without one.'),
    view.running && cancel,
    view.offered && h('p', { class: 'hint' }, 'Back up first copies the data with your own tools and credentials and checks the copy. It never approves anything.'),
    view.offered && backUp,
  );
}
