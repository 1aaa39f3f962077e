/**
 * The panel's polite live region: a screen reader reads what is said here (a new request, a plan
 * that is ready, a decision) without moving the person's focus. What is said during one update is
 * read together; each update replaces the last, as new nodes, so the same words are read again.
 */
import { h } from './dom';

export class Announcer {
  readonly element = h('div', { class: 'visually-hidden', role: 'status', 'data-field': 'announcer' });
  private pending: string[] = [];

  say(text: string): void {
    if (this.pending.push(text) === 1) queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.element.replaceChildren(...this.pending.map((text) => h('p', {}, text)));
    this.pending = [];
  }
}
