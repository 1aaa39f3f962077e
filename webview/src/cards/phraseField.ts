/**
 * The typed confirmation for critical requests and state swaps: the person types the phrase the host
 * chose (the number of resources destroyed, the production name, a lineage) before the deciding
 * button enables. An exact match, nothing trimmed; the host checks it again. A native input, so its
 * label and the reasons that describe it reach a screen reader (vscode-textfield keeps its input in
 * a shadow root, out of reach of `for` and aria-describedby).
 */
import type { ConfirmationView } from '../../../src/core/review/protocol';
import { h, uniqueId } from '../dom';

export class PhraseField {
  readonly element: HTMLElement;
  private readonly reasons: HTMLElement;
  private readonly input: HTMLInputElement;

  constructor(
    readonly phrase: string,
    /** The button it unlocks, for the label: "Approve", "Accept new state". */
    unlocks: string,
    onInput: () => void,
  ) {
    const id = uniqueId('phrase');
    this.reasons = h('ul', { id: `${id}-reasons`, class: 'reasons', 'data-field': 'phrase-reasons' });
    this.input = h('input', { id, type: 'text', class: 'phrase-input', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off', 'aria-describedby': this.reasons.id });
    this.input.addEventListener('input', onInput);
    this.element = h(
      'div',
      { class: 'phrase', 'data-field': 'phrase' },
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
