/** A card's line for what the host refused, or why a click did nothing; stays until the next decision. */
import { h } from '../dom';

export class Notice {
  readonly element = h('p', { class: 'notice', role: 'alert', 'data-field': 'notice', hidden: true });

  show(message: string): void {
    this.element.textContent = message;
    this.element.hidden = false;
  }

  clear(): void {
    this.element.textContent = '';
    this.element.hidden = true;
  }
}
