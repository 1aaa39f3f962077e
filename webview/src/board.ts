/**
 * The panel's page: one card per pending request or state swap, newest first, kept in place across
 * state updates (a card is updated, not rebuilt, so what the person typed or opened stays, and so
 * does the focus). A heading for the page, and a live region that says what arrives and what leaves.
 */
import type { Card, PanelState } from '../../src/core/review/protocol';
import { Announcer } from './announcer';
import type { CardContext } from './cards/cardContext';
import { RequestCardView } from './cards/requestCard';
import { SwapCardView } from './cards/swapCard';
import { h, refreshElapsed } from './dom';

type CardView = RequestCardView | SwapCardView;

const EMPTY = 'Nothing is waiting for you.';

export class Board {
  private readonly views = new Map<string, CardView>();
  /** The views in the order shown, newest first. */
  private order: CardView[] = [];
  private readonly context: CardContext;
  private readonly announcer = new Announcer();
  private readonly heading = h('h1', { class: 'visually-hidden' }, 'Countersign review');
  private readonly killed = h('p', { class: 'killed', role: 'alert', 'data-field': 'killed', hidden: true }, 'The kill switch is on: nothing paused here can run until it is switched off.');
  private readonly count = h('p', { class: 'pending-count', 'data-field': 'pending-count' });
  private readonly empty = h('p', { class: 'empty', 'data-field': 'empty' }, EMPTY);
  private readonly list = h('div', { class: 'cards' });

  constructor(root: HTMLElement, host: Omit<CardContext, 'announce'>) {
    this.context = { ...host, announce: (text) => this.announcer.say(text) };
    root.replaceChildren(this.heading, this.killed, this.count, this.empty, this.list, this.announcer.element);
    // Focus is never taken from the terminal; once the person comes to the panel, Deny is where it starts.
    window.addEventListener('focus', () => this.focusDefaultSoon());
  }

  render(state: PanelState): void {
    this.context.clock.sync(state.now);
    this.killed.hidden = !state.killed;
    this.count.textContent = `${state.cards.length} waiting for your review`;
    this.count.hidden = state.cards.length === 0;
    this.empty.hidden = state.cards.length > 0;

    const focused = document.activeElement;
    const focusedView = this.order.find((view) => view.element.contains(focused));
    const ids = new Set(state.cards.map((card) => card.id));
    for (const [id, view] of this.views) {
      if (ids.has(id)) continue;
      view.element.remove();
      this.views.delete(id);
      this.context.announce(view.departure());
    }
    if (this.order.length > 0 && state.cards.length === 0) this.context.announce(EMPTY);
    // Nodes already in order are not moved: moving a node would drop the focus inside it.
    this.order = state.cards.map((card) => this.upsert(card));
    let position: ChildNode | null = this.list.firstChild;
    for (const view of this.order) {
      if (view.element === position) position = position.nextSibling;
      else this.list.insertBefore(view.element, position);
    }
    // A part rebuilt under the focus (a finished preview replaces its Cancel button) leaves it in its card.
    if (focusedView && !focused?.isConnected && this.order.includes(focusedView)) focusedView.element.focus();
    if (document.hasFocus()) this.focusDefaultSoon();
  }

  tick(): void {
    refreshElapsed(this.list, this.context.clock);
  }

  private upsert(card: Card): CardView {
    const view = this.views.get(card.id);
    if (card.kind === 'request' && view instanceof RequestCardView) view.update(card);
    else if (card.kind === 'swap' && view instanceof SwapCardView) view.update(card);
    else {
      view?.element.remove();
      const made = card.kind === 'request' ? new RequestCardView(card, this.context) : new SwapCardView(card, this.context);
      this.views.set(card.id, made);
      return made;
    }
    return view;
  }

  /** After the elements' first render (their tabindex is set then), and after a click has placed focus. */
  private focusDefaultSoon(): void {
    setTimeout(() => this.focusDefault(), 0);
  }

  /** Deny of the newest request, when nothing in the panel has focus yet. */
  private focusDefault(): void {
    if (document.activeElement && document.activeElement !== document.body) return;
    for (const view of this.order) {
      const target = view.defaultFocus();
      if (target) return target.focus();
    }
  }
}
