/**
 * The typed confirmation for critical requests and state swaps: the person types the phrase the host
 * chose (the number of resources destroyed, the production name, a lineage) before the deciding
 * button enables. An exact match, nothing trimmed; the host checks it again.
 */
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { ConfirmationView } from '../../../src/core/review/protocol';
import { h } from '../dom';

let fieldCount = 0;

export class PhraseField {
  readonly element: HTMLElement;
  private readonly reasons = h('ul', { class: 'reasons', 'data-field': 'phrase-reasons' });
  private readonly input: HTMLElementTagNameMap['vscode-textfield'];

  constructor(
    readonly phrase: string,
    /** The button it unlocks, for the label: "Approve", "Accept new state". */
    unlocks: string,
    onInput: () => void,
  ) {
    const id = `phrase-${++fieldCount}`;
    this.input = h('vscode-textfield', { id, 'data-field': 'phrase', autocomplete: 'off' });
    this.input.label = `Type ${phrase} to enable ${unlocks}`;
    this.input.addEventListener('input', onInput);
    this.element = h(
      'div',
      { class: 'phrase' },
      this.reasons,
      h('label', { for: id }, 'Type ', h('code', { class: 'phrase-text', 'data-field': 'phrase-text' }, phrase), ` to enable ${unlocks}`),
      this.input,
    );
  }

  /** Why the phrase is asked can grow (a preview finishes) while the phrase and what was typed stay. */
  showReasons(reasons: ConfirmationView['reasons']): void {
    this.reasons.replaceChildren(...reasons.map((reason) => h('li', {}, reason)));
    this.reasons.hidden = reasons.length === 0;
  }

  get typed(): string {
    return this.input.value;
  }

  get matches(): boolean {
    return this.input.value === this.phrase;
  }
}
