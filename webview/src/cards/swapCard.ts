/**
 * A state file that changed in a way that looks like a swap: the previous state against the one on
 * disk, and the two ways out. Restoring the previous state is the safe way back; accepting the new
 * one takes the typed phrase. Both take a pointer click.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { AcceptSwapCommand, RestoreSwapCommand, type SwapCard } from '../../../src/core/review/protocol';
import type { StateSummary } from '../../../src/core/terraform/types';
import { elapsed, h, onPointerClick, Slot } from '../dom';
import { formatCount } from '../model/format';
import type { CardContext } from './cardContext';
import { Notice } from './notice';
import { PhraseField } from './phraseField';

const ROWS: readonly [string, (s: StateSummary) => string][] = [
  ['Lineage', (s) => s.lineage],
  ['Serial', (s) => String(s.serial)],
  ['Terraform version', (s) => s.terraformVersion ?? 'unknown'],
  ['Resources', (s) => formatCount(s.resourceCount)],
];

export class SwapCardView {
  readonly element: HTMLElement;
  private card: SwapCard;
  private readonly details = new Slot('swap-details');
  private readonly confirmation = new Slot('confirmation');
  private readonly notice = new Notice();
  private readonly restore = h('vscode-button', { 'data-action': 'restore' }, 'Restore previous state');
  private readonly accept = h('vscode-button', { secondary: true, 'data-action': 'accept' }, 'Accept new state');
  private phrase: PhraseField | undefined;
  private sent = false;

  constructor(
    card: SwapCard,
    private readonly context: CardContext,
  ) {
    this.card = card;
    const refuse = () => this.notice.show('This takes a mouse click.');
    onPointerClick(this.restore, () => this.decide('restore'), refuse);
    onPointerClick(this.accept, () => this.decide('accept'), refuse);
    this.element = h(
      'article',
      { class: 'card swap', 'data-card-id': card.id },
      this.details.element,
      this.confirmation.element,
      this.notice.element,
      h('div', { class: 'decision' }, this.restore, this.accept),
    );
    this.update(card);
  }

  update(card: SwapCard): void {
    this.card = card;
    this.sent = false;
    const { confirmation } = card;
    this.details.set(JSON.stringify({ ...card, confirmation: undefined }), () => this.renderDetails());
    this.confirmation.set(confirmation.phrase, () => {
      this.phrase = new PhraseField(confirmation.phrase, 'Accept new state', () => this.refreshButtons());
      return this.phrase.element;
    });
    // the swap's own reasons are listed above; only other ones are repeated by the phrase
    this.phrase?.showReasons(confirmation.reasons.filter((reason) => !card.reasons.includes(reason)));
    this.refreshButtons();
  }

  refused(message: string): void {
    this.sent = false;
    this.notice.show(message);
    this.refreshButtons();
  }

  /** Neither way out is a default: the panel's focus stays where the person puts it. */
  defaultFocus(): undefined {
    return undefined;
  }

  private decide(decision: 'accept' | 'restore'): void {
    if (this.sent || !this.allowed(decision)) return;
    this.sent = true;
    this.notice.clear();
    this.refreshButtons();
    const params = { id: this.card.id, nonce: this.card.nonce, phrase: this.phrase?.typed ?? '' };
    this.context.send(decision === 'accept' ? AcceptSwapCommand : RestoreSwapCommand, params);
  }

  private allowed(decision: 'accept' | 'restore'): boolean {
    if (this.sent) return false;
    return decision === 'restore' ? this.card.canRestore : (this.phrase?.matches ?? false);
  }

  private refreshButtons(): void {
    this.restore.disabled = !this.allowed('restore');
    this.accept.disabled = !this.allowed('accept');
  }

  private renderDetails(): HTMLElement {
    const { path, detectedAt, reasons, old, new: now, added, removed, addedCount, removedCount, canRestore } = this.card;
    return h(
      'div',
      {},
      h('header', {}, h('p', { class: 'card-title' }, h('span', { class: 'severity severity-critical' }, 'state swap'), ' Held · waiting ', elapsed(detectedAt, this.context.clock)), h('pre', { class: 'command', 'data-field': 'path' }, path)),
      h('ul', { class: 'reasons', 'data-field': 'reasons' }, ...reasons.map((reason) => h('li', {}, reason))),
      h(
        'table',
        { class: 'state-compare' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col' }, 'Previous'), h('th', { scope: 'col' }, 'Now on disk'))),
        h('tbody', {}, ...ROWS.map(([label, read]) => h('tr', { class: read(old) === read(now) ? 'same' : 'differs' }, h('th', { scope: 'row' }, label), h('td', {}, read(old)), h('td', {}, read(now))))),
      ),
      addresses('Only in the new state', 'added', added, addedCount),
      addresses('Only in the previous state', 'removed', removed, removedCount),
      !canRestore && h('p', { class: 'hint' }, 'No stored copy of the previous state: it cannot be restored from here.'),
    );
  }
}

function addresses(title: string, field: string, shown: readonly string[], count: number): HTMLElement | null {
  if (count === 0) return null;
  return h(
    'div',
    { class: `summary-list ${field}`, 'data-field': field },
    h('h4', {}, `${title} (${formatCount(count)})`),
    h('ul', {}, ...shown.map((address) => h('li', {}, h('code', {}, address)))),
    count > shown.length && h('p', { class: 'more' }, `and ${formatCount(count - shown.length)} more`),
  );
}
