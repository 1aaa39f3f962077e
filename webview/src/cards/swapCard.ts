/**
 * A state file that changed in a way that looks like a swap: the previous state against the one on
 * disk, and the two ways out. Restoring the previous state is the safe way back; accepting the new
 * one takes the typed phrase. Both take the person's own click or key press (dom.ts onPersonActivation).
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { AcceptSwapRequest, RestoreSwapRequest, type SwapCard } from '../../../src/core/review/protocol';
import { elapsed, h, onPersonActivation, setEnabled, Slot, uniqueId } from '../dom';
import { shortName } from '../model/announcements';
import type { CardContext } from './cardContext';
import { DecisionState } from './decisionState';
import { Notice } from './notice';
import { PhraseField } from './phraseField';
import { addresses, compareTable, otherObjects } from './stateCompare';

export class SwapCardView {
  readonly element: HTMLElement;
  private card: SwapCard;
  private readonly details = new Slot('swap-details');
  private readonly confirmation = new Slot('confirmation');
  private readonly notice = new Notice();
  private readonly restore = h('vscode-button', { 'data-action': 'restore' }, 'Restore previous state');
  private readonly accept = h('vscode-button', { secondary: true, 'data-action': 'accept' }, 'Accept new state');
  private readonly pathId = uniqueId('path');
  private readonly titleId = uniqueId('title');
  private phrase: PhraseField | undefined;
  private readonly decision = new DecisionState<'accept' | 'restore'>();

  constructor(
    card: SwapCard,
    private readonly context: CardContext,
  ) {
    this.card = card;
    const refuse = () => this.notice.show('This takes your own click or key press in this panel.');
    onPersonActivation(this.restore, () => void this.decide('restore'), refuse);
    onPersonActivation(this.accept, () => void this.decide('accept'), refuse);
    this.element = h(
      'article',
      { class: 'card swap', 'data-card-id': card.id, tabindex: 0, 'aria-labelledby': this.pathId, 'aria-describedby': this.titleId },
      this.details.element,
      this.confirmation.element,
      this.notice.element,
      h('div', { class: 'decision' }, this.restore, this.accept),
    );
    context.announce(`State file changed, waiting for your review: ${this.name}`);
    this.update(card);
  }

  update(card: SwapCard): void {
    this.card = card;
    this.decision.answered();
    const { confirmation } = card;
    this.details.set(JSON.stringify({ ...card, confirmation: undefined }), () => this.renderDetails());
    this.restore.setAttribute('aria-label', `Restore the previous state of ${this.name}`);
    this.accept.setAttribute('aria-label', `Accept the new state of ${this.name}`);
    this.confirmation.set(confirmation.phrase, () => {
      this.phrase = new PhraseField(confirmation.phrase, 'Accept new state', () => this.refreshButtons());
      return this.phrase.element;
    });
    // the swap's own reasons are listed above; only other ones are repeated by the phrase
    this.phrase?.showReasons(confirmation.reasons.filter((reason) => !card.reasons.includes(reason)));
    this.refreshButtons();
  }

  /** Neither way out is a default: the panel's focus stays where the person puts it. */
  defaultFocus(): undefined {
    return undefined;
  }

  /** What the live region says when the card leaves the panel. */
  departure(): string {
    return this.decision.departure(this.name);
  }

  private get name(): string {
    return shortName(this.card.path);
  }

  private async decide(decision: 'accept' | 'restore'): Promise<void> {
    if (!this.allowed(decision)) return;
    this.decision.send(decision);
    this.notice.clear();
    this.refreshButtons();
    const params = { id: this.card.id, nonce: this.card.nonce, phrase: this.phrase?.typed ?? '' };
    const reply = await this.context.request(decision === 'accept' ? AcceptSwapRequest : RestoreSwapRequest, params);
    if (!reply.ok) this.refused(reply.error);
  }

  private refused(message: string): void {
    this.decision.refused();
    this.notice.show(message);
    this.refreshButtons();
  }

  private allowed(decision: 'accept' | 'restore'): boolean {
    if (this.decision.sent) return false;
    return decision === 'restore' ? this.card.canRestore : (this.phrase?.matches ?? false);
  }

  private refreshButtons(): void {
    setEnabled(this.restore, this.allowed('restore'));
    setEnabled(this.accept, this.allowed('accept'));
  }

  private renderDetails(): HTMLElement {
    const { path, detectedAt, largeChange, reasons, old, new: now, added, removed, addedCount, removedCount, differentObjects, differentObjectsCount, canRestore } = this.card;
    return h(
      'div',
      {},
      h(
        'header',
        {},
        h('p', { id: this.titleId, class: 'card-title' }, h('span', { class: 'severity severity-critical' }, largeChange ? 'large change' : 'state swap'), ' Held · waiting ', elapsed(detectedAt, this.context.clock)),
        h('pre', { id: this.pathId, class: 'command', role: 'heading', 'aria-level': 2, 'data-field': 'path' }, path),
      ),
      h('ul', { class: 'reasons', 'data-field': 'reasons' }, ...reasons.map((reason) => h('li', {}, reason))),
      compareTable(['Previous', 'Now on disk'], old, now),
      addresses('Only in the new state', 'added', added, addedCount),
      addresses('Only in the previous state', 'removed', removed, removedCount),
      otherObjects(differentObjects, differentObjectsCount),
      !canRestore && h('p', { class: 'hint' }, 'No stored copy of the previous state: it cannot be restored from here.'),
    );
  }
}
